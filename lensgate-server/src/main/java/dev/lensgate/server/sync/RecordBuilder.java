package dev.lensgate.server.sync;

import dev.lensgate.core.config.LensConfig;
import dev.lensgate.core.where.FieldValues;
import dev.lensgate.server.index.IndexRecord;
import dev.lensgate.server.shape.RowShaper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns source rows into what the index stores, without the vector: the id (primary key as
 * {@link FieldValues#toText} text), the keyword/embedding text (each searchable field's shaped value
 * repeated {@code weight} times, newline-joined, null values left out) and the content hash.
 *
 * <p>The hash is SHA-256 over a length-prefixed canonical encoding of every declared field (name,
 * null marker or {@code toText} value, declaration order), the embedder id and the text; so an
 * equal hash means the same row, the same embedder and the same text (a changed weight or
 * transform changes the text, hence the hash). Stateless.
 */
final class RecordBuilder {
  private RecordBuilder() {}

  /** A record without its vector yet. */
  record Pending(String id, Map<String, Object> row, String text, String contentHash) {
    IndexRecord withVector(Optional<float[]> vector) {
      return new IndexRecord(id, row, text, vector, contentHash);
    }
  }

  static String id(LensConfig lens, Map<String, Object> row) {
    Object pk = row.get(lens.schema().primaryKey());
    if (pk == null) {
      throw new IllegalStateException("a source row has no primary key value");
    }
    return FieldValues.toText(pk);
  }

  static Pending build(LensConfig lens, Map<String, Object> row, String embedderId) {
    String text = text(lens, row);
    return new Pending(id(lens, row), row, text, hash(lens, row, embedderId, text));
  }

  static String text(LensConfig lens, Map<String, Object> row) {
    if (lens.searchableFields().isEmpty()) {
      return "";
    }
    Map<String, Object> shaped = RowShaper.shape(lens, List.of(row)).get(0);
    List<String> parts = new ArrayList<>();
    for (String field : lens.searchableFields()) {
      Object v = shaped.get(field);
      if (v == null) {
        continue;
      }
      String s = v.toString();
      for (int i = 0; i < lens.index().weight(field); i++) {
        parts.add(s);
      }
    }
    return String.join("\n", parts);
  }

  static String hash(LensConfig lens, Map<String, Object> row, String embedderId, String text) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JRE", e);
    }
    for (String field : lens.schema().fields().keySet()) {
      put(md, field);
      Object v = row.get(field);
      if (v == null) {
        md.update((byte) 0);
      } else {
        md.update((byte) 1);
        put(md, FieldValues.toText(v));
      }
    }
    put(md, embedderId);
    put(md, text);
    return HexFormat.of().formatHex(md.digest());
  }

  private static void put(MessageDigest md, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    md.update(ByteBuffer.allocate(4).putInt(b.length).array());
    md.update(b);
  }
}
