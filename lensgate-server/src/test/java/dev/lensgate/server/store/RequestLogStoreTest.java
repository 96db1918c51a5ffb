package dev.lensgate.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lensgate.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RequestLogStoreTest {
  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void append_batch_storesOnlyDeclaredColumns(TestDatabase.Kind kind) throws Exception {
    try (StoreFixture f = new StoreFixture(kind)) {
      Instant t = f.clock.instant();
      int n = f.requestLog.append(List.of(
          new RequestLogRow("req-1", f.devEnvId(), "key1", "POST /v1/query/{lens}", 200, 12, t),
          new RequestLogRow("req-2", null, null, "POST /v1/search/{lens}", 401, 1, t)));
      assertThat(n).isEqualTo(2);
      assertThat(ids(f)).containsExactlyInAnyOrder("req-1", "req-2");
      try (Connection c = f.store.dataSource().getConnection(); Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT * FROM request_log WHERE request_id = 'req-2'")) {
        assertThat(rs.getMetaData().getColumnCount()).isEqualTo(7);
        rs.next();
        assertThat(rs.getString("env_id")).isNull();
        assertThat(rs.getInt("status")).isEqualTo(401);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void sweepExpired_exactlyThirtyDaysOld_kept_oneMicroOlder_deleted(TestDatabase.Kind kind) throws Exception {
    try (StoreFixture f = new StoreFixture(kind)) {
      Instant now = f.clock.instant();
      Instant boundary = now.minus(Duration.ofDays(30));
      f.requestLog.append(List.of(
          new RequestLogRow("older", null, null, "GET /v1/health", 200, 0, boundary.minusNanos(1_000)),
          new RequestLogRow("exact", null, null, "GET /v1/health", 200, 0, boundary),
          new RequestLogRow("newer", null, null, "GET /v1/health", 200, 0, boundary.plusNanos(1_000)),
          new RequestLogRow("today", null, null, "GET /v1/health", 200, 0, now)));
      assertThat(f.requestLog.sweepExpired()).isEqualTo(1);
      assertThat(ids(f)).containsExactlyInAnyOrder("exact", "newer", "today");
      f.clock.advance(Duration.ofNanos(1_000));
      assertThat(f.requestLog.sweepExpired()).isEqualTo(1);
      assertThat(ids(f)).containsExactlyInAnyOrder("newer", "today");
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void append_overlongValues_cutToColumnWidths(TestDatabase.Kind kind) throws Exception {
    try (StoreFixture f = new StoreFixture(kind)) {
      f.requestLog.append(List.of(new RequestLogRow("r".repeat(100), null, null, "GET " + "/x".repeat(200), 200, 0,
          f.clock.instant())));
      assertThat(ids(f)).containsExactly("r".repeat(64));
      assertThat(f.requestLog.append(List.of())).isZero();
    }
  }

  private static List<String> ids(StoreFixture f) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = f.store.dataSource().getConnection(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT request_id FROM request_log")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
