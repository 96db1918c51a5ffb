package dev.lensgate.core.index;

import dev.lensgate.core.lens.LensField;
import dev.lensgate.core.lens.LensSchema;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.BinaryPoint;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.util.BytesRef;

/**
 * How a lens row becomes a Lucene document, and back: the filter fields
 * {@link LuceneFilterCompiler} queries, and one stored field that reads back to the exact row.
 *
 * <h2>Field names</h2>
 * Two disjoint name spaces, so no lens can ever collide with the index's own fields (lens field
 * names match {@link LensField#IDENTIFIER}: letters, digits, {@code _}; never a {@code .}):
 * <ul>
 *   <li><b>Per lens field</b> {@code x}: {@code f.x} ({@link #luceneField}) and
 *       {@code f.x.<suffix>}; a lens field called {@code _id} becomes {@code f._id}. Only these
 *       names start with {@code f.}.</li>
 *   <li><b>Reserved</b> (the index's own, {@link #isReserved}): every other name. This class
 *       writes {@link #ROW_FIELD} and {@link #PRESENT_FIELD}; {@link #ID_FIELD},
 *       {@link #TEXT_FIELD}, {@link #VECTOR_FIELD} and {@link #HASH_FIELD} are names the index
 *       writer may use for its own data (any other name not starting with {@code f.} is as
 *       safe).</li>
 * </ul>
 *
 * <h2>Filter fields per type</h2> (only for non-null values; NULL is "no {@code _present:x} term")
 * <ul>
 *   <li>every non-null field: the term {@code x} in {@link #PRESENT_FIELD};</li>
 *   <li>STRING: term and sorted doc value {@code f.x} = the UTF-8 value (byte order is code point
 *       order). A value that cannot be a term (more than 32766 UTF-8 bytes, or an unpaired
 *       surrogate) gets no term: its chars go to binary doc values {@code f.x.raw} and the
 *       compiler checks those few documents one by one;</li>
 *   <li>INTEGER, BOOLEAN (0/1), DATE (epoch day): {@link LongPoint} and numeric doc value
 *       {@code f.x};</li>
 *   <li>NUMBER: term and sorted doc value {@code f.x} = an order-preserving decimal encoding
 *       (equal for {@code 1.5} and {@code 1.50}); at most 16,000 significant digits;</li>
 *   <li>TIMESTAMP: 12-byte {@link BinaryPoint} and sorted doc value {@code f.x} (epoch seconds and
 *       nanos, exact for any {@link Instant}).</li>
 * </ul>
 *
 * <p>The row itself is {@link #ROW_FIELD} (see {@link StoredRowCodec}). Immutable and thread-safe.
 */
public final class LensDocuments {
  /** Reserved: the primary key (owned by the index writer). */
  public static final String ID_FIELD = "_id";
  /** Reserved: the searchable text (BM25). */
  public static final String TEXT_FIELD = "_text";
  /** Reserved: the embedding vector. */
  public static final String VECTOR_FIELD = "_vec";
  /** Reserved: the content hash used to skip unchanged rows. */
  public static final String HASH_FIELD = "_hash";
  /** Reserved: the stored row ({@link #readRow}). */
  public static final String ROW_FIELD = "_row";
  /** Reserved: one term per non-null lens field (its name); NULL tests and three-valued logic. */
  public static final String PRESENT_FIELD = "_present";
  /** Prefix of every Lucene field derived from a lens field. */
  public static final String LENS_FIELD_PREFIX = "f.";
  static final String RAW_SUFFIX = ".raw";

  private final LensSchema lens;
  private final StoredRowCodec codec;

  public LensDocuments(LensSchema lens) {
    this.lens = Objects.requireNonNull(lens, "lens");
    this.codec = new StoredRowCodec(lens);
  }

  public LensSchema lens() {
    return lens;
  }

  /** The Lucene field that holds lens field {@code lensFieldName}'s filter data. */
  public static String luceneField(String lensFieldName) {
    return LENS_FIELD_PREFIX + lensFieldName;
  }

  static String rawField(String lensFieldName) {
    return LENS_FIELD_PREFIX + lensFieldName + RAW_SUFFIX;
  }

