package dev.lensgate.server.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.lucene.codecs.hnsw.DefaultFlatVectorScorer;
import org.apache.lucene.codecs.hnsw.FlatVectorsScorer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.hnsw.RandomAccessVectorValues;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;
import org.junit.jupiter.api.Test;

/**
 * The SIMD graph scorer against Lucene's arithmetic, and indexes it builds against exact search. The
 * server's tests run with the vector module (see the pom); the CLI's run without it, on the fallback.
 */
class GraphVectorsFormatTest {
  private static final int DIMS = 384;
  private final Random random = new Random(42);

  @Test
  void serverTestsRunWithTheVectorModule_soTheSimdPathIsTheOneTested() {
    assertThat(GraphScorers.simdAvailable()).as("surefire argLine adds jdk.incubator.vector").isTrue();
    assertThat(GraphScorers.forThisJvm()).isInstanceOf(SimdGraphScorer.class);
    assertThat(GraphScorers.describe()).contains("SIMD");
  }

  @Test
  void simdDot_matchesExactSum_forEveryTailLength() {
    for (int length : IntStream.concat(IntStream.rangeClosed(1, 80), IntStream.of(127, 384, 1000, 1024)).toArray()) {
      float[] a = gaussian(length);
      float[] b = gaussian(length);
      double exact = 0;
      for (int i = 0; i < length; i++) {
        exact += (double) a[i] * b[i];
      }
      assertThat((double) SimdDotProduct.dot(a, b)).as("length %d", length).isCloseTo(exact, within(1e-4 * Math.sqrt(length)));
    }
  }

