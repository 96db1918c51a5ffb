package dev.lensgate.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.core.runner.JobCredentials;
import dev.lensgate.testkit.TestDatabase;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SourcePoolsTest {
  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void connectTimeoutProperties_perDriverUnits() {
    assertThat(SourcePools.connectTimeoutProperties("jdbc:postgresql://h/db", 2500))
        .isEqualTo(Map.of("connectTimeout", "3", "loginTimeout", "3"));
    assertThat(SourcePools.connectTimeoutProperties("jdbc:mariadb://h/db", 2500)).isEqualTo(Map.of("connectTimeout", "2500"));
    assertThat(SourcePools.connectTimeoutProperties("jdbc:h2:mem:x", 2500)).isEmpty();
  }

  @Test
  void connect_refusedPort_failsWithoutWaitingForThePoolTimeout() throws Exception {
    // A pool timeout far beyond the budget: only the probe can answer within it.
    try (SourcePools pools = new SourcePools(2, Duration.ofSeconds(30))) {
      for (String url : new String[] {"jdbc:postgresql://127.0.0.1:" + closedPort() + "/x",
          "jdbc:mariadb://127.0.0.1:" + closedPort() + "/x"}) {
        JobCredentials c = new JobCredentials(url, "u", SecretBytes.fromUtf8("p"));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> pools.connect("main", c, Duration.ofSeconds(2))).isInstanceOf(SQLException.class);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        System.out.println(url.substring(0, 16) + " refused connection failed after " + ms + " ms");
        assertThat(ms).as("liveness bound only: far below the 30 s pool timeout").isLessThan(20_000);
      }
    }
  }

  @Test
  void connect_reachableThenRotatedCredentials_replacesThePool() throws Exception {
    try (TestDatabase db = TestDatabase.postgres(); SourcePools pools = new SourcePools(2, Duration.ofSeconds(5))) {
      JobCredentials first = Jobs.credentials(db);
      try (Connection c = pools.connect("main", first, Duration.ofSeconds(5))) {
        assertThat(c.isValid(2)).isTrue();
        assertThat(c.isReadOnly()).isTrue();
      }
      // warm pool: used as is
      try (Connection c = pools.connect("main", first, Duration.ofSeconds(5))) {
        assertThat(c.isValid(2)).isTrue();
      }
      JobCredentials moved = new JobCredentials("jdbc:postgresql://127.0.0.1:" + closedPort() + "/x", db.user(),
          SecretBytes.fromUtf8(db.password()));
      assertThatThrownBy(() -> pools.connect("main", moved, Duration.ofSeconds(2))).isInstanceOf(SQLException.class);
      assertThat(pools.openPools()).isEqualTo(1);
    }
  }
}
