package dev.lensgate.core.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.lensgate.core.config.JwtSettings;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwksUserTokenVerifierTest {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private static final TestIssuer ISSUER = TestIssuer.create(NOW);

  private final MutableClock clock = new MutableClock(NOW);
  private final CountingJwksSource source = new CountingJwksSource(ISSUER.jwksJson());

  private JwksUserTokenVerifier verifier() {
    return JwksUserTokenVerifier.builder()
        .jwksSource(source).issuer(TestIssuer.ISSUER).audience(TestIssuer.AUDIENCE).clock(clock).build();
  }

  private static void assertInvalid(JwksUserTokenVerifier v, String token, String messagePart) {
    assertThatThrownBy(() -> v.verify(token))
        .isInstanceOfSatisfying(LensgateException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.INVALID_USER_TOKEN);
          assertThat(e.getMessage()).contains(messagePart);
          if (token != null && token.length() > 20) {
            assertThat(e.getMessage()).doesNotContain(token.substring(0, 20));
          }
        });
  }

  @Test
  void verify_validTokenOfEachAllowedAlgorithm_returnsClaims() {
    JwksUserTokenVerifier v = verifier();
    for (TestIssuer.Token t : List.of(ISSUER.rs256(), ISSUER.ps256(), ISSUER.es256(), ISSUER.edDsa())) {
      VerifiedClaims claims = v.verify(t.claim("orgId", "org_1").sign());
      assertThat(claims.claims()).containsEntry("orgId", "org_1").containsEntry("sub", "user-1");
      assertThat(claims.subject()).contains("user-1");
      assertThat(claims.expiresAt()).isEqualTo(NOW.plusSeconds(3600));
      assertThat(claims.claims().get("exp")).isEqualTo(NOW.plusSeconds(3600).getEpochSecond());
    }
    assertThat(source.fetches()).isEqualTo(1);
  }

  @Test
  void verify_claimsMap_isDeeplyUnmodifiableAndToStringHidesValues() {
    VerifiedClaims claims = verifier().verify(ISSUER.rs256().claim("roles", List.of("a", "b")).claim("email", "x@y.z").sign());
    assertThatThrownBy(() -> claims.claims().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> ((List<?>) claims.claims().get("roles")).clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThat(claims.toString()).doesNotContain("x@y.z").doesNotContain("user-1");
  }

  @Test
  void verify_expiryBoundaryWithSkew_acceptsAtSixtySecondsRejectsAfter() {
    JwksUserTokenVerifier v = verifier();
    String token = ISSUER.es256().expiresAt(NOW).sign();
    clock.set(NOW.plusSeconds(60));
    assertThat(v.verify(token).expiresAt()).isEqualTo(NOW);
    clock.set(NOW.plusSeconds(61));
    assertInvalid(v, token, "expired");
  }

  @Test
  void verify_notBeforeBoundaryWithSkew_acceptsAtSixtySecondsEarlyRejectsBefore() {
    JwksUserTokenVerifier v = verifier();
    assertThat(v.verify(ISSUER.rs256().notBefore(NOW.plusSeconds(60)).sign())).isNotNull();
    assertInvalid(v, ISSUER.rs256().notBefore(NOW.plusSeconds(61)).sign(), "not valid yet");
  }

  @Test
  void verify_issuedInTheFutureBeyondSkew_isRejected() {
    assertInvalid(verifier(), ISSUER.rs256().issuedAt(NOW.plusSeconds(120)).sign(), "future");
  }

  @Test
  void verify_missingExp_isRejected() {
    assertInvalid(verifier(), ISSUER.rs256().without("exp").sign(), "no expiry");
  }

  @Test
  void verify_wrongOrMissingIssuer_isRejected() {
    assertInvalid(verifier(), ISSUER.rs256().issuer("https://evil.test").sign(), "issuer");
    assertInvalid(verifier(), ISSUER.rs256().without("iss").sign(), "issuer");
  }

  @Test
  void verify_wrongOrMissingAudience_isRejected() {
    assertInvalid(verifier(), ISSUER.rs256().audience("other-app").sign(), "audience");
    assertInvalid(verifier(), ISSUER.rs256().without("aud").sign(), "audience");
  }

  @Test
  void verify_audienceList_containingOurs_isAccepted() {
    assertThat(verifier().verify(ISSUER.rs256().claim("aud", List.of("other", TestIssuer.AUDIENCE)).sign())).isNotNull();
  }

  @Test
  void verify_algNone_isRejected() {
    assertInvalid(verifier(), ISSUER.algNone(), "malformed");
  }

  @Test
  void verify_hs256SignedWithRsaPublicKey_isRejected() {
    assertInvalid(verifier(), ISSUER.hs256WithPublicKey(), "algorithm");
  }

  @Test
  void verify_garbageAndEdgeInputs_areRejected() {
    JwksUserTokenVerifier v = verifier();
    for (String garbage : new String[] {"", "garbage", "a.b.c", "....", "eyJhbGciOiJSUzI1NiJ9..", "x".repeat(9000)}) {
      assertInvalid(v, garbage, "");
    }
    assertInvalid(v, null, "malformed");
  }

  @Test
  void verify_everyFlippedSignatureCharacter_isRejected() {
    JwksUserTokenVerifier v = verifier();
    String token = ISSUER.es256().sign();
    int sigStart = token.lastIndexOf('.') + 1;
    for (int i = sigStart; i < token.length(); i += 7) {
      char c = token.charAt(i);
      String mutated = token.substring(0, i) + (c == 'A' ? 'B' : 'A') + token.substring(i + 1);
      assertThatThrownBy(() -> v.verify(mutated)).isInstanceOf(LensgateException.class);
    }
  }

  @Test
  void verify_tamperedPayload_isRejected() {
    String token = ISSUER.rs256().claim("orgId", "org_1").sign();
    String[] parts = token.split("\\.");
    String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
        .replace("org_1", "org_2");
    String forged = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
        .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    assertInvalid(verifier(), forged, "signature");
  }

  @Test
  void verify_rightKidButOtherKeysSignature_isRejected() {
    assertInvalid(verifier(), ISSUER.rs256WithUnknownKey("rsa-1").sign(), "signature");
  }

  @Test
  void verify_criticalHeader_isRejected() throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1")
        .criticalParams(Set.of("exp")).build(), ISSUER.rs256().claims());
    jwt.sign(new RSASSASigner(ISSUER.rsaKey()));
    assertInvalid(verifier(), jwt.serialize(), "critical");
  }

  @Test
  void verify_embeddedJwkHeaderFromAttacker_isIgnored() throws Exception {
    com.nimbusds.jose.jwk.RSAKey attacker = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID("rsa-1").generate();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1")
        .jwk(attacker.toPublicJWK()).jwkURL(URI.create("https://evil.example/jwks")).build(), ISSUER.rs256().claims());
    jwt.sign(new RSASSASigner(attacker));
    assertInvalid(verifier(), jwt.serialize(), "signature");
    assertThat(source.fetches()).isEqualTo(1);
  }

  @Test
  void verify_concurrentUnknownKids_causeOneRefetch() throws Exception {
    JwksUserTokenVerifier v = verifier();
    v.verify(ISSUER.rs256().sign());
    clock.advance(Duration.ofSeconds(31));
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      java.util.List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
      for (int i = 0; i < 16; i++) {
        String token = ISSUER.es256().kid("unknown-" + i).sign();
        futures.add(pool.submit(() -> assertInvalid(v, token, "unknown")));
      }
      for (java.util.concurrent.Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(source.fetches()).isEqualTo(2);
  }

  @Test
  void verify_algorithmOutsideConfiguredSubset_isRejected() {
    JwksUserTokenVerifier esOnly = JwksUserTokenVerifier.builder().jwksSource(source)
        .issuer(TestIssuer.ISSUER).audience(TestIssuer.AUDIENCE).algorithms(List.of("ES256")).clock(clock).build();
    assertThat(esOnly.verify(ISSUER.es256().sign())).isNotNull();
    assertInvalid(esOnly, ISSUER.rs256().sign(), "algorithm");
  }

  @Test
  void verify_esTokenNamingRsaKid_findsNoFittingKey() {
    assertInvalid(verifier(), ISSUER.es256().kid("rsa-1").sign(), "unknown");
  }

  @Test
  void verify_tokenWithoutKid_triesKeysOfTheRightType() {
    assertThat(verifier().verify(ISSUER.es256().kid(null).sign())).isNotNull();
  }

  @Test
  void verify_unknownKid_refetchesAtMostOncePerThirtySeconds() {
    JwksUserTokenVerifier v = verifier();
    v.verify(ISSUER.rs256().sign());
    assertThat(source.fetches()).isEqualTo(1);

    // Within 30 s of the initial load a miss does not refetch.
    clock.advance(Duration.ofSeconds(10));
    assertInvalid(v, ISSUER.rs256WithUnknownKey("new-1").sign(), "unknown");
    assertThat(source.fetches()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(21)); // 31 s after the load
    assertInvalid(v, ISSUER.rs256WithUnknownKey("new-2").sign(), "unknown");
    assertThat(source.fetches()).isEqualTo(2);

    clock.advance(Duration.ofSeconds(29)); // a second miss within 30 s of that refetch
    assertInvalid(v, ISSUER.rs256WithUnknownKey("new-3").sign(), "unknown");
    assertThat(source.fetches()).isEqualTo(2);

    clock.advance(Duration.ofSeconds(1));
    assertInvalid(v, ISSUER.rs256WithUnknownKey("new-4").sign(), "unknown");
    assertThat(source.fetches()).isEqualTo(3);
  }

  @Test
  void verify_rotatedInKey_isPickedUpByKidMissRefetch() {
    JwksUserTokenVerifier v = verifier();
    v.verify(ISSUER.rs256().sign());
    TestIssuer.Token rotated = ISSUER.rs256WithUnknownKey("rsa-2");
    String token = rotated.sign();
    source.setDocument(TestIssuer.jwksJson(ISSUER.rsaKey(), rotated.key()));
    clock.advance(Duration.ofSeconds(31));
    assertThat(v.verify(token)).isNotNull();
    assertThat(source.fetches()).isEqualTo(2);
  }

  @Test
  void verify_keyRemovedFromJwks_isRejectedAfterMaxAge() {
    JwksUserTokenVerifier v = verifier();
    String token = ISSUER.es256().expiresAt(NOW.plus(Duration.ofHours(2))).sign();
    v.verify(token);
    source.setDocument(TestIssuer.jwksJson(ISSUER.rsaKey()));
    clock.advance(JwksUserTokenVerifier.MAX_JWKS_AGE.plusSeconds(1));
    assertInvalid(v, token, "unknown");
  }

  @Test
  void verify_jwksUnavailable_isInvalidAndThrottled() {
    source.setFailing(true);
    JwksUserTokenVerifier v = verifier();
    assertInvalid(v, ISSUER.rs256().sign(), "unavailable");
    assertInvalid(v, ISSUER.rs256().sign(), "unavailable");
    assertThat(source.fetches()).isEqualTo(1);
    source.setFailing(false);
    clock.advance(Duration.ofSeconds(30));
    assertThat(v.verify(ISSUER.rs256().sign())).isNotNull();
    assertThat(source.fetches()).isEqualTo(2);
  }

  @Test
  void verify_refreshFailureAfterMaxAge_keepsPreviousKeys() {
    JwksUserTokenVerifier v = verifier();
    v.verify(ISSUER.rs256().sign());
    source.setFailing(true);
    clock.advance(JwksUserTokenVerifier.MAX_JWKS_AGE.plusSeconds(1));
    assertThat(v.verify(ISSUER.rs256().expiresAt(NOW.plus(Duration.ofHours(1))).sign())).isNotNull();
  }

  @Test
  void fromSettings_jwksUrl_fetchesOverHttpWithCountedRefetches() throws Exception {
    AtomicInteger hits = new AtomicInteger();
    byte[] body = ISSUER.jwksJson().getBytes(StandardCharsets.UTF_8);
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/jwks", exchange -> {
      hits.incrementAndGet();
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    try {
      URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks");
      JwksUserTokenVerifier v = JwksUserTokenVerifier.fromSettings(new JwtSettings(Optional.of(uri), Optional.empty(),
          TestIssuer.ISSUER, TestIssuer.AUDIENCE, List.of("RS256", "ES256")), clock);
      assertThat(v.verify(ISSUER.es256().sign()).subject()).contains("user-1");
      clock.advance(Duration.ofSeconds(31));
      assertInvalid(v, ISSUER.rs256WithUnknownKey("zz").sign(), "unknown");
      assertInvalid(v, ISSUER.rs256WithUnknownKey("zz2").sign(), "unknown");
      assertThat(hits.get()).isEqualTo(2);
      assertInvalid(v, ISSUER.edDsa().sign(), "algorithm");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void fromSettings_jwksUrlAnsweringError_isUnavailable() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/jwks", exchange -> {
      exchange.sendResponseHeaders(500, -1);
      exchange.close();
    });
    server.start();
    try {
      URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks");
      JwksUserTokenVerifier v = JwksUserTokenVerifier.fromSettings(new JwtSettings(Optional.of(uri), Optional.empty(),
          TestIssuer.ISSUER, TestIssuer.AUDIENCE, List.of("RS256")), clock);
      assertInvalid(v, ISSUER.rs256().sign(), "unavailable");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void fromSettings_jwksFile_readsKeys(@TempDir Path dir) {
    Path file = ISSUER.writeJwks(dir.resolve("jwks.json"));
    JwksUserTokenVerifier v = JwksUserTokenVerifier.fromSettings(new JwtSettings(Optional.empty(), Optional.of(file),
        TestIssuer.ISSUER, TestIssuer.AUDIENCE, JwtSettings.SUPPORTED_ALGORITHMS), clock);
    assertThat(v.verify(ISSUER.rs256().sign())).isNotNull();
  }

  @Test
  void builder_unsafeOrMissingSettings_failToBuild() {
    assertThatThrownBy(() -> JwksUserTokenVerifier.builder().jwksSource(source).issuer("i").audience("a")
        .algorithms(List.of("HS256")).clock(clock).build()).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> JwksUserTokenVerifier.builder().jwksSource(source).issuer("i").audience("a")
        .algorithms(List.of("none")).clock(clock).build()).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> JwksUserTokenVerifier.builder().jwksSource(source).issuer(" ").audience("a")
        .clock(clock).build()).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> JwksUserTokenVerifier.builder().jwksSource(source).issuer("i").audience("a")
        .build()).isInstanceOf(NullPointerException.class);
  }

  @Test
  void rejectingAll_rejectsEveryToken() {
    assertThatThrownBy(() -> UserTokenVerifier.rejectingAll().verify(ISSUER.rs256().sign()))
        .isInstanceOfSatisfying(LensgateException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_USER_TOKEN));
  }
}
