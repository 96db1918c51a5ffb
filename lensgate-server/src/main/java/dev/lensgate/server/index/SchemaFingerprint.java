package dev.lensgate.server.index;

import dev.lensgate.core.lens.LensField;
import dev.lensgate.core.lens.LensSchema;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The shape of a lens as far as its index documents depend on it: the primary key and the
 * declared fields' names and types, in declaration order. Documents written for one shape cannot
 * be read or filtered with another (the stored row refuses to decode, filter fields have other
 * Lucene types), so a generation records the fingerprint it was written with, sync rebuilds when
 * it differs from the lens's, and search treats such a generation as stale. Source columns, the
 * table and the searchable weights are not part of it (they change what is indexed, which content
 * hashes already catch, not how documents are encoded). Stateless.
 */
public final class SchemaFingerprint {
  private SchemaFingerprint() {}

  /** A stable text (SHA-256 hex, the same in every JVM) of {@code schema}'s shape. */
  public static String of(LensSchema schema) {
    StringBuilder shape = new StringBuilder("v1|pk=").append(schema.primaryKey());
    for (LensField f : schema.fields().values()) {
      shape.append('|').append(f.name()).append(':').append(f.type().name());
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(shape.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
    }
  }
}
