package dev.lensgate.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lensgate.core.lens.FieldType;
import dev.lensgate.core.lens.LensField;
import dev.lensgate.core.lens.LensSchema;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;

class LensDocumentsTest {
  private static final LensSchema LENS = new LensSchema("things", null, "t", "_id", List.of(
      new LensField("_id", "id", FieldType.INTEGER),
      new LensField("_text", "txt", FieldType.STRING),
      new LensField("price", "price", FieldType.NUMBER),
      new LensField("ok", "ok", FieldType.BOOLEAN),
      new LensField("at", "at", FieldType.TIMESTAMP),
      new LensField("day", "day", FieldType.DATE)));

  /** Stored rows read back from a real index equal the input: types, scales, nanos, nulls, missing keys, order. */
  @Property(tries = 300)
  void storedRow_readBackFromTheIndex_equalsTheInputRow(@ForAll long seed) {
    RandomFilters gen = new RandomFilters(seed);
    LensSchema lens = gen.schema();
    List<Map<String, Object>> rows = gen.rows(lens, 20);
    try (IndexedRows index = new IndexedRows(lens, rows, gen.random())) {
      Map<Object, Map<String, Object>> byId = new HashMap<>();
      for (Map<String, Object> row : index.storedRows()) {
        byId.put(row.get(lens.primaryKey()), row);
      }
      assertThat(byId).hasSize(rows.size());
      for (Map<String, Object> row : rows) {
        Map<String, Object> back = byId.get(row.get(lens.primaryKey()));
        assertThat(back).isEqualTo(row);
        assertThat(new ArrayList<>(back.keySet())).isEqualTo(declaredOrder(lens, row));
        for (Map.Entry<String, Object> e : row.entrySet()) {
          Object v = back.get(e.getKey());
          if (v != null) {
            assertThat(v).isExactlyInstanceOf(e.getValue().getClass());
          }
        }
      }
    }
  }

  private static List<String> declaredOrder(LensSchema lens, Map<String, Object> row) {
    List<String> out = new ArrayList<>();
    for (String name : lens.fields().keySet()) {
      if (row.containsKey(name)) {
        out.add(name);
      }
    }
    return out;
  }

  @Test
  void readRow_keepsScaleNanosAndNulls_inDeclarationOrder() {
    LensDocuments docs = new LensDocuments(LENS);
    Map<String, Object> row = new HashMap<>();
    row.put("day", LocalDate.MAX);
    row.put("price", new BigDecimal("1.50"));
    row.put("at", Instant.parse("2024-02-29T12:00:00.123456789Z"));
    row.put("_id", Long.MIN_VALUE);
    row.put("_text", null);
    Map<String, Object> back = docs.readRow(stored(docs.fields(row)));
    assertThat(back).isEqualTo(row).doesNotContainKey("ok");
    assertThat(back.keySet()).containsExactly("_id", "_text", "price", "at", "day");
    assertThat(((BigDecimal) back.get("price")).scale()).isEqualTo(2);
    assertThat(back).containsEntry("_text", null);
  }

  @Test
  void fields_lensFieldsNamedLikeReservedOnes_neverUseReservedNames() {
    LensDocuments docs = new LensDocuments(LENS);
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("_id", 7L);
    row.put("_text", "hello");
    for (IndexableField f : docs.fields(row)) {
      boolean ownField = f.name().equals(LensDocuments.ROW_FIELD) || f.name().equals(LensDocuments.PRESENT_FIELD);
      assertThat(ownField || f.name().startsWith(LensDocuments.LENS_FIELD_PREFIX)).as(f.name()).isTrue();
      assertThat(f.name()).isNotIn(LensDocuments.ID_FIELD, LensDocuments.TEXT_FIELD);
    }
    assertThat(LensDocuments.luceneField("_id")).isEqualTo("f._id");
    assertThat(LensDocuments.isReserved(LensDocuments.ID_FIELD)).isTrue();
    assertThat(LensDocuments.isReserved(LensDocuments.VECTOR_FIELD)).isTrue();
    assertThat(LensDocuments.isReserved(LensDocuments.luceneField("_id"))).isFalse();
    assertThat(LensDocuments.isReserved(LensDocuments.rawField("_id"))).isFalse();
    assertThat(LensDocuments.isReserved("lg.id")).isTrue();
    for (String reserved : List.of(LensDocuments.ID_FIELD, LensDocuments.TEXT_FIELD, LensDocuments.VECTOR_FIELD,
        LensDocuments.HASH_FIELD, LensDocuments.ROW_FIELD, LensDocuments.PRESENT_FIELD)) {
      assertThat(LensDocuments.isReserved(reserved)).as(reserved).isTrue();
    }
  }

