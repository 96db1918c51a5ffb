package dev.lensgate.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.keys.ApiKeyFormat;
import dev.lensgate.core.keys.KeyRevocation;
import dev.lensgate.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ApiKeyServiceTest {
  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void create_envKeys_plaintextParsesAndOnlyHmacStored(TestDatabase.Kind kind) throws Exception {
    try (StoreFixture f = new StoreFixture(kind)) {
      for (KeyType type : new KeyType[] {KeyType.SK, KeyType.PK, KeyType.IK}) {
        CreatedKey k = f.keys.create(type, f.devEnvId(), "backend", Set.of());
        String text = k.plaintext().revealUtf8();
        assertThat(ApiKeyFormat.parse(text).orElseThrow().slug()).isEqualTo("development");
        assertThat(k.display().render()).isEqualTo(type.prefix() + "_development_\u2026" + text.substring(text.length() - 4));
        assertThat(k.info().envId()).isEqualTo(f.devEnvId());
        assertThat(k.info().orgId()).isEqualTo(f.orgId());
        assertThat(f.keyRepository.findByHmac(f.hasher.hashForStorage(type, text)))
            .hasValueSatisfying(s -> assertThat(s.id()).isEqualTo(k.id()));
        assertThat(allApiKeyCells(f)).noneMatch(cell -> cell.contains(text.substring(text.length() - 20)));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void create_partnerKey_bcryptStoredUnderKeyIdWithScopes(TestDatabase.Kind kind) throws Exception {
    try (StoreFixture f = new StoreFixture(kind)) {
      CreatedKey k = f.keys.create(KeyType.LP, f.devEnvId(), "acme partner", Set.of("products:search", "orders:query"));
      String text = k.plaintext().revealUtf8();
      assertThat(text).startsWith("lp_development_" + k.id() + ".");
      StoredApiKey stored = f.keyRepository.findPartnerKey(k.id()).orElseThrow();
      assertThat(stored.secretHmac()).isNull();
      assertThat(stored.scopes()).containsExactlyInAnyOrder("products:search", "orders:query");
      String secret = text.substring(text.indexOf('.') + 1);
      assertThat(f.partnerHasher.verify(SecretBytes.fromUtf8(secret), stored.secretBcrypt())).isTrue();
      assertThat(allApiKeyCells(f)).noneMatch(cell -> cell.contains(secret));
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void create_runnerKey_orgScopedWithOrgSlug(TestDatabase.Kind kind) {
    try (StoreFixture f = new StoreFixture(kind)) {
      CreatedKey k = f.keys.create(KeyType.RK, f.orgId(), "runner-1", Set.of());
      assertThat(k.plaintext().revealUtf8()).startsWith("rk_default_");
      assertThat(k.info().envId()).isNull();
      assertThat(f.keyRepository.findByHmac(f.hasher.hashForStorage(KeyType.RK, k.plaintext().revealUtf8())))
          .hasValueSatisfying(s -> assertThat(s.ownerSlug()).isEqualTo("default"));
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void create_invalidInputs_invalidRequestAndNothingStored(TestDatabase.Kind kind) {
    try (StoreFixture f = new StoreFixture(kind)) {
      expectCode(() -> f.keys.create(KeyType.SK, "no-such-env", "", Set.of()), ErrorCode.INVALID_REQUEST);
      expectCode(() -> f.keys.create(KeyType.RK, f.devEnvId(), "", Set.of()), ErrorCode.INVALID_REQUEST);
      expectCode(() -> f.keys.create(KeyType.SK, f.orgId(), "", Set.of()), ErrorCode.INVALID_REQUEST);
      expectCode(() -> f.keys.create(KeyType.PK, f.devEnvId(), "", Set.of("products:search")), ErrorCode.INVALID_REQUEST);
      expectCode(() -> f.keys.create(KeyType.LP, f.devEnvId(), "", Set.of("products:drop")), ErrorCode.INVALID_REQUEST);
      expectCode(() -> f.keys.create(KeyType.PK, f.devEnvId(), "x".repeat(101), Set.of()), ErrorCode.INVALID_REQUEST);
      expectCode(() -> f.keys.create(KeyType.PK, f.devEnvId(), "bad\nname", Set.of()), ErrorCode.INVALID_REQUEST);
      assertThat(f.keys.list(f.orgId(), Optional.empty())).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void list_filtersByEnvironment_andNeverExposesSecrets(TestDatabase.Kind kind) {
    try (StoreFixture f = new StoreFixture(kind)) {
      Environment prod = f.environments.create(f.orgId(), "production");
      CreatedKey dev = f.keys.create(KeyType.PK, f.devEnvId(), "web", Set.of());
      CreatedKey prd = f.keys.create(KeyType.SK, prod.id(), "api", Set.of());
      CreatedKey rk = f.keys.create(KeyType.RK, f.orgId(), "runner", Set.of());
      assertThat(f.keys.list(f.orgId(), Optional.empty())).extracting(ApiKeyInfo::id)
          .containsExactlyInAnyOrder(dev.id(), prd.id(), rk.id());
      assertThat(f.keys.list(f.orgId(), Optional.of(prod.id()))).extracting(ApiKeyInfo::id).containsExactly(prd.id());
      assertThat(f.keys.list(f.orgId(), Optional.empty()).toString())
          .doesNotContain(dev.plaintext().revealUtf8()).doesNotContain(prd.plaintext().revealUtf8());
      assertThat(f.keys.find(dev.id()).orElseThrow().state(f.clock.instant())).isEqualTo(KeyState.ACTIVE);
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void revoke_setsRevokedAtAndPublishes_idempotent(TestDatabase.Kind kind) {
    try (StoreFixture f = new StoreFixture(kind)) {
      List<KeyRevocation> events = new ArrayList<>();
      f.revocations.subscribe(events::add);
      CreatedKey k = f.keys.create(KeyType.PK, f.devEnvId(), "", Set.of());
      ApiKeyInfo revoked = f.keys.revoke(k.id());
      assertThat(revoked.revokedAt()).isEqualTo(f.clock.instant());
      assertThat(revoked.state(f.clock.instant())).isEqualTo(KeyState.REVOKED);
      f.clock.advance(Duration.ofMinutes(1));
      assertThat(f.keys.revoke(k.id()).revokedAt()).as("first revocation time kept").isEqualTo(revoked.revokedAt());
      assertThat(events).extracting(KeyRevocation::keyId).containsExactly(k.id(), k.id());
      assertThat(events.get(0).effectiveAt()).isEqualTo(revoked.revokedAt());
      expectCode(() -> f.keys.revoke("unknown"), ErrorCode.NOT_FOUND);
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void rotate_withGrace_oldRotatingUntilGraceEndThenRevoked(TestDatabase.Kind kind) {
    try (StoreFixture f = new StoreFixture(kind)) {
      List<KeyRevocation> events = new ArrayList<>();
      f.revocations.subscribe(events::add);
      CreatedKey old = f.keys.create(KeyType.LP, f.devEnvId(), "partner", Set.of("products:search"));
      CreatedKey fresh = f.keys.rotate(old.id(), Optional.of(Duration.ofHours(1)));
      ApiKeyInfo oldInfo = f.keys.find(old.id()).orElseThrow();
      assertThat(oldInfo.replacedBy()).isEqualTo(fresh.id());
      assertThat(oldInfo.expiresAt()).isEqualTo(f.clock.instant().plus(Duration.ofHours(1)));
      assertThat(oldInfo.state(f.clock.instant().plus(Duration.ofMinutes(59)))).isEqualTo(KeyState.ROTATING);
      assertThat(oldInfo.state(oldInfo.expiresAt())).isEqualTo(KeyState.REVOKED);
      assertThat(fresh.info().name()).isEqualTo("partner");
      assertThat(fresh.info().scopes()).containsExactly("products:search");
      assertThat(fresh.info().type()).isEqualTo(KeyType.LP);
      assertThat(fresh.plaintext().revealUtf8()).isNotEqualTo(old.plaintext().revealUtf8());
      assertThat(events).singleElement().satisfies(e -> {
        assertThat(e.keyId()).isEqualTo(old.id());
        assertThat(e.effectiveAt()).isEqualTo(oldInfo.expiresAt());
      });
      expectCode(() -> f.keys.rotate(old.id(), Optional.empty()), ErrorCode.INVALID_REQUEST);
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void rotate_withoutGrace_oldRevokedAtOnce(TestDatabase.Kind kind) {
    try (StoreFixture f = new StoreFixture(kind)) {
      CreatedKey old = f.keys.create(KeyType.SK, f.devEnvId(), "", Set.of());
      CreatedKey fresh = f.keys.rotate(old.id(), Optional.empty());
      ApiKeyInfo oldInfo = f.keys.find(old.id()).orElseThrow();
      assertThat(oldInfo.revokedAt()).isEqualTo(f.clock.instant());
      assertThat(oldInfo.replacedBy()).isEqualTo(fresh.id());
      assertThat(f.keys.find(fresh.id()).orElseThrow().state(f.clock.instant())).isEqualTo(KeyState.ACTIVE);
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void rotate_revokedUnknownOrBadGrace_rejected(TestDatabase.Kind kind) {
    try (StoreFixture f = new StoreFixture(kind)) {
      CreatedKey k = f.keys.create(KeyType.PK, f.devEnvId(), "", Set.of());
      expectCode(() -> f.keys.rotate(k.id(), Optional.of(Duration.ofSeconds(-1))), ErrorCode.INVALID_REQUEST);
      expectCode(() -> f.keys.rotate(k.id(), Optional.of(Duration.ofDays(31))), ErrorCode.INVALID_REQUEST);
      expectCode(() -> f.keys.rotate("unknown", Optional.empty()), ErrorCode.NOT_FOUND);
      f.keys.revoke(k.id());
      expectCode(() -> f.keys.rotate(k.id(), Optional.empty()), ErrorCode.INVALID_REQUEST);
      assertThat(f.keys.list(f.orgId(), Optional.empty())).hasSize(1);
    }
  }

  private static void expectCode(ThrowingCallable call, ErrorCode code) {
    assertThatThrownBy(call).isInstanceOfSatisfying(LensgateException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  static List<String> allApiKeyCells(StoreFixture f) throws Exception {
    List<String> cells = new ArrayList<>();
    try (Connection c = f.store.dataSource().getConnection(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT * FROM api_keys")) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        for (int i = 1; i <= md.getColumnCount(); i++) {
          cells.add(String.valueOf(rs.getObject(i)));
        }
      }
    }
    return cells;
  }
}
