package dev.lensgate.server.authenticate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.auth.Principal;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.keys.ApiKeyGenerator;
import dev.lensgate.core.keys.KeyRevocation;
import dev.lensgate.server.store.CreatedKey;
import dev.lensgate.server.store.Environment;
import dev.lensgate.server.store.StoreFixture;
import dev.lensgate.testkit.TestDatabase;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KeyAuthenticatorTest {
  private StoreFixture f;
  private CountingPartnerHasher bcrypt;
  private KeyAuthenticator auth;

  private void setUp(TestDatabase.Kind kind) {
    bcrypt = new CountingPartnerHasher();
    f = new StoreFixture(kind, bcrypt);
    auth = new KeyAuthenticator(f.keyRepository, f.hasher, bcrypt, f.lastUsed, f.revocations, f.clock,
        KeyAuthenticator.DEFAULT_CACHE_TTL);
    bcrypt.verifications.set(0);
  }

  @AfterEach
  void tearDown() {
    if (auth != null) {
      auth.close();
    }
    if (f != null) {
      f.close();
    }
  }

  private static String bearer(CreatedKey k) {
    return "Bearer " + k.plaintext().revealUtf8();
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void authenticate_eachType_principalOfItsOwner(TestDatabase.Kind kind) {
    setUp(kind);
    for (KeyType type : new KeyType[] {KeyType.SK, KeyType.PK, KeyType.IK}) {
      CreatedKey k = f.keys.create(type, f.devEnvId(), "", Set.of());
      assertThat(auth.authenticate(bearer(k)))
          .isEqualTo(new Principal(k.id(), type, f.orgId(), f.devEnvId(), Set.of()));
    }
    CreatedKey lp = f.keys.create(KeyType.LP, f.devEnvId(), "", Set.of("products:search"));
    assertThat(auth.authenticate(bearer(lp)))
        .isEqualTo(new Principal(lp.id(), KeyType.LP, f.orgId(), f.devEnvId(), Set.of("products:search")));
    CreatedKey rk = f.keys.create(KeyType.RK, f.orgId(), "", Set.of());
    assertThat(auth.authenticateKey(rk.plaintext().revealUtf8()))
        .isEqualTo(new Principal(rk.id(), KeyType.RK, f.orgId(), null, Set.of()));
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void authenticate_missingOrNotBearer_missingApiKey(TestDatabase.Kind kind) {
    setUp(kind);
    CreatedKey k = f.keys.create(KeyType.SK, f.devEnvId(), "", Set.of());
    expect(() -> auth.authenticate(null), ErrorCode.MISSING_API_KEY);
    expect(() -> auth.authenticate(""), ErrorCode.MISSING_API_KEY);
    expect(() -> auth.authenticate("Basic " + k.plaintext().revealUtf8()), ErrorCode.MISSING_API_KEY);
    expect(() -> auth.authenticate(k.plaintext().revealUtf8()), ErrorCode.MISSING_API_KEY);
    expect(() -> auth.authenticateKey(null), ErrorCode.MISSING_API_KEY);
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void authenticate_badFormatOrChecksumOrUnknown_invalidApiKey(TestDatabase.Kind kind) {
    setUp(kind);
    CreatedKey k = f.keys.create(KeyType.SK, f.devEnvId(), "", Set.of());
    String text = k.plaintext().revealUtf8();
    expect(() -> auth.authenticate("Bearer not-a-key"), ErrorCode.INVALID_API_KEY);
    String lastCharEdited = text.substring(0, text.length() - 1) + (text.endsWith("a") ? "b" : "a");
    expect(() -> auth.authenticate("Bearer " + lastCharEdited), ErrorCode.INVALID_API_KEY);
    String unknown = new ApiKeyGenerator(new SecureRandom()).generate(KeyType.SK, "development").plaintext().revealUtf8();
    expect(() -> auth.authenticate("Bearer " + unknown), ErrorCode.INVALID_API_KEY);
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void authenticate_keyOfEnvAPresentedWithSlugOfEnvB_invalidApiKey(TestDatabase.Kind kind) throws Exception {
    setUp(kind);
    f.environments.create(f.orgId(), "production");
    CreatedKey devKey = f.keys.create(KeyType.PK, f.devEnvId(), "", Set.of());
    String text = devKey.plaintext().revealUtf8();
    // Same body, other environment's slug, checksum recomputed so the offline check passes.
    String forged = withChecksum("pk_production_" + text.substring("pk_development_".length(), text.length() - 6));
    expect(() -> auth.authenticate("Bearer " + forged), ErrorCode.INVALID_API_KEY);
    // Even if the database row were made to match the forged hash, the env slug check refuses it.
    try (Connection c = f.store.dataSource().getConnection();
         PreparedStatement ps = c.prepareStatement("UPDATE api_keys SET secret_hmac = ? WHERE id = ?")) {
      ps.setString(1, f.hasher.hashForStorage(KeyType.PK, forged));
      ps.setString(2, devKey.id());
      ps.executeUpdate();
    }
    expect(() -> auth.authenticate("Bearer " + forged), ErrorCode.INVALID_API_KEY);
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void authenticate_keyTypePrefixSwapped_invalidApiKey(TestDatabase.Kind kind) {
    setUp(kind);
    CreatedKey pk = f.keys.create(KeyType.PK, f.devEnvId(), "", Set.of());
    String text = pk.plaintext().revealUtf8();
    String asSk = withChecksum("sk" + text.substring(2, text.length() - 6));
    expect(() -> auth.authenticate("Bearer " + asSk), ErrorCode.INVALID_API_KEY);
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void authenticate_unknownPartnerKeyId_paysExactlyOneBcrypt(TestDatabase.Kind kind) {
    setUp(kind);
    String unknown = new ApiKeyGenerator(new SecureRandom()).generate(KeyType.LP, "development").plaintext().revealUtf8();
    expect(() -> auth.authenticate("Bearer " + unknown), ErrorCode.INVALID_API_KEY);
    assertThat(bcrypt.verifications.get()).isEqualTo(1);
    expect(() -> auth.authenticate("Bearer " + unknown), ErrorCode.INVALID_API_KEY);
    assertThat(bcrypt.verifications.get()).as("failures are not cached").isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void authenticate_partnerKeyWrongSecret_oneBcryptAndInvalid(TestDatabase.Kind kind) {
    setUp(kind);
    CreatedKey lp = f.keys.create(KeyType.LP, f.devEnvId(), "", Set.of());
    String text = lp.plaintext().revealUtf8();
    String otherSecret = new ApiKeyGenerator(new SecureRandom()).generate(KeyType.LP, "development").plaintext().revealUtf8();
    String forged = withChecksum(text.substring(0, text.indexOf('.') + 1)
        + otherSecret.substring(otherSecret.indexOf('.') + 1, otherSecret.length() - 6));
    bcrypt.verifications.set(0);
    expect(() -> auth.authenticate("Bearer " + forged), ErrorCode.INVALID_API_KEY);
    assertThat(bcrypt.verifications.get()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void authenticate_verifiedPartnerKey_cachedSoBcryptPaidOnce(TestDatabase.Kind kind) {
    setUp(kind);
    CreatedKey lp = f.keys.create(KeyType.LP, f.devEnvId(), "", Set.of("products:search"));
    bcrypt.verifications.set(0);
    for (int i = 0; i < 50; i++) {
      auth.authenticate(bearer(lp));
    }
    assertThat(bcrypt.verifications.get()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void revoke_cachedKey_nextAuthenticateKeyRevoked(TestDatabase.Kind kind) {
    setUp(kind);
    for (KeyType type : new KeyType[] {KeyType.SK, KeyType.LP}) {
      CreatedKey k = f.keys.create(type, f.devEnvId(), "", Set.of());
      auth.authenticate(bearer(k));
      auth.authenticate(bearer(k));
      f.keys.revoke(k.id());
      expect(() -> auth.authenticate(bearer(k)), ErrorCode.KEY_REVOKED);
    }
    CreatedKey rk = f.keys.create(KeyType.RK, f.orgId(), "", Set.of());
    auth.authenticateKey(rk.plaintext().revealUtf8());
    f.keys.revoke(rk.id());
    expect(() -> auth.authenticateKey(rk.plaintext().revealUtf8()), ErrorCode.KEY_REVOKED);
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void revokedPartnerKey_wrongSecret_invalidNotRevoked(TestDatabase.Kind kind) {
    setUp(kind);
    CreatedKey lp = f.keys.create(KeyType.LP, f.devEnvId(), "", Set.of());
    f.keys.revoke(lp.id());
    String text = lp.plaintext().revealUtf8();
    String forged = withChecksum(text.substring(0, text.indexOf('.') + 1) + "A".repeat(32));
    expect(() -> auth.authenticate("Bearer " + forged), ErrorCode.INVALID_API_KEY);
    expect(() -> auth.authenticate(bearer(lp)), ErrorCode.KEY_REVOKED);
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void rotate_withGrace_oldWorksAtGraceMinus1s_refusedAtGraceAndGracePlus1s(TestDatabase.Kind kind) {
    setUp(kind);
    for (KeyType type : new KeyType[] {KeyType.PK, KeyType.LP}) {
      f.clock.set(java.time.Instant.parse("2025-03-01T12:00:00Z"));
      CreatedKey old = f.keys.create(type, f.devEnvId(), "", Set.of());
      auth.authenticate(bearer(old));
      Duration grace = Duration.ofMinutes(10);
      CreatedKey fresh = f.keys.rotate(old.id(), Optional.of(grace));
      assertThat(auth.authenticate(bearer(fresh)).keyId()).isEqualTo(fresh.id());
      f.clock.advance(grace.minusSeconds(1));
      assertThat(auth.authenticate(bearer(old)).keyId()).isEqualTo(old.id());
      f.clock.advance(Duration.ofSeconds(1));
      expect(() -> auth.authenticate(bearer(old)), ErrorCode.KEY_REVOKED);
      f.clock.advance(Duration.ofSeconds(1));
      expect(() -> auth.authenticate(bearer(old)), ErrorCode.KEY_REVOKED);
      assertThat(auth.authenticate(bearer(fresh)).keyId()).isEqualTo(fresh.id());
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void rotate_withoutGrace_oldRefusedAtOnceEvenWhenCached(TestDatabase.Kind kind) {
    setUp(kind);
    CreatedKey old = f.keys.create(KeyType.SK, f.devEnvId(), "", Set.of());
    auth.authenticate(bearer(old));
    CreatedKey fresh = f.keys.rotate(old.id(), Optional.empty());
    expect(() -> auth.authenticate(bearer(old)), ErrorCode.KEY_REVOKED);
    assertThat(auth.authenticate(bearer(fresh)).keyId()).isEqualTo(fresh.id());
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void cache_hitServedWithoutDatabase_untilTtlExpires(TestDatabase.Kind kind) throws Exception {
    setUp(kind);
    CreatedKey k = f.keys.create(KeyType.PK, f.devEnvId(), "", Set.of());
    auth.authenticate(bearer(k));
    // Revoke behind the authenticator's back (as another node would): no event reaches this node.
    try (Connection c = f.store.dataSource().getConnection();
         PreparedStatement ps = c.prepareStatement("DELETE FROM api_keys WHERE id = ?")) {
      ps.setString(1, k.id());
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
    assertThat(auth.authenticate(bearer(k)).keyId()).as("served from cache").isEqualTo(k.id());
    f.clock.advance(KeyAuthenticator.DEFAULT_CACHE_TTL);
    expect(() -> auth.authenticate(bearer(k)), ErrorCode.INVALID_API_KEY);
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void authenticate_success_recordsLastUsedOnFlush(TestDatabase.Kind kind) {
    setUp(kind);
    CreatedKey k = f.keys.create(KeyType.PK, f.devEnvId(), "", Set.of());
    auth.authenticate(bearer(k));
    assertThat(f.keys.find(k.id()).orElseThrow().lastUsedAt()).isNull();
    f.lastUsed.flush();
    assertThat(f.keys.find(k.id()).orElseThrow().lastUsedAt()).isEqualTo(f.clock.instant());
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void revocationListener_toldOfRevokeAndRotation(TestDatabase.Kind kind) {
    setUp(kind);
    List<KeyRevocation> seen = new ArrayList<>();
    f.revocations.subscribe(seen::add);
    CreatedKey a = f.keys.create(KeyType.PK, f.devEnvId(), "", Set.of());
    CreatedKey b = f.keys.create(KeyType.RK, f.orgId(), "", Set.of());
    f.keys.revoke(a.id());
    f.keys.rotate(b.id(), Optional.of(Duration.ofSeconds(30)));
    assertThat(seen).extracting(KeyRevocation::keyId, KeyRevocation::type)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(a.id(), KeyType.PK), org.assertj.core.groups.Tuple.tuple(b.id(), KeyType.RK));
    assertThat(seen.get(1).effectiveAt()).isEqualTo(f.clock.instant().plusSeconds(30));
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void authenticate_keyFromOtherOrgEnvironment_principalCarriesItsOwnEnv(TestDatabase.Kind kind) {
    setUp(kind);
    Environment prod = f.environments.create(f.orgId(), "production");
    CreatedKey prodKey = f.keys.create(KeyType.PK, prod.id(), "", Set.of());
    assertThat(auth.authenticate(bearer(prodKey)).envId()).isEqualTo(prod.id()).isNotEqualTo(f.devEnvId());
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void authenticate_errorMessages_neverContainTheKey(TestDatabase.Kind kind) {
    setUp(kind);
    CreatedKey k = f.keys.create(KeyType.SK, f.devEnvId(), "", Set.of());
    String text = k.plaintext().revealUtf8();
    f.keys.revoke(k.id());
    for (String header : new String[] {"Bearer " + text, "Bearer " + text + "x", "Basic " + text}) {
      assertThatThrownBy(() -> auth.authenticate(header)).isInstanceOf(LensgateException.class)
          .hasMessageNotContaining(text.substring(15));
    }
  }

  private static String withChecksum(String checked) {
    CRC32 crc = new CRC32();
    crc.update(checked.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    long v = crc.getValue();
    String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    char[] out = new char[6];
    for (int i = 5; i >= 0; i--) {
      out[i] = alphabet.charAt((int) (v % 62));
      v /= 62;
    }
    return checked + new String(out);
  }

  private static void expect(ThrowingCallable call, ErrorCode code) {
    assertThatThrownBy(call).isInstanceOfSatisfying(LensgateException.class, e -> assertThat(e.code()).isEqualTo(code));
  }
}
