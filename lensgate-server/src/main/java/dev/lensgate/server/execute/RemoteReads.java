package dev.lensgate.server.execute;

import dev.lensgate.core.config.LensConfig;
import dev.lensgate.core.plan.ReadPage;
import dev.lensgate.core.plan.ReadSpec;
import java.util.Optional;

/** Reads that go through runners instead of a direct connection (issue 3). */
public interface RemoteReads {
  /** No source is read remotely: every read is direct. */
  RemoteReads NONE = (envId, lens, spec) -> Optional.empty();

  /**
   * Fetches one page through a runner when the lens's source is assigned to runners.
   *
   * @return empty when the source is read directly
   */
  Optional<ReadPage> fetch(String envId, LensConfig lens, ReadSpec spec);
}