  /**
   * True for names the index may use for its own fields: every name that does not start with
   * {@link #LENS_FIELD_PREFIX} (the constants here, and e.g. dotted names such as {@code lg.id}).
   */
  public static boolean isReserved(String luceneFieldName) {
    return !luceneFieldName.startsWith(LENS_FIELD_PREFIX);
  }

  /**
   * The filter fields and the stored row of {@code row} (keys: declared field names; values:
   * normalized, or null; a missing key is NULL for filters and stays missing when read back).
   * The caller adds the reserved fields it owns ({@link #ID_FIELD}, ...).
   *
   * @throws IllegalArgumentException for an undeclared key, a value of the wrong Java type, or a
   *     decimal of more than 16,000 significant digits
   */
  public List<IndexableField> fields(Map<String, Object> row) {
    List<IndexableField> out = new ArrayList<>(4 * lens.fields().size() + 1);
    out.add(new StoredField(ROW_FIELD, codec.encode(row)));
    for (LensField f : lens.fields().values()) {
      Object v = row.get(f.name());
      if (v != null) {
        addFilterFields(out, f, v);
      }
    }
    return out;
  }

  /** {@link #fields} added to a new document. */
  public Document document(Map<String, Object> row) {
    Document doc = new Document();
    for (IndexableField field : fields(row)) {
      doc.add(field);
    }
    return doc;
  }

  private static void addFilterFields(List<IndexableField> out, LensField f, Object v) {
    StoredRowCodec.requireType(f, v);
    String name = luceneField(f.name());
    out.add(new StringField(PRESENT_FIELD, f.name(), Field.Store.NO));
    switch (f.type()) {
      case STRING: {
        String s = (String) v;
        if (SortableBytes.indexableString(s)) {
          BytesRef term = new BytesRef(s);
          out.add(new StringField(name, term, Field.Store.NO));
          out.add(new SortedDocValuesField(name, term));
        } else {
          out.add(new BinaryDocValuesField(rawField(f.name()), SortableBytes.utf16(s)));
        }
        return;
      }
      case NUMBER: {
        BytesRef term = SortableBytes.decimal((BigDecimal) v);
        out.add(new StringField(name, term, Field.Store.NO));
        out.add(new SortedDocValuesField(name, term));
        return;
      }
      case TIMESTAMP: {
        byte[] key = SortableBytes.instant((Instant) v);
        out.add(new BinaryPoint(name, key));
        out.add(new SortedDocValuesField(name, new BytesRef(key)));
        return;
      }
      case INTEGER:
      case BOOLEAN:
      case DATE: {
        long key = longKey(v);
        out.add(new LongPoint(name, key));
        out.add(new NumericDocValuesField(name, key));
        return;
      }
      default:
        throw new IllegalStateException("unhandled type " + f.type());
    }
  }

  /** The point/doc-value key of an INTEGER, BOOLEAN or DATE value (order-preserving). */
  static long longKey(Object v) {
    if (v instanceof Long) {
      return (Long) v;
    }
    if (v instanceof Boolean) {
      return (Boolean) v ? 1L : 0L;
    }
    if (v instanceof LocalDate) {
      return ((LocalDate) v).toEpochDay();
    }
    throw new IllegalArgumentException("no long key for " + v.getClass().getSimpleName());
  }

  /**
   * The row stored in {@code doc} (a document loaded from the index), equal to the map given to
   * {@link #fields}: same keys in declaration order, same types and values, nulls kept.
   *
   * @throws IllegalStateException if the document has no stored row or one written for another
   *     shape of this lens (the index must be rebuilt)
   */
  public Map<String, Object> readRow(Document doc) {
    BytesRef stored = doc.getBinaryValue(ROW_FIELD);
    if (stored == null) {
      throw new IllegalStateException("document has no stored row");
    }
    return codec.decode(stored);
  }

  /** Loads only {@link #ROW_FIELD} of {@code docId} and decodes it (see {@link #readRow(Document)}). */
  public Map<String, Object> readRow(StoredFields storedFields, int docId) throws java.io.IOException {
    return readRow(storedFields.document(docId, java.util.Set.of(ROW_FIELD)));
  }
}
