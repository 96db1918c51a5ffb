package dev.lensgate.server.sync;

import dev.lensgate.server.index.LensIndex;
import dev.lensgate.server.index.LensIndexWriter;
import dev.lensgate.server.index.LensSearcher;
import java.util.Optional;

/**
 * The vectors of the generation a full rebuild replaces, so rows whose content hash did not change
 * keep their vector instead of being embedded again (an equal hash means the same row, text and
 * embedder id). Holds one searcher of the old generation until closed. Writers other than the
 * Lucene {@link LensIndex} (test doubles) offer no vectors: everything is embedded.
 */
final class StoredVectors implements AutoCloseable {
  private final Optional<LensSearcher> searcher;

  private StoredVectors(Optional<LensSearcher> searcher) {
    this.searcher = searcher;
  }

  static StoredVectors of(LensIndexWriter writer) {
    return new StoredVectors(writer instanceof LensIndex ? ((LensIndex) writer).acquire() : Optional.empty());
  }

  Optional<float[]> vector(String id) {
    if (searcher.isEmpty()) {
      return Optional.empty();
    }
    LensSearcher s = searcher.get();
    return s.docOf(id).flatMap(s::vector);
  }

  @Override
  public void close() {
    searcher.ifPresent(LensSearcher::close);
  }
}
