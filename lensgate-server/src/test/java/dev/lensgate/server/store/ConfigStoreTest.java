package dev.lensgate.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lensgate.core.error.LensgateException;
import dev.lensgate.testkit.TestDatabase;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ConfigStoreTest {
  private static final String V1 = "lenses:\n  products:\n    table: products\n";
  private static final String V2 = "lenses:\n  products:\n    table: products_v2\n";

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void push_firstTime_changedAndActive(TestDatabase.Kind kind) {
    try (StoreFixture f = new StoreFixture(kind)) {
      assertThat(f.configs.active(f.devEnvId())).isEmpty();
      PushResult r = f.configs.push(f.devEnvId(), V1);
      assertThat(r.changed()).isTrue();
      assertThat(r.previousYaml()).isEmpty();
      assertThat(r.hash()).isEqualTo(ConfigStore.sha256Hex(V1.getBytes(java.nio.charset.StandardCharsets.UTF_8))).hasSize(64);
      ActiveConfig active = f.configs.active(f.devEnvId()).orElseThrow();
      assertThat(active.yaml()).isEqualTo(V1);
      assertThat(active.hash()).isEqualTo(r.hash());
      assertThat(active.pushedAt()).isEqualTo(f.clock.instant());
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void push_sameContentAgain_unchangedAndPushedAtKept(TestDatabase.Kind kind) {
    try (StoreFixture f = new StoreFixture(kind)) {
      f.configs.push(f.devEnvId(), V1);
      f.clock.advance(Duration.ofHours(1));
      PushResult again = f.configs.push(f.devEnvId(), V1);
      assertThat(again.changed()).isFalse();
      assertThat(f.configs.active(f.devEnvId()).orElseThrow().pushedAt()).isEqualTo(f.clock.instant().minus(Duration.ofHours(1)));
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void push_newThenOld_switchesActiveAndReportsPrevious(TestDatabase.Kind kind) {
    try (StoreFixture f = new StoreFixture(kind)) {
      f.configs.push(f.devEnvId(), V1);
      PushResult toV2 = f.configs.push(f.devEnvId(), V2);
      assertThat(toV2.changed()).isTrue();
      assertThat(toV2.previousYaml()).contains(V1);
      assertThat(f.configs.active(f.devEnvId()).orElseThrow().yaml()).isEqualTo(V2);
      PushResult back = f.configs.push(f.devEnvId(), V1);
      assertThat(back.changed()).isTrue();
      assertThat(back.previousYaml()).contains(V2);
      assertThat(f.configs.active(f.devEnvId()).orElseThrow().yaml()).isEqualTo(V1);
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void push_environmentsAreIndependent(TestDatabase.Kind kind) {
    try (StoreFixture f = new StoreFixture(kind)) {
      Environment prod = f.environments.create(f.orgId(), "production");
      f.configs.push(f.devEnvId(), V1);
      assertThat(f.configs.active(prod.id())).isEmpty();
      assertThat(f.configs.push(prod.id(), V1).changed()).isTrue();
      f.configs.push(prod.id(), V2);
      assertThat(f.configs.active(f.devEnvId()).orElseThrow().yaml()).isEqualTo(V1);
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void push_unknownEnvOrTooLarge_rejected(TestDatabase.Kind kind) {
    try (StoreFixture f = new StoreFixture(kind)) {
      assertThatThrownBy(() -> f.configs.push("nope", V1)).isInstanceOf(LensgateException.class);
      assertThatThrownBy(() -> f.configs.push(f.devEnvId(), "x".repeat(ConfigStore.MAX_CONFIG_BYTES + 1)))
          .isInstanceOf(LensgateException.class);
      assertThat(f.configs.active(f.devEnvId())).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void push_concurrentDifferentConfigs_exactlyOneActiveRow(TestDatabase.Kind kind) throws Exception {
    try (StoreFixture f = new StoreFixture(kind)) {
      int threads = 6;
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
      java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
      try {
        java.util.List<java.util.concurrent.Future<PushResult>> results = new java.util.ArrayList<>();
        for (int i = 0; i < threads; i++) {
          String yaml = "lenses: {}\n# variant " + i + "\n";
          results.add(pool.submit(() -> {
            start.await();
            return f.configs.push(f.devEnvId(), yaml);
          }));
        }
        start.countDown();
        for (java.util.concurrent.Future<PushResult> r : results) {
          assertThat(r.get().changed()).isTrue();
        }
      } finally {
        pool.shutdownNow();
      }
      try (java.sql.Connection c = f.store.dataSource().getConnection();
           java.sql.PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM env_configs WHERE env_id = ? AND active = ?")) {
        ps.setString(1, f.devEnvId());
        ps.setBoolean(2, true);
        try (java.sql.ResultSet rs = ps.executeQuery()) {
          rs.next();
          assertThat(rs.getInt(1)).isEqualTo(1);
        }
      }
    }
  }
}
