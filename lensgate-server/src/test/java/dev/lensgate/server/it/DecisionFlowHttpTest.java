package dev.lensgate.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.lensgate.client.LensgateApiException;
import dev.lensgate.client.Query;
import dev.lensgate.client.QueryResult;
import dev.lensgate.client.Row;
import dev.lensgate.client.Where;
import dev.lensgate.core.auth.KeyType;
import dev.lensgate.testkit.TestDatabase;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CONTRACT §4/§5 end to end: real keys of every type and real ES256/RS256 user tokens against
 * lenses with every kind of grant, over HTTP, through the Java client and raw HTTP alike. Each row
 * names a caller, a token and a lens and expects one status and error code.
 */
class DecisionFlowHttpTest {
  @TempDir static Path dir;
  private static GatewayHarness gw;
  private static TestDatabase db;
  private static final Map<Caller, String> KEYS = new EnumMap<>(Caller.class);
  private static final Map<Token, String> TOKENS = new EnumMap<>(Token.class);

  /** Who calls: a key of some type and environment, or a broken credential. */
  enum Caller { SK, PK, IK, RK, LP_SCOPED, LP_UNSCOPED, PK_REVOKED, GARBAGE, BAD_CHECKSUM, NO_KEY, SK_ENV_B, PK_ENV_B }

  /** The X-User-Token sent along, if any. */
  enum Token {
    NONE, ES256_ORG_A_PRO, RS256_ORG_B_ENTERPRISE, ES256_FREE_NO_ORG,
    EXPIRED, WRONG_AUD, WRONG_ISS, UNKNOWN_KID, ALG_NONE, HS256_PUBLIC_KEY, GARBAGE
  }

  @BeforeAll
  static void startGateway() throws Exception {
    db = TestDatabase.h2();
    db.execute(
        "CREATE TABLE \"items\" (\"id\" BIGINT PRIMARY KEY, \"org_id\" VARCHAR(20), \"title\" VARCHAR(100),"
            + " \"internal_note\" VARCHAR(100))",
        "INSERT INTO \"items\" VALUES (1, 'org-a', 'alpha one', 'hidden'), (2, 'org-a', 'alpha two', 'hidden'),"
            + " (3, 'org-b', 'beta one', 'hidden'), (4, 'org-c', 'gamma one', 'hidden')");
    gw = GatewayHarness.start(dir.resolve("data"));
    UserTokens users = UserTokens.create(dir.resolve("jwks.json"));

    String envA = gw.defaultEnvId();
    String envB = gw.createEnv("staging");
    gw.connect(envA, "main", db);
    gw.connect(envB, "main", db);
    gw.push(envA, configA(users));
    gw.push(envB, configB());

    KEYS.put(Caller.SK, gw.mint(KeyType.SK, envA).plaintext());
    KEYS.put(Caller.PK, gw.mint(KeyType.PK, envA).plaintext());
    KEYS.put(Caller.IK, gw.mint(KeyType.IK, envA).plaintext());
    KEYS.put(Caller.RK, gw.mint(KeyType.RK, gw.orgId()).plaintext());
    KEYS.put(Caller.LP_SCOPED, gw.mint(KeyType.LP, envA, "pub:query", "authn:query", "claimed:query",
        "ruletrue:query", "rulefalse:query", "rulefilter:query", "nogrant:query").plaintext());
    KEYS.put(Caller.LP_UNSCOPED, gw.mint(KeyType.LP, envA, "pub:search", "authn:search").plaintext());
    GatewayHarness.Key revoked = gw.mint(KeyType.PK, envA);
    gw.gateway().keys().revoke(revoked.id());
    KEYS.put(Caller.PK_REVOKED, revoked.plaintext());
    KEYS.put(Caller.GARBAGE, "pk_this-is-not-a-key");
    KEYS.put(Caller.BAD_CHECKSUM, flipOneChar(gw.mint(KeyType.PK, envA).plaintext()));
    KEYS.put(Caller.SK_ENV_B, gw.mint(KeyType.SK, envB).plaintext());
    KEYS.put(Caller.PK_ENV_B, gw.mint(KeyType.PK, envB).plaintext());

    TOKENS.put(Token.ES256_ORG_A_PRO, users.es256("alice", Map.of("orgId", "org-a", "plan", "pro")));
    TOKENS.put(Token.RS256_ORG_B_ENTERPRISE, users.rs256("bob", Map.of("orgId", "org-b", "plan", "enterprise")));
    TOKENS.put(Token.ES256_FREE_NO_ORG, users.es256("carol", Map.of("plan", "free")));
    Map<String, Object> good = Map.of("orgId", "org-a", "plan", "pro");
    TOKENS.put(Token.EXPIRED, users.rs256Expired(good));
    TOKENS.put(Token.WRONG_AUD, users.rs256WrongAudience(good));
    TOKENS.put(Token.WRONG_ISS, users.rs256WrongIssuer(good));
    TOKENS.put(Token.UNKNOWN_KID, users.unknownKid(good));
    TOKENS.put(Token.ALG_NONE, users.algNone(good));
    TOKENS.put(Token.HS256_PUBLIC_KEY, users.hs256WithPublicKey(good));
    TOKENS.put(Token.GARBAGE, UserTokens.garbage());
  }

