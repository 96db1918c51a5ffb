package dev.lensgate.server.index;

import dev.lensgate.core.index.LensDocuments;
import dev.lensgate.core.lens.LensSchema;

/** A lens schema's document encoder and its {@link SchemaFingerprint}, swapped as one. */
record LensShape(LensDocuments documents, String fingerprint) {
  static LensShape of(LensSchema schema) {
    return new LensShape(new LensDocuments(schema), SchemaFingerprint.of(schema));
  }
}
