package dev.lensgate.server.index;

import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.codecs.hnsw.FlatVectorsScorer;

/**
 * Lucene's default codec with the HNSW settings spelled out, so a change of them is a deliberate
 * edit here. Beam width {@value #BEAM_WIDTH} (Lucene's default): a cheaper graph (beam 50 saved
 * ~0.3 CPU ms per indexed row) dropped unfiltered semantic recall@10 against an exact scan from
 * 0.96 to 0.84 on 100k bench rows ({@code SearchLoadBenchmark} measures it), which the small
 * labelled set and the filtered-recall test could not show. The beam width only shapes how the
 * graph is built, not the file format: segments are written under the default codec's name and
 * read by it, whatever the setting was. Graphs are built with {@link GraphScorers#forThisJvm()}
 * (SIMD dot products when the JVM has the vector module), because comparing vectors is most of
 * what adding a row to the index costs.
 */
final class IndexCodec extends Lucene912Codec {
  static final int MAX_CONN = Lucene99HnswVectorsFormat.DEFAULT_MAX_CONN;
  static final int BEAM_WIDTH = Lucene99HnswVectorsFormat.DEFAULT_BEAM_WIDTH;

  private final KnnVectorsFormat vectors;

  IndexCodec() {
    this(GraphScorers.forThisJvm());
  }

  IndexCodec(FlatVectorsScorer graphScorer) {
    this.vectors = new GraphVectorsFormat(MAX_CONN, BEAM_WIDTH, graphScorer);
  }

  @Override
  public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
    return vectors;
  }
}
