package dev.lensgate.server.index;

import dev.lensgate.core.index.LensDocuments;
import java.util.Optional;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * Builds the Lucene document of an {@link IndexRecord}: the row's filter fields and stored row
 * ({@link LensDocuments}: what where/rule filters query and responses are shaped from), plus the
 * index's own id, keyword text, vector and content hash. The vector is
 * re-normalized to unit length so {@link VectorSimilarityFunction#DOT_PRODUCT} is cosine and its
 * score {@code (1 + cos) / 2} lies in [0, 1]. Stateless.
 */
final class IndexDocuments {
  static final VectorSimilarityFunction SIMILARITY = VectorSimilarityFunction.DOT_PRODUCT;

  private IndexDocuments() {}

  static Document build(IndexRecord record, LensDocuments documents) {
    Document doc = documents.document(record.row());
    doc.add(new StringField(IndexFields.ID, record.id(), Field.Store.YES));
    if (!record.text().isEmpty()) {
      doc.add(new TextField(IndexFields.TEXT, record.text(), Field.Store.NO));
    }
    Optional<float[]> vector = record.vector();
    if (vector.isPresent() && vector.get().length > 0) {
      float[] unit = unit(vector.get());
      if (unit != null) {
        doc.add(new KnnFloatVectorField(IndexFields.VECTOR, unit, SIMILARITY));
      }
    }
    doc.add(new StoredField(IndexFields.HASH, record.contentHash()));
    return doc;
  }

  /** A unit-length copy of {@code v}, or {@code null} for a zero or non-finite vector. */
  static float[] unit(float[] v) {
    double sum = 0;
    for (float f : v) {
      sum += (double) f * f;
    }
    if (!(sum > 0) || Double.isInfinite(sum)) {
      return null;
    }
    double norm = Math.sqrt(sum);
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] / norm);
    }
    return out;
  }
}