  @Test
  void simdScores_equalLuceneDotProductScores() throws Exception {
    List<float[]> vectors = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      vectors.add(unit(gaussian(DIMS)));
    }
    RandomVectorScorerSupplier simd = new SimdGraphScorer().getRandomVectorScorerSupplier(
        VectorSimilarityFunction.DOT_PRODUCT, RandomAccessVectorValues.fromFloats(vectors, DIMS));
    for (int i = 0; i < vectors.size(); i++) {
      for (int j = 0; j < vectors.size(); j++) {
        float lucene = VectorSimilarityFunction.DOT_PRODUCT.compare(vectors.get(i), vectors.get(j));
        assertThat(simd.scorer(i).score(j)).as("%d vs %d", i, j).isCloseTo(lucene, within(1e-6f));
        assertThat(simd.copy().scorer(j).score(i)).isCloseTo(lucene, within(1e-6f));
      }
    }
  }

  @Test
  void otherSimilarities_goToLucenesScorer() throws Exception {
    List<float[]> vectors = List.of(new float[] {3, 4}, new float[] {1, 0});
    RandomVectorScorerSupplier euclidean = new SimdGraphScorer().getRandomVectorScorerSupplier(
        VectorSimilarityFunction.EUCLIDEAN, RandomAccessVectorValues.fromFloats(vectors, 2));
    assertThat(euclidean.scorer(0).score(1)).isEqualTo(VectorSimilarityFunction.EUCLIDEAN.compare(vectors.get(0), vectors.get(1)));
  }

  @Test
  void graphBuiltWithSimd_isReadAsLucenesFormat_andFindsTheNearestLikeLucenesOwn() throws Exception {
    List<float[]> corpus = clustered(4_000);
    List<float[]> queries = clustered(60);
    double simd = recallAt10(new SimdGraphScorer(), corpus, queries);
    double lucene = recallAt10(DefaultFlatVectorScorer.INSTANCE, corpus, queries);
    assertThat(simd).as("recall@10 of the SIMD-built graph").isGreaterThan(0.9);
    assertThat(simd).as("SIMD vs Lucene-built graph recall@10").isCloseTo(lucene, within(0.05));
  }

  /**
   * OpenAI-compatible models answer 1536 (text-embedding-3-small, ada-002) or 3072 (3-large)
   * dimensions, past Lucene's own HNSW limit of 1024: the format accepts what the config does.
   */
  @Test
  void vectorsWiderThanLucenesDefaultLimit_upToTheConfigsLimit_areIndexedAndFound() throws Exception {
    assertThat(new org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat().getMaxDimensions("v"))
        .as("Lucene's own limit, which OpenAI-sized vectors exceed").isLessThan(1536);
    for (int dims : new int[] {1536, 3072, dev.lensgate.core.config.EmbedderConfig.MAX_DIMENSIONS}) {
      try (Directory dir = new ByteBuffersDirectory()) {
        List<float[]> vectors = new ArrayList<>();
        try (IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig().setCodec(new IndexCodec()))) {
          for (int i = 0; i < 50; i++) {
            float[] v = unit(gaussian(dims));
            vectors.add(v);
            Document doc = new Document();
            doc.add(new StoredField("n", i));
            doc.add(new KnnFloatVectorField("v", v, VectorSimilarityFunction.DOT_PRODUCT));
            writer.addDocument(doc);
          }
        }
        try (DirectoryReader reader = DirectoryReader.open(dir)) {
          IndexSearcher searcher = new IndexSearcher(reader);
          ScoreDoc top = searcher.search(new KnnFloatVectorQuery("v", vectors.get(17), 1), 1).scoreDocs[0];
          assertThat(searcher.storedFields().document(top.doc).getField("n").numericValue().intValue())
              .as("%d dimensions", dims).isEqualTo(17);
        }
      }
    }
  }

  private double recallAt10(FlatVectorsScorer scorer, List<float[]> corpus, List<float[]> queries) throws Exception {
    try (Directory dir = new ByteBuffersDirectory()) {
      IndexWriterConfig config = new IndexWriterConfig().setCodec(new IndexCodec(scorer));
      try (IndexWriter writer = new IndexWriter(dir, config)) {
        for (int i = 0; i < corpus.size(); i++) {
          Document doc = new Document();
          doc.add(new StoredField("n", i));
          doc.add(new KnnFloatVectorField("v", corpus.get(i), VectorSimilarityFunction.DOT_PRODUCT));
          writer.addDocument(doc);
        }
        writer.forceMerge(1); // one graph, and the merge path builds it too
      }
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        for (LeafReaderContext leaf : reader.leaves()) {
          FieldInfo info = leaf.reader().getFieldInfos().fieldInfo("v");
          assertThat(info.attributes()).containsValue("Lucene99HnswVectorsFormat");
        }
        IndexSearcher searcher = new IndexSearcher(reader);
        int found = 0;
        for (float[] q : queries) {
          Set<Integer> approx = new HashSet<>();
          for (ScoreDoc d : searcher.search(new KnnFloatVectorQuery("v", q, 10), 10).scoreDocs) {
            approx.add(searcher.storedFields().document(d.doc).getField("n").numericValue().intValue());
          }
          found += (int) exactTop10(corpus, q).stream().filter(approx::contains).count();
        }
        return found / (10.0 * queries.size());
      }
    }
  }

  private static List<Integer> exactTop10(List<float[]> corpus, float[] q) {
    return IntStream.range(0, corpus.size()).boxed()
        .sorted(Comparator.comparingDouble((Integer i) -> -VectorSimilarityFunction.DOT_PRODUCT.compare(q, corpus.get(i))))
        .limit(10).collect(java.util.stream.Collectors.toList());
  }

  private List<float[]> clustered(int n) {
    Random centers = new Random(7); // the same centres for corpus and queries
    float[][] c = new float[40][];
    for (int i = 0; i < c.length; i++) {
      c[i] = new float[DIMS];
      for (int j = 0; j < DIMS; j++) {
        c[i][j] = (float) centers.nextGaussian();
      }
    }
    List<float[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      float[] center = c[random.nextInt(c.length)];
      float[] v = new float[DIMS];
      for (int j = 0; j < DIMS; j++) {
        v[j] = center[j] + (float) random.nextGaussian();
      }
      out.add(unit(v));
    }
    return out;
  }

  private float[] gaussian(int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return v;
  }

  private static float[] unit(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    float inv = (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < v.length; i++) {
      v[i] *= inv;
    }
    return v;
  }
}
