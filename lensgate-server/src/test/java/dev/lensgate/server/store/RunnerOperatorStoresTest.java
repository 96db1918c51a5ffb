package dev.lensgate.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The operator side of runners in the store, on H2 and PostgreSQL: revocation, rotation moving the
 * runner to its new key, CLI source assignments (V4) and the runner-local credential wipe on push.
 */
class RunnerOperatorStoresTest {
  static final String RUNNER_LOCAL_CONFIG = String.join("\n",
      "stack: lensgate/v1",
      "sources:",
      "  shop: { type: postgres, runners: [edge-1], credentials: runner-local }",
      "  other: { type: postgres }",
      "lenses:",
      "  items:",
      "    source: shop",
      "    table: items",
      "    primaryKey: id",
      "    fields:",
      "      id: { type: integer }",
      "defaults:",
      "  grants: strict",
      "");

  private static RunnerStore runners(StoreFixture f) {
    return new RunnerStore(f.store.dataSource(), f.keys, f.clock);
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void revoke_twice_revokesTheKeyOnceThenReportsAlreadyRevoked(TestDatabase.Kind kind) {
    try (StoreFixture f = new StoreFixture(kind)) {
      RunnerStore runners = runners(f);
      CreatedRunner r = runners.create(f.orgId(), "edge-1");
      assertThat(runners.isActive(r.info())).isTrue();

      assertThat(runners.revoke(r.info().id())).isTrue();
      assertThat(runners.revoke(r.info().id())).isFalse();

      assertThat(runners.isActive(r.info())).isFalse();
      assertThat(f.keys.find(r.info().keyId()).orElseThrow().revokedAt()).isNotNull();
      LensgateException e = catchLensgate(() -> runners.revoke("NoSuchRunner0000"));
      assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void rotate_withoutGrace_movesTheRunnerToTheNewKey(TestDatabase.Kind kind) {
    try (StoreFixture f = new StoreFixture(kind)) {
      RunnerStore runners = runners(f);
      CreatedRunner r = runners.create(f.orgId(), "edge-1");
      String oldKey = r.info().keyId();

      CreatedKey fresh = f.keys.rotate(oldKey, Optional.empty());

      RunnerInfo moved = runners.find(r.info().id()).orElseThrow();
      assertThat(moved.keyId()).isEqualTo(fresh.id());
      assertThat(runners.findByKeyId(fresh.id())).map(RunnerInfo::id).contains(r.info().id());
      assertThat(runners.findByKeyId(oldKey)).isEmpty();
      assertThat(runners.isActive(moved)).isTrue();
      assertThat(f.keys.find(oldKey).orElseThrow().revokedAt()).as("no grace: old key revoked").isNotNull();
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void rotate_withGrace_oldKeyStillIdentifiesTheRunnerAndRevokeEndsBothKeys(TestDatabase.Kind kind) {
    try (StoreFixture f = new StoreFixture(kind)) {
      RunnerStore runners = runners(f);
      CreatedRunner r = runners.create(f.orgId(), "edge-1");
      String k1 = r.info().keyId();
      String k2 = f.keys.rotate(k1, Optional.of(Duration.ofHours(1))).id();
      String k3 = f.keys.rotate(k2, Optional.of(Duration.ofHours(1))).id();

      for (String k : List.of(k1, k2, k3)) {
        RunnerInfo via = runners.findByKey(k).orElseThrow();
        assertThat(via.id()).isEqualTo(r.info().id());
        assertThat(via.keyId()).as("the presented key, so its own revocation closes its sessions").isEqualTo(k);
      }
      assertThat(runners.find(r.info().id()).orElseThrow().keyId()).isEqualTo(k3);
      assertThat(runners.findByKey("NoSuchKey0000000")).isEmpty();

      assertThat(runners.revoke(r.info().id())).isTrue();

      for (String k : List.of(k1, k2, k3)) {
        assertThat(f.keys.find(k).orElseThrow().revokedAt()).as(k).isNotNull();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void assign_replacesUnassignRemovesAndUnknownRunnersChangeNothing(TestDatabase.Kind kind) {
    try (StoreFixture f = new StoreFixture(kind)) {
      RunnerStore runners = runners(f);
      runners.create(f.orgId(), "edge-1");
      runners.create(f.orgId(), "edge-2");
      SourceAssignmentStore assignments = new SourceAssignmentStore(f.store.dataSource(), f.clock);

      assertThat(assignments.assign(f.devEnvId(), "shop", List.of("edge-2", "edge-1", "edge-2")))
          .extracting(RunnerInfo::name).containsExactly("edge-2", "edge-1");
      assertThat(assignments.all()).isEqualTo(Map.of(f.devEnvId(), Map.of("shop", List.of("edge-1", "edge-2"))));

      assignments.assign(f.devEnvId(), "shop", List.of("edge-2"));
      assertThat(assignments.forEnvironment(f.devEnvId())).isEqualTo(Map.of("shop", List.of("edge-2")));

      LensgateException unknown = catchLensgate(() -> assignments.assign(f.devEnvId(), "shop", List.of("edge-1", "edge-9")));
      assertThat(unknown.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
      assertThat(unknown.getMessage()).contains("edge-9").doesNotContain("edge-1");
      assertThat(assignments.forEnvironment(f.devEnvId())).as("all or nothing").isEqualTo(Map.of("shop", List.of("edge-2")));
      assertThat(catchLensgate(() -> assignments.assign("NoSuchEnv0000000", "shop", List.of("edge-1"))).code())
          .isEqualTo(ErrorCode.INVALID_REQUEST);
      assertThat(catchLensgate(() -> assignments.assign(f.devEnvId(), "../x", List.of("edge-1"))).code())
          .isEqualTo(ErrorCode.INVALID_REQUEST);
      assertThat(catchLensgate(() -> assignments.assign(f.devEnvId(), "shop", List.of())).code())
          .isEqualTo(ErrorCode.INVALID_REQUEST);

      assertThat(assignments.unassign(f.devEnvId(), "shop")).isTrue();
      assertThat(assignments.unassign(f.devEnvId(), "shop")).isFalse();
      assertThat(assignments.all()).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void assign_runnerOfAnotherOrganization_isUnknown(TestDatabase.Kind kind) {
    try (StoreFixture f = new StoreFixture(kind)) {
      Organization other = f.organizations.ensure("other");
      runners(f).create(other.id(), "edge-x");
      SourceAssignmentStore assignments = new SourceAssignmentStore(f.store.dataSource(), f.clock);

      assertThat(catchLensgate(() -> assignments.assign(f.devEnvId(), "shop", List.of("edge-x"))).getMessage())
          .contains("no runner named edge-x");
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void push_runnerLocalSource_wipesItsStoredCredentialsRowInTheSameOperation(TestDatabase.Kind kind) throws Exception {
    try (StoreFixture f = new StoreFixture(kind)) {
      try (SecretBytes pw = SecretBytes.fromUtf8("Sentinel-pw-wipe")) {
        f.sources.connect(f.devEnvId(), "shop", "jdbc:postgresql://db/shop", "app", pw);
      }
      try (SecretBytes pw = SecretBytes.fromUtf8("kept")) {
        f.sources.connect(f.devEnvId(), "other", "jdbc:postgresql://db/other", "app", pw);
      }
      assertThat(sealedRows(f, "shop")).isEqualTo(1);

      PushResult first = f.configs.push(f.devEnvId(), RUNNER_LOCAL_CONFIG);
      PushResult again = f.configs.push(f.devEnvId(), RUNNER_LOCAL_CONFIG);

      assertThat(first.changed()).isTrue();
      assertThat(first.wipedCredentials()).containsExactly("shop");
      assertThat(again.changed()).isFalse();
      assertThat(again.wipedCredentials()).isEmpty();
      assertThat(sealedRows(f, "shop")).as("ciphertext row gone").isZero();
      assertThat(sealedRows(f, "other")).as("managed source kept").isEqualTo(1);
      assertThat(f.sources.credentials(f.devEnvId(), "shop")).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void push_managedOrUnparsableConfig_wipesNothing(TestDatabase.Kind kind) throws Exception {
    try (StoreFixture f = new StoreFixture(kind)) {
      try (SecretBytes pw = SecretBytes.fromUtf8("kept")) {
        f.sources.connect(f.devEnvId(), "shop", "jdbc:postgresql://db/shop", "app", pw);
      }
      String managed = RUNNER_LOCAL_CONFIG.replace(", credentials: runner-local", "");

      assertThat(f.configs.push(f.devEnvId(), managed).wipedCredentials()).isEmpty();
      assertThat(f.configs.push(f.devEnvId(), "not: [valid").wipedCredentials()).isEmpty();
      assertThat(sealedRows(f, "shop")).isEqualTo(1);
    }
  }

  private static int sealedRows(StoreFixture f, String name) throws Exception {
    try (Connection c = f.store.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM sources WHERE env_id = ? AND name = ?")) {
      ps.setString(1, f.devEnvId());
      ps.setString(2, name);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private static LensgateException catchLensgate(Runnable r) {
    try {
      r.run();
    } catch (LensgateException e) {
      return e;
    }
    throw new AssertionError("expected a LensgateException");
  }
}
