package dev.lensgate.server.index;

import dev.lensgate.core.config.EmbedderConfig;
import java.io.IOException;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.hnsw.FlatVectorsFormat;
import org.apache.lucene.codecs.hnsw.FlatVectorsScorer;
import org.apache.lucene.codecs.lucene99.Lucene99FlatVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsReader;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsWriter;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;

/**
 * Lucene's HNSW vector format with a chosen scorer for building the graph. Files are written by
 * Lucene's own {@code Lucene99} writers, so the format keeps Lucene's name: a segment written here is
 * read back by Lucene's registered {@link Lucene99HnswVectorsFormat} (what it searches with), and an
 * index written before this class existed reads as before. Only the arithmetic used while building
 * (and merging) graphs differs.
 */
final class GraphVectorsFormat extends KnnVectorsFormat {
  /**
   * What an embedder may be configured to answer. Lucene's own format stops at 1024, which the
   * OpenAI-compatible models people use most exceed (1536 for text-embedding-3-small and ada-002,
   * 3072 for 3-large); the limit is Lucene's policy, not its file format's.
   */
  static final int MAX_DIMENSIONS = EmbedderConfig.MAX_DIMENSIONS;

  private final int maxConn;
  private final int beamWidth;
  private final FlatVectorsFormat flat;

  GraphVectorsFormat(int maxConn, int beamWidth, FlatVectorsScorer scorer) {
    super("Lucene99HnswVectorsFormat");
    this.maxConn = maxConn;
    this.beamWidth = beamWidth;
    this.flat = new Lucene99FlatVectorsFormat(scorer);
  }

  @Override
  public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
    // One merge worker, no executor: the gateway already runs one writer per lens in parallel.
    return new Lucene99HnswVectorsWriter(state, maxConn, beamWidth, flat.fieldsWriter(state), 1, null);
  }

  @Override
  public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
    return new Lucene99HnswVectorsReader(state, flat.fieldsReader(state));
  }

  @Override
  public int getMaxDimensions(String fieldName) {
    return MAX_DIMENSIONS;
  }

  @Override
  public String toString() {
    return "GraphVectorsFormat(maxConn=" + maxConn + ", beamWidth=" + beamWidth + ", flat=" + flat + ")";
  }
}