  @AfterAll
  static void stop() {
    if (gw != null) {
      gw.close();
    }
    if (db != null) {
      db.close();
    }
  }

  private static String configA(UserTokens users) {
    return "stack: lensgate/v1\n"
        + users.authYaml()
        + "sources:\n  main:\n    type: h2\n"
        + "lenses:\n"
        + lens("pub", "query: public")
        + lens("authn", "query: authenticated")
        + lens("claimed", "query: { authenticated: true, claims: { plan: [pro, enterprise] } }")
        + lens("ruletrue", "query: { rule: \"true\" }")
        + lens("rulefalse", "query: { rule: \"false\" }")
        + lens("rulefilter", "query: { authenticated: true,"
            + " rule: \"has(claims.orgId) ? {'filter': {'orgId': claims.orgId}} : false\" }")
        + lens("nogrant", "search: public")
        + "defaults:\n  grants: strict\n";
  }

  private static String configB() {
    return "stack: lensgate/v1\n"
        + "sources:\n  main:\n    type: h2\n"
        + "lenses:\n"
        + lens("bonly", "query: public")
        + "defaults:\n  grants: strict\n";
  }

  static String lens(String name, String grant) {
    return "  " + name + ":\n"
        + "    source: main\n"
        + "    table: items\n"
        + "    primaryKey: id\n"
        + "    fields:\n"
        + "      id: { type: integer }\n"
        + "      orgId: { type: string, from: org_id }\n"
        + "      title: { type: string }\n"
        + "    grants:\n"
        + "      " + grant + "\n";
  }

  /** Changes one body character: the key keeps its shape but fails the offline checksum. */
  private static String flipOneChar(String key) {
    int i = key.length() - 10;
    char c = key.charAt(i);
    char replacement = c == 'A' ? 'B' : 'A';
    return key.substring(0, i) + replacement + key.substring(i + 1);
  }

