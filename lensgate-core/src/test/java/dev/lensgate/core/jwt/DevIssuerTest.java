package dev.lensgate.core.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lensgate.core.error.LensgateException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevIssuerTest {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private final MutableClock clock = new MutableClock(NOW);

  @Test
  void mint_tokenVerifiesWithItsOwnVerifier() {
    DevIssuer issuer = DevIssuer.generate("http://localhost:8080/dev", "lensgate-demo", clock);
    String token = issuer.mint("alice", Map.of("orgId", "org_1", "plan", "pro", "level", 3), Duration.ofHours(1));
    VerifiedClaims claims = issuer.verifier().verify(token);
    assertThat(claims.subject()).contains("alice");
    assertThat(claims.claims()).containsEntry("orgId", "org_1").containsEntry("level", 3L)
        .containsEntry("iss", "http://localhost:8080/dev");
    assertThat(claims.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(1)));
  }

  @Test
  void mint_tokenExpiresAfterTtlPlusSkew() {
    DevIssuer issuer = DevIssuer.generate("iss", "aud", clock);
    String token = issuer.mint("alice", Map.of(), Duration.ofMinutes(5));
    clock.advance(Duration.ofMinutes(5).plusSeconds(61));
    assertThatThrownBy(() -> issuer.verifier().verify(token)).isInstanceOf(LensgateException.class);
  }

  @Test
  void mint_reservedClaimOrBadTtl_isRejected() {
    DevIssuer issuer = DevIssuer.generate("iss", "aud", clock);
    assertThatThrownBy(() -> issuer.mint("a", Map.of("exp", 1), Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> issuer.mint("a", Map.of("aud", "x"), Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> issuer.mint("a", Map.of(), Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> issuer.mint("a", Map.of(), Duration.ofDays(31))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> issuer.mint(" ", Map.of(), Duration.ofHours(1))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void jwksJsonAndToString_neverContainThePrivateKey() throws Exception {
    DevIssuer issuer = DevIssuer.generate("iss", "aud", clock);
    assertThat(issuer.jwksJson()).contains(issuer.keyId()).doesNotContain("\"d\"");
    assertThat(issuer.toString()).doesNotContain("\"d\"").contains(issuer.keyId());
  }

  @Test
  void saveThenLoad_inAnotherInstance_mintsTokensTheOriginalAccepts(@TempDir Path dir) throws Exception {
    DevIssuer original = DevIssuer.generate("iss", "aud", clock);
    Path file = dir.resolve("state").resolve("dev-issuer.json");
    original.save(file);
    DevIssuer reloaded = DevIssuer.load(file, clock);
    assertThat(reloaded.keyId()).isEqualTo(original.keyId());
    assertThat(reloaded.issuer()).isEqualTo("iss");
    String token = reloaded.mint("bob", Map.of("roles", List.of("admin")), Duration.ofMinutes(10));
    assertThat(original.verifier().verify(token).subject()).contains("bob");
  }

  @Test
  void save_writesOwnerOnlyFileAndReplacesAnExistingOne(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("dev-issuer.json");
    Files.writeString(file, "old");
    DevIssuer.generate("iss", "aud", clock).save(file);
    if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
      assertThat(Files.getPosixFilePermissions(file))
          .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }
    assertThat(Files.readString(file)).contains("\"d\"");
    try (var files = Files.list(dir)) {
      assertThat(files.count()).isEqualTo(1); // no temp file left behind
    }
  }

  @Test
  void load_fileWithoutPrivateKey_fails(@TempDir Path dir) throws Exception {
    DevIssuer issuer = DevIssuer.generate("iss", "aud", clock);
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{\"issuer\":\"iss\",\"audience\":\"aud\",\"key\":"
        + issuer.jwksJson().replaceFirst("^\\{\"keys\":\\[", "").replaceFirst("]}$", "") + "}");
    assertThatThrownBy(() -> DevIssuer.load(file, clock)).isInstanceOf(java.io.IOException.class);
    Files.writeString(file, "not json at all {");
    assertThatThrownBy(() -> DevIssuer.load(file, clock)).isInstanceOf(java.io.IOException.class);
  }

  @Test
  void writeJwks_fileVerifiesTokensThroughJwksFileSource(@TempDir Path dir) throws Exception {
    DevIssuer issuer = DevIssuer.generate("iss", "aud", clock);
    Path jwks = dir.resolve("jwks.json");
    issuer.writeJwks(jwks);
    JwksUserTokenVerifier v = JwksUserTokenVerifier.builder().jwksSource(JwksSource.file(jwks))
        .issuer("iss").audience("aud").clock(clock).build();
    assertThat(v.verify(issuer.mint("carol", Map.of(), Duration.ofMinutes(1))).subject()).contains("carol");
  }
}