  @Test
  void fields_undeclaredKey_isRefused() {
    LensDocuments docs = new LensDocuments(LENS);
    assertThatThrownBy(() -> docs.fields(Map.of("_id", 1L, "secret", "x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("secret");
  }

  @Test
  void fields_valueOfWrongJavaType_isRefused() {
    LensDocuments docs = new LensDocuments(LENS);
    assertThatThrownBy(() -> docs.fields(Map.of("_id", 1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> docs.fields(Map.of("price", 1.5d))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> docs.fields(Map.of("at", "2024-01-01T00:00:00Z"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> docs.fields(Map.of("day", java.time.LocalDateTime.of(2024, 1, 1, 0, 0))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readRow_ofAnotherLensShape_isRefused() {
    LensDocuments docs = new LensDocuments(LENS);
    Document doc = stored(docs.fields(Map.of("_id", 1L)));
    LensSchema renamed = new LensSchema("things", null, "t", "_id", List.of(
        new LensField("_id", "id", FieldType.INTEGER), new LensField("label", "txt", FieldType.STRING),
        new LensField("price", "price", FieldType.NUMBER), new LensField("ok", "ok", FieldType.BOOLEAN),
        new LensField("at", "at", FieldType.TIMESTAMP), new LensField("day", "day", FieldType.DATE)));
    assertThatThrownBy(() -> new LensDocuments(renamed).readRow(doc))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("rebuild");
  }

  @Test
  void readRow_corruptOrMissing_isIllegalState() {
    LensDocuments docs = new LensDocuments(LENS);
    Map<String, Object> row = new HashMap<>();
    row.put("_text", "abc");
    row.put("price", new BigDecimal("12.5"));
    BytesRef good = ((StoredField) docs.fields(row).get(0)).binaryValue();
    Random random = new Random(42);
    for (int i = 0; i < 200; i++) {
      byte[] bytes = BytesRef.deepCopyOf(good).bytes;
      int at = random.nextInt(bytes.length);
      bytes[at] = (byte) (bytes[at] ^ (1 + random.nextInt(255)));
      Document doc = new Document();
      doc.add(new StoredField(LensDocuments.ROW_FIELD, new BytesRef(bytes)));
      try {
        Map<String, Object> back = docs.readRow(doc);
        // A flipped byte inside a value can still decode; it must then be a well-typed row.
        assertThat(back.keySet()).isSubsetOf(LENS.fields().keySet());
      } catch (IllegalStateException expected) {
        // refused: fine
      }
    }
    byte[] truncated = java.util.Arrays.copyOf(good.bytes, good.length - 3);
    Document cut = new Document();
    cut.add(new StoredField(LensDocuments.ROW_FIELD, new BytesRef(truncated)));
    assertThatThrownBy(() -> docs.readRow(cut)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> docs.readRow(new Document())).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void fields_stringsThatCannotBeTerms_goToRawDocValues_andStillRoundTrip() {
    LensDocuments docs = new LensDocuments(LENS);
    String longText = "x".repeat(40_000);
    String lone = "a\uD800b";
    for (String s : List.of(longText, lone)) {
      List<IndexableField> fields = docs.fields(Map.of("_id", 1L, "_text", s));
      assertThat(fields).extracting(IndexableField::name).contains(LensDocuments.rawField("_text"))
          .doesNotContain(LensDocuments.luceneField("_text"));
      assertThat(docs.readRow(stored(fields))).containsEntry("_text", s);
    }
  }

  private static Document stored(List<IndexableField> fields) {
    Document doc = new Document();
    for (IndexableField f : fields) {
      if (f.name().equals(LensDocuments.ROW_FIELD)) {
        doc.add(f);
      }
    }
    return doc;
  }
}
