package dev.lensgate.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.core.runner.JobCredentials;
import dev.lensgate.core.runner.RunnerFrame;
import dev.lensgate.testkit.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Managed credentials live only in the runner's memory: run jobs with a sentinel password (one
 * that connects, one that a database refuses) and scan every file written meanwhile under the
 * working directory and java.io.tmpdir for it.
 */
class CredentialsNotWrittenTest {
  private static final String SENTINEL = "SENTINEL-pw-7f3a9c";

  @Test
  void jobsWithManagedCredentials_writeNoFileHoldingThem() throws Exception {
    FileTime start = FileTime.fromMillis(System.currentTimeMillis() - 2_000);
    String h2db = "lg_cred_" + Long.toHexString(System.nanoTime());
    // The first connection to an in-memory H2 database sets its password.
    JobCredentials good = new JobCredentials("jdbc:h2:mem:" + h2db + ";DB_CLOSE_DELAY=-1", "sa", SecretBytes.fromUtf8(SENTINEL));
    try (TestDatabase pg = TestDatabase.postgres();
         JobExecutor executor = new JobExecutor(LocalSources.fromEnvironment(Map.of()), AllowList.allowAll(), Clock.systemUTC(), 2, 8)) {
      JobCredentials refused = new JobCredentials(pg.jdbcUrl(), "lensgate_no_such_role", SecretBytes.fromUtf8(SENTINEL));
      RunnerFrame ok = Jobs.submit(executor, new RunnerFrame.Job("t1", dev.lensgate.core.runner.JobKind.TEST, "h2",
          dev.lensgate.core.runner.LensMapping.of(Jobs.ITEMS), Jobs.JSON.createObjectNode(), Optional.of(good), 30_000))
          .get(30, TimeUnit.SECONDS);
      assertThat(ok).isInstanceOf(RunnerFrame.Result.class);
      RunnerFrame bad = Jobs.submit(executor, Jobs.query("q1", "pg", Jobs.spec("{}", 10), Optional.of(refused), 30_000))
          .get(30, TimeUnit.SECONDS);
      assertThat(bad).isInstanceOf(RunnerFrame.Error.class);
      assertThat(bad.toString()).doesNotContain(SENTINEL);
    }
    List<Path> holding = new ArrayList<>();
    for (Path root : new Path[] {Path.of("").toAbsolutePath(), Path.of(System.getProperty("java.io.tmpdir"))}) {
      holding.addAll(filesContaining(root, start));
    }
    assertThat(holding).isEmpty();
  }

  private static List<Path> filesContaining(Path root, FileTime since) throws IOException {
    List<Path> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root, 6)) {
      files.filter(Files::isRegularFile).forEach(p -> {
        try {
          if (Files.getLastModifiedTime(p).compareTo(since) >= 0 && Files.size(p) < 50_000_000
              && new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).contains(SENTINEL)) {
            found.add(p);
          }
        } catch (IOException | RuntimeException e) {
          // unreadable (another user's, or vanished): not written by this runner
        }
      });
    } catch (java.io.UncheckedIOException e) {
      // a directory vanished while walking the shared tmpdir: what was walked still counts
    }
    return found;
  }
}
