package dev.lensgate.core.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lensgate.core.lens.FieldType;
import dev.lensgate.core.lens.LensField;
import dev.lensgate.core.lens.LensSchema;
import dev.lensgate.core.where.Filter;
import dev.lensgate.core.where.InMemoryPredicate;
import dev.lensgate.core.where.WhereLimits;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The compiled query as the pre-filter of a KNN search (how the index uses it): a selective
 * filter still yields the full k, equal to the exact brute-force top-k among the matching rows;
 * and the largest trees the where limits allow run within Lucene's clause limit.
 */
class LuceneFilterAsKnnFilterTest {
  private static final LensSchema LENS = new LensSchema("docs", null, "d", "id", List.of(
      new LensField("id", "id", FieldType.INTEGER),
      new LensField("org", "org", FieldType.STRING),
      new LensField("score", "score", FieldType.INTEGER),
      new LensField("tag", "tag", FieldType.STRING)));
  private static final int ROWS = 5_000;
  private static final List<Map<String, Object>> rows = new ArrayList<>();
  private static final List<float[]> vectors = new ArrayList<>();
  private static ByteBuffersDirectory directory;
  private static DirectoryReader reader;

  @BeforeAll
  static void build() throws IOException {
    Random random = new Random(11);
    directory = new ByteBuffersDirectory();
    LensDocuments documents = new LensDocuments(LENS);
    try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig())) {
      for (long id = 0; id < ROWS; id++) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("org", "org" + (id % 100));
        row.put("score", (long) random.nextInt(1000));
        row.put("tag", random.nextInt(3) == 0 ? null : "t" + random.nextInt(5));
        float[] v = {random.nextFloat() - 0.5f, random.nextFloat() - 0.5f, random.nextFloat() - 0.5f, random.nextFloat()};
        rows.add(row);
        vectors.add(v);
        Document doc = documents.document(row);
        doc.add(new KnnFloatVectorField(LensDocuments.VECTOR_FIELD, v, VectorSimilarityFunction.EUCLIDEAN));
        writer.addDocument(doc);
      }
    }
    reader = DirectoryReader.open(directory);
  }

  @AfterAll
  static void close() throws IOException {
    reader.close();
    directory.close();
  }

  @Test
  void selectiveFilter_asKnnPreFilter_returnsTheExactFilteredTopK() throws IOException {
    // ~1% of rows: org42 (1 in 100), minus rows whose tag is t0.
    Filter filter = new Filter.And(List.of(
        new Filter.Compare("org", Filter.CompareOp.EQ, "org42"),
        new Filter.Not(new Filter.Compare("tag", Filter.CompareOp.EQ, "t0"))));
    float[] target = {0.1f, -0.2f, 0.3f, 0.5f};
    int k = 10;
    IndexSearcher searcher = new IndexSearcher(reader);
    long[] micros = new long[31];
    TopDocs top = null;
    for (int i = 0; i < micros.length; i++) {
      long start = System.nanoTime();
      top = searcher.search(new KnnFloatVectorQuery(LensDocuments.VECTOR_FIELD, target, k,
          LuceneFilterCompiler.compile(filter, LENS)), k);
      micros[i] = (System.nanoTime() - start) / 1000;
    }
    java.util.Arrays.sort(micros);
    LensDocuments documents = new LensDocuments(LENS);
    StoredFields stored = searcher.storedFields();
    List<Long> actual = new ArrayList<>();
    for (ScoreDoc sd : top.scoreDocs) {
      actual.add((Long) documents.readRow(stored, sd.doc).get("id"));
    }

    List<Integer> matching = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      if (InMemoryPredicate.test(filter, rows.get(i))) {
        matching.add(i);
      }
    }
    List<Long> exact = matching.stream()
        .sorted(Comparator.comparingDouble(i -> distance(vectors.get(i), target)))
        .limit(k).map(Integer::longValue).collect(Collectors.toList());
    System.out.printf("filtered KNN (compile + search) over %d rows, %d match the filter: p50 %d us, max %d us over %d runs%n",
        ROWS, matching.size(), micros[micros.length / 2], micros[micros.length - 1], micros.length);
    assertThat(matching.size()).isGreaterThan(k);
    assertThat(actual).isEqualTo(exact);
  }

  private static double distance(float[] a, float[] b) {
    double d = 0;
    for (int i = 0; i < a.length; i++) {
      d += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return d;
  }

  /** Prints filter-only latencies (count of matches) for common shapes; no timing assertion. */
  @Test
  void commonFilterShapes_matchTheInMemoryCounts_andPrintLatency() throws IOException {
    IndexSearcher searcher = new IndexSearcher(reader);
    List<Filter> shapes = List.of(
        new Filter.Compare("org", Filter.CompareOp.EQ, "org7"),
        new Filter.Compare("org", Filter.CompareOp.NE, "org7"),
        new Filter.Compare("score", Filter.CompareOp.GTE, 990L),
        new Filter.In("tag", List.of("t1", "t2"), true),
        new Filter.Like("org", "%G4_", true),
        new Filter.Not(new Filter.Exists("tag", true)));
    for (Filter f : shapes) {
      long expected = rows.stream().filter(r -> InMemoryPredicate.test(f, r)).count();
      long[] micros = new long[21];
      int count = 0;
      for (int i = 0; i < micros.length; i++) {
        long start = System.nanoTime();
        count = searcher.count(LuceneFilterCompiler.compile(f, LENS));
        micros[i] = (System.nanoTime() - start) / 1000;
      }
      java.util.Arrays.sort(micros);
      System.out.printf("filter %s over %d rows: %d matches, p50 %d us%n",
          f.getClass().getSimpleName(), ROWS, count, micros[micros.length / 2]);
      assertThat((long) count).as(f.toString()).isEqualTo(expected);
    }
  }

  @Test
  void largestTreesTheLimitsAllow_runWithinLucenesClauseLimit() throws IOException {
    // A rule filter ANDed with a client filter, each at the node limit, of leaves that compile to
    // several Lucene clauses each ($ne: presence term, point and doc-values queries).
    int leaves = WhereLimits.CLIENT.maxNodes() - 1;
    List<Filter> rule = new ArrayList<>();
    List<Filter> client = new ArrayList<>();
    for (int i = 0; i < leaves; i++) {
      rule.add(new Filter.Compare("score", Filter.CompareOp.NE, (long) i));
      client.add(new Filter.In("tag", List.of("t" + i, "x" + i), true));
    }
    Filter filter = new Filter.And(List.of(new Filter.Or(rule), new Filter.Or(client)));
    Query q = LuceneFilterCompiler.compile(filter, LENS);
    IndexSearcher searcher = new IndexSearcher(reader);
    int expected = 0;
    for (Map<String, Object> row : rows) {
      if (InMemoryPredicate.test(filter, row)) {
        expected++;
      }
    }
    assertThat(searcher.count(q)).isEqualTo(expected).isPositive();

    List<Filter> many = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      many.add(new Filter.Compare("score", Filter.CompareOp.EQ, (long) i));
    }
    // More children than one BooleanQuery may hold are nested, not refused.
    assertThat(searcher.count(LuceneFilterCompiler.compile(new Filter.Or(many), LENS))).isEqualTo(ROWS);
  }
}
