package dev.lensgate.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lensgate.core.auth.KeyType;
import dev.lensgate.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RunnerStoresTest {
  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void create_bindsAnRkKeyAndRecordsHeartbeats(TestDatabase.Kind kind) throws Exception {
    try (StoreFixture f = new StoreFixture(kind)) {
      String org = f.store.defaultOrg().id();
      RunnerStore runners = new RunnerStore(f.store.dataSource(), f.keys, f.clock);
      CreatedRunner created = runners.create(org, "edge-1");
      assertThat(created.token().revealUtf8()).startsWith("rk_");
      assertThat(f.keys.find(created.info().keyId()).orElseThrow().type()).isEqualTo(KeyType.RK);
      assertThat(runners.findByKeyId(created.info().keyId())).contains(created.info());
      Instant t = f.clock.instant().plusSeconds(5);
      runners.heartbeat(created.info().id(), t, "1.2.3");
      RunnerInfo after = runners.find(created.info().id()).orElseThrow();
      assertThat(after.lastHeartbeatAt()).contains(t);
      assertThat(after.version()).contains("1.2.3");
      assertThat(runners.list(org)).extracting(RunnerInfo::name).containsExactly("edge-1");
      assertThatThrownBy(() -> runners.create(org, "edge-1")).hasMessageContaining("exists");
      assertThatThrownBy(() -> runners.create(org, "../x")).hasMessageContaining("runner name");
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void ledger_sweepKeepsExactlyNinetyDaysAndHasNoValueColumns(TestDatabase.Kind kind) throws Exception {
    try (StoreFixture f = new StoreFixture(kind)) {
      RunnerJobStore ledger = new RunnerJobStore(f.store.dataSource(), f.clock);
      Instant now = f.clock.instant();
      Instant boundary = now.minus(Duration.ofDays(90));
      ledger.append(row("older", f.devEnvId(), boundary.minusNanos(1_000)));
      ledger.append(row("exact", f.devEnvId(), boundary));
      ledger.append(row("today", f.devEnvId(), now));
      assertThat(ledger.sweepExpired()).isEqualTo(1);
      assertThat(ledger.since(Instant.EPOCH)).extracting(RunnerJobRow::id).containsExactly("exact", "today");
      try (Connection c = f.store.dataSource().getConnection(); Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT * FROM runner_jobs")) {
        assertThat(rs.getMetaData().getColumnCount()).isEqualTo(10);
      }
      RunnerJobRow back = ledger.since(now).get(0);
      assertThat(back.errorCode()).contains("runner_failed");
      assertThat(back.runnerId()).isEmpty();
    }
  }

  private static RunnerJobRow row(String id, String envId, Instant created) {
    return new RunnerJobRow(id, Optional.empty(), envId, "main", "query", "failed", 3, 0,
        Optional.of("runner_failed"), created);
  }
}
