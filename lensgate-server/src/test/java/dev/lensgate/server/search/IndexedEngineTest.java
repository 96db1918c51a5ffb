package dev.lensgate.server.search;

import dev.lensgate.core.config.LensConfig;
import dev.lensgate.server.index.LensIndexes;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** What the engine tests share: a fresh index directory per test, a hashing embedder, the engine over both. */
abstract class IndexedEngineTest {
  static final String ENV = "env_a";
  @TempDir Path dir;
  LensIndexes indexes;
  final HashingEmbedder embedder;
  SearchEngine engine;
  final LensConfig lens = SearchFixtures.products();

  /** @param dimensions the embedder's width: wider means the few words of a row rarely share a bucket */
  IndexedEngineTest(int dimensions) {
    this.embedder = new HashingEmbedder(dimensions);
  }

  @BeforeEach
  void openIndexes() {
    indexes = new LensIndexes(dir);
    engine = new SearchEngine(indexes, (env, l) -> embedder);
  }

  @AfterEach
  void closeIndexes() {
    indexes.close();
  }
}