  static Stream<Arguments> table() {
    return Stream.of(
        // Authentication comes first, before the lens is even looked up.
        row(Caller.NO_KEY, Token.NONE, "pub", 401, "missing_api_key"),
        row(Caller.NO_KEY, Token.ES256_ORG_A_PRO, "nosuchlens", 401, "missing_api_key"),
        row(Caller.GARBAGE, Token.NONE, "pub", 401, "invalid_api_key"),
        row(Caller.BAD_CHECKSUM, Token.NONE, "pub", 401, "invalid_api_key"),
        row(Caller.PK_REVOKED, Token.NONE, "pub", 401, "key_revoked"),
        // sk_ bypasses grants; rk_ and ik_ never query.
        row(Caller.SK, Token.NONE, "pub", 200, null),
        row(Caller.SK, Token.NONE, "nogrant", 200, null),
        row(Caller.SK, Token.NONE, "rulefalse", 200, null),
        row(Caller.SK, Token.NONE, "authn", 200, null),
        row(Caller.SK, Token.EXPIRED, "pub", 401, "invalid_user_token"),
        row(Caller.RK, Token.NONE, "pub", 403, "key_type_not_allowed"),
        row(Caller.RK, Token.ES256_ORG_A_PRO, "rulefilter", 403, "key_type_not_allowed"),
        row(Caller.RK, Token.NONE, "nosuchlens", 403, "key_type_not_allowed"),
        row(Caller.IK, Token.NONE, "pub", 403, "key_type_not_allowed"),
        row(Caller.IK, Token.ES256_ORG_A_PRO, "authn", 403, "key_type_not_allowed"),
        // pk_ through every grant kind.
        row(Caller.PK, Token.NONE, "nosuchlens", 404, "lens_not_found"),
        row(Caller.PK, Token.NONE, "pub", 200, null),
        row(Caller.PK, Token.ES256_ORG_A_PRO, "pub", 200, null),
        row(Caller.PK, Token.NONE, "nogrant", 403, "operation_not_granted"),
        row(Caller.PK, Token.ES256_ORG_A_PRO, "nogrant", 403, "operation_not_granted"),
        row(Caller.PK, Token.NONE, "authn", 401, "missing_user_token"),
        row(Caller.PK, Token.ES256_ORG_A_PRO, "authn", 200, null),
        row(Caller.PK, Token.RS256_ORG_B_ENTERPRISE, "authn", 200, null),
        row(Caller.PK, Token.NONE, "claimed", 401, "missing_user_token"),
        row(Caller.PK, Token.ES256_ORG_A_PRO, "claimed", 200, null),
        row(Caller.PK, Token.RS256_ORG_B_ENTERPRISE, "claimed", 200, null),
        row(Caller.PK, Token.ES256_FREE_NO_ORG, "claimed", 403, "claims_mismatch"),
        row(Caller.PK, Token.NONE, "ruletrue", 401, "missing_user_token"),
        row(Caller.PK, Token.ES256_FREE_NO_ORG, "ruletrue", 200, null),
        row(Caller.PK, Token.ES256_ORG_A_PRO, "rulefalse", 403, "rule_denied"),
        row(Caller.PK, Token.NONE, "rulefilter", 401, "missing_user_token"),
        row(Caller.PK, Token.ES256_ORG_A_PRO, "rulefilter", 200, null),
        row(Caller.PK, Token.RS256_ORG_B_ENTERPRISE, "rulefilter", 200, null),
        row(Caller.PK, Token.ES256_FREE_NO_ORG, "rulefilter", 403, "rule_denied"),
        // A present but invalid user token is 401 everywhere, public lenses included.
        row(Caller.PK, Token.EXPIRED, "pub", 401, "invalid_user_token"),
        row(Caller.PK, Token.WRONG_AUD, "pub", 401, "invalid_user_token"),
        row(Caller.PK, Token.WRONG_ISS, "pub", 401, "invalid_user_token"),
        row(Caller.PK, Token.UNKNOWN_KID, "pub", 401, "invalid_user_token"),
        row(Caller.PK, Token.ALG_NONE, "pub", 401, "invalid_user_token"),
        row(Caller.PK, Token.HS256_PUBLIC_KEY, "pub", 401, "invalid_user_token"),
        row(Caller.PK, Token.GARBAGE, "pub", 401, "invalid_user_token"),
        row(Caller.PK, Token.EXPIRED, "authn", 401, "invalid_user_token"),
        row(Caller.PK, Token.WRONG_AUD, "rulefilter", 401, "invalid_user_token"),
        row(Caller.PK, Token.WRONG_ISS, "claimed", 401, "invalid_user_token"),
        row(Caller.PK, Token.UNKNOWN_KID, "ruletrue", 401, "invalid_user_token"),
        row(Caller.PK, Token.ALG_NONE, "authn", 401, "invalid_user_token"),
        row(Caller.PK, Token.HS256_PUBLIC_KEY, "rulefilter", 401, "invalid_user_token"),
        row(Caller.PK, Token.GARBAGE, "rulefilter", 401, "invalid_user_token"),
        // lp_: like pk_, but only within its scopes.
        row(Caller.LP_SCOPED, Token.NONE, "pub", 200, null),
        row(Caller.LP_SCOPED, Token.ES256_ORG_A_PRO, "rulefilter", 200, null),
        row(Caller.LP_SCOPED, Token.NONE, "authn", 401, "missing_user_token"),
        row(Caller.LP_SCOPED, Token.NONE, "nogrant", 403, "operation_not_granted"),
        row(Caller.LP_SCOPED, Token.ES256_ORG_A_PRO, "rulefalse", 403, "rule_denied"),
        row(Caller.LP_SCOPED, Token.ES256_FREE_NO_ORG, "claimed", 403, "claims_mismatch"),
        row(Caller.LP_SCOPED, Token.EXPIRED, "pub", 401, "invalid_user_token"),
        row(Caller.LP_SCOPED, Token.NONE, "nosuchlens", 404, "lens_not_found"),
        row(Caller.LP_UNSCOPED, Token.NONE, "pub", 403, "scope_missing"),
        row(Caller.LP_UNSCOPED, Token.ES256_ORG_A_PRO, "authn", 403, "scope_missing"),
        row(Caller.LP_UNSCOPED, Token.NONE, "nogrant", 403, "scope_missing"),
        // Environments are walls: another environment's lens does not exist for this key.
        row(Caller.PK, Token.NONE, "bonly", 404, "lens_not_found"),
        row(Caller.SK, Token.NONE, "bonly", 404, "lens_not_found"),
        row(Caller.PK_ENV_B, Token.NONE, "pub", 404, "lens_not_found"),
        row(Caller.SK_ENV_B, Token.NONE, "authn", 404, "lens_not_found"),
        row(Caller.PK_ENV_B, Token.NONE, "bonly", 200, null),
        row(Caller.SK_ENV_B, Token.NONE, "bonly", 200, null));
  }

  private static Arguments row(Caller caller, Token token, String lens, int status, String code) {
    return Arguments.of(caller, token, lens, status, code);
  }

