package dev.lensgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.jwt.DevIssuer;
import dev.lensgate.core.jwt.VerifiedClaims;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenCommandTest {
  @TempDir
  Path dir;

  private DevIssuer issuer;
  private CliHarness cli;

  @BeforeEach
  void demoIssuer() throws Exception {
    issuer = DevIssuer.generate("http://localhost:8080/dev-issuer", "lensgate-demo", Clock.systemUTC());
    issuer.save(dir.resolve(TokenCommand.DEV_ISSUER_FILE));
    cli = CliHarness.embedded(dir);
  }

  private CliHarness.Result mint(String... args) {
    return cli.store(prepend("token", "mint", args));
  }

  private static String[] prepend(String a, String b, String... rest) {
    String[] all = new String[rest.length + 2];
    all[0] = a;
    all[1] = b;
    System.arraycopy(rest, 0, all, 2, rest.length);
    return all;
  }

  @Test
  void mint_printsOnlyAJwtTheDemoIssuerVerifies() {
    CliHarness.Result r = mint("--sub", "alice");

    assertThat(r.exit()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.outLines()).hasSize(1);
    VerifiedClaims claims = issuer.verifier().verify(r.outLines().get(0));
    assertThat(claims.subject()).contains("alice");
  }

  @Test
  void mint_stringAndTypedClaims_carryTheirJsonTypes() {
    CliHarness.Result r = mint("--sub", "bob", "--claim", "orgId=acme", "--claim", "level:=3",
        "--claim", "admin:=true", "--claim", "plans:=[\"pro\",\"enterprise\"]", "--claim", "quoted:=\"7\"",
        "--claim", "eq=a=b");

    Map<String, Object> claims = issuer.verifier().verify(r.outLines().get(0)).claims();
    assertThat(claims.get("orgId")).isEqualTo("acme");
    assertThat(claims.get("level")).isInstanceOf(Number.class);
    assertThat(((Number) claims.get("level")).intValue()).isEqualTo(3);
    assertThat(claims.get("admin")).isEqualTo(Boolean.TRUE);
    assertThat(claims.get("plans")).isEqualTo(List.of("pro", "enterprise"));
    assertThat(claims.get("quoted")).isEqualTo("7");
    assertThat(claims.get("eq")).isEqualTo("a=b");
  }

  @Test
  void mint_ttl_setsExpiry() {
    CliHarness.Result r = mint("--sub", "carol", "--ttl", "15m");

    VerifiedClaims claims = issuer.verifier().verify(r.outLines().get(0));
    Duration left = Duration.between(java.time.Instant.now(), claims.expiresAt());
    assertThat(left).isBetween(Duration.ofMinutes(14), Duration.ofMinutes(15));
  }

  @Test
  void mint_withoutDemoIssuer_exits1WithHint() throws Exception {
    Files.delete(dir.resolve(TokenCommand.DEV_ISSUER_FILE));

    CliHarness.Result r = mint("--sub", "alice");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("no dev issuer: run ./lensgate demo first");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void mint_corruptIssuerFile_exits1WithoutQuotingIt() throws Exception {
    Files.writeString(dir.resolve(TokenCommand.DEV_ISSUER_FILE), "{\"key\": zz-private-bits");

    CliHarness.Result r = mint("--sub", "alice");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.all()).doesNotContain("zz-private-bits");
  }

  @Test
  void mint_badUsage_exits2() {
    assertThat(mint().exit()).isEqualTo(2);
    assertThat(mint("--sub", " ").exit()).isEqualTo(2);
    assertThat(mint("--sub", "a", "--claim", "novalue").exit()).isEqualTo(2);
    assertThat(mint("--sub", "a", "--claim", "=v").exit()).isEqualTo(2);
    assertThat(mint("--sub", "a", "--claim", "n:={bad").exit()).isEqualTo(2);
    assertThat(mint("--sub", "a", "--claim", "x=1", "--claim", "x=2").exit()).isEqualTo(2);
    assertThat(mint("--sub", "a", "--claim", "exp:=1").exit()).isEqualTo(2);
    assertThat(mint("--sub", "a", "--claim", "iss=evil").exit()).isEqualTo(2);
    assertThat(mint("--sub", "a", "--ttl", "0").exit()).isEqualTo(2);
    CliHarness.Result tooLong = mint("--sub", "a", "--ttl", "31d");
    assertThat(tooLong.exit()).isEqualTo(2);
    assertThat(tooLong.err()).contains("--ttl must be between 1s and 30d");
    assertThat(mint("--sub", "a", "--ttl", "forever").exit()).isEqualTo(2);
  }

  @Test
  void mint_tokenFromAnotherIssuer_isNotAcceptedByThisOne() {
    DevIssuer other = DevIssuer.generate("http://localhost:8080/dev-issuer", "lensgate-demo", Clock.systemUTC());
    String token = mint("--sub", "alice").outLines().get(0);

    assertThatThrownBy(() -> other.verifier().verify(token)).isInstanceOf(LensgateException.class);
  }
}