  @ParameterizedTest(name = "{0} + {1} on {2} -> {3} {4}")
  @MethodSource("table")
  void query_callerTokenLens_answersContractStatusAndCode(Caller caller, Token token, String lens, int status, String code) {
    String key = KEYS.get(caller);
    String userToken = TOKENS.get(token);

    // Raw HTTP: status, envelope and request id.
    GatewayHarness.Reply raw = gw.post("/v1/query/" + lens, key, userToken, "{}");
    assertThat(raw.status()).as("raw status: %s", raw).isEqualTo(status);
    assertThat(raw.errorCode()).as("raw code: %s", raw).isEqualTo(code);
    assertThat(raw.requestIdHeader()).isNotBlank();
    if (code != null) {
      assertThat(raw.json().path("error").path("requestId").asText()).isEqualTo(raw.requestIdHeader());
      assertThat(raw.errorMessage()).isNotBlank();
    } else {
      assertThat(raw.json().path("meta").path("lens").asText()).isEqualTo(lens);
    }

    // The Java client sees the same decision.
    if (key == null) {
      return;
    }
    var client = userToken == null ? gw.client(key) : gw.client(key).withUser(userToken);
    if (code == null) {
      QueryResult result = client.query(lens, Query.all());
      assertThat(result.meta().lens()).isEqualTo(lens);
      assertThat(result.rows()).isNotEmpty().allSatisfy(r -> assertThat(r.fieldNames()).containsExactly("id", "orgId", "title"));
    } else {
      LensgateApiException e = catchThrowableOfType(LensgateApiException.class, () -> client.query(lens, Query.all()));
      assertThat(e).as("client must fail with %s", code).isNotNull();
      assertThat(e.status()).isEqualTo(status);
      assertThat(e.code()).isEqualTo(code);
    }
  }

  @Test
  void query_ruleFilterLens_returnsOnlyTheCallersOrgRows() {
    var alice = gw.client(KEYS.get(Caller.PK)).withUser(TOKENS.get(Token.ES256_ORG_A_PRO));
    var bob = gw.client(KEYS.get(Caller.PK)).withUser(TOKENS.get(Token.RS256_ORG_B_ENTERPRISE));

    assertThat(orgIds(alice.query("rulefilter", Query.all()).rows())).containsExactly("org-a", "org-a");
    assertThat(orgIds(bob.query("rulefilter", Query.all()).rows())).containsExactly("org-b");
    // Naming another org only narrows the caller's own rows: nothing.
    assertThat(alice.query("rulefilter", Query.where(Where.eq("orgId", "org-b"))).rows()).isEmpty();
    assertThat(alice.query("rulefilter", Query.where(Where.or(Where.eq("orgId", "org-b"), Where.eq("orgId", "org-c"))))
        .rows()).isEmpty();
    assertThat(orgIds(alice.query("rulefilter", Query.where(Where.not(Where.eq("orgId", "org-a")))).rows())).isEmpty();
    // The same token on an unfiltered lens sees every org: the filter comes from the grant, not the token.
    assertThat(orgIds(alice.query("authn", Query.all()).rows())).containsExactlyInAnyOrder("org-a", "org-a", "org-b", "org-c");
  }

  @Test
  void query_revokedAfterUse_isRefusedOnTheNextRequest() {
    String envA = gw.defaultEnvId();
    GatewayHarness.Key key = gw.mint(KeyType.PK, envA);
    assertThat(gw.post("/v1/query/pub", key.plaintext(), null, "{}").status()).isEqualTo(200);
    gw.gateway().keys().revoke(key.id());
    GatewayHarness.Reply after = gw.post("/v1/query/pub", key.plaintext(), null, "{}");
    assertThat(after.status()).isEqualTo(401);
    assertThat(after.errorCode()).isEqualTo("key_revoked");
  }

  @Test
  void query_authorizationHeaderVariants_areRefusedAsMissingOrInvalid() {
    String pk = KEYS.get(Caller.PK);
    assertThat(rawWithAuthorization("Basic " + pk).status()).isEqualTo(401);
    assertThat(rawWithAuthorization("Bearer").status()).isEqualTo(401);
    assertThat(rawWithAuthorization("Bearer ").status()).isEqualTo(401);
    assertThat(rawWithAuthorization(pk).status()).isEqualTo(401);
    assertThat(rawWithAuthorization("Bearer " + pk + "x").errorCode()).isEqualTo("invalid_api_key");
    assertThat(rawWithAuthorization("Bearer " + pk).status()).isEqualTo(200);
  }

  private static GatewayHarness.Reply rawWithAuthorization(String header) {
    return gw.send(gw.request("/v1/query/pub").header("Authorization", header)
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build());
  }

  private static List<String> orgIds(List<Row> rows) {
    return rows.stream().map(r -> r.getString("orgId")).collect(Collectors.toList());
  }
}
