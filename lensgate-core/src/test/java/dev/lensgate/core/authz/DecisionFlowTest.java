package dev.lensgate.core.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.auth.Operation;
import dev.lensgate.core.auth.Principal;
import dev.lensgate.core.config.ConfigLoader;
import dev.lensgate.core.config.ConfigResult;
import dev.lensgate.core.config.LensConfig;
import dev.lensgate.core.config.LensgateConfig;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.jwt.CountingJwksSource;
import dev.lensgate.core.jwt.JwksUserTokenVerifier;
import dev.lensgate.core.jwt.MutableClock;
import dev.lensgate.core.jwt.TestIssuer;
import dev.lensgate.core.jwt.UserTokenVerifier;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CONTRACT §5 decision flow, table-driven, with real key principals and real RS256/ES256 tokens
 * verified against a JWKS.
 */
class DecisionFlowTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2030-06-01T12:00:00Z");
  private static final TestIssuer ISSUER = TestIssuer.create(NOW);
  private static final MutableClock CLOCK = new MutableClock(NOW);

  private static final String CONFIG = "stack: lensgate/v1\n"
      + "sources: { shop: { type: postgres } }\n"
      + "lenses:\n"
      + "  products:\n"
      + "    source: shop\n    table: products\n    primaryKey: id\n"
      + "    fields: { id: { type: integer }, orgId: { type: string, from: org_id } }\n"
      + "    grants:\n"
      + "      search: public\n"
      + "      similar: authenticated\n"
      + "      query: { rule: \"has(claims.orgId) ? {'filter': {'orgId': claims.orgId}} : false\" }\n"
      + "      subscribe: { authenticated: true, claims: { plan: [pro, enterprise] } }\n"
      + "  orders:\n"
      + "    source: shop\n    table: orders\n    primaryKey: id\n"
      + "    fields: { id: { type: integer } }\n"
      + "    grants:\n"
      + "      query: { claims: { role: [admin, staff] }, rule: \"claims.role == 'admin'\" }\n"
      + "  notes:\n"
      + "    source: shop\n    table: notes\n    primaryKey: id\n"
      + "    fields: { id: { type: integer } }\n";
  private static final LensgateConfig CONFIG_MODEL = loadConfig();
  private static final LensConfig PRODUCTS = CONFIG_MODEL.lens("products").orElseThrow();
  private static final LensConfig ORDERS = CONFIG_MODEL.lens("orders").orElseThrow();
  private static final LensConfig NOTES = CONFIG_MODEL.lens("notes").orElseThrow();

  private static final Principal SK = principal("key_sk", KeyType.SK, Set.of());
  private static final Principal PK = principal("key_pk", KeyType.PK, Set.of());
  private static final Principal IK = principal("key_ik", KeyType.IK, Set.of());
  private static final Principal RK = new Principal("key_rk", KeyType.RK, "org_1", null, Set.of());
  private static final Principal LP = principal("key_lp", KeyType.LP, Set.of("products:search", "products:query"));

  // Real tokens, minted once at NOW.
  private static final String RS_VALID = ISSUER.rs256().claim("orgId", "org_7").claim("plan", "pro").sign();
  private static final String ES_VALID = ISSUER.es256().claim("orgId", "org_9").claim("plan", "enterprise").sign();
  private static final String ES_NO_ORG = ISSUER.es256().claim("plan", "free").sign();
  private static final String EXPIRED = ISSUER.rs256().expiresAt(NOW.minusSeconds(61)).sign();
  private static final String EXPIRED_WITHIN_SKEW = ISSUER.es256().expiresAt(NOW.minusSeconds(59)).sign();
  private static final String NBF_FUTURE = ISSUER.rs256().notBefore(NOW.plusSeconds(61)).sign();
  private static final String NBF_WITHIN_SKEW = ISSUER.es256().notBefore(NOW.plusSeconds(59)).sign();
  private static final String WRONG_AUD = ISSUER.rs256().audience("another-app").sign();
  private static final String WRONG_ISS = ISSUER.es256().issuer("https://evil.example").sign();
  private static final String MISSING_EXP = ISSUER.rs256().without("exp").sign();
  private static final String ALG_NONE = ISSUER.algNone();
  private static final String HS256_PUBKEY = ISSUER.hs256WithPublicKey();
  private static final String GARBAGE = "not-a-jwt";
  private static final String ADMIN = ISSUER.rs256().claim("role", "admin").sign();
  private static final String STAFF = ISSUER.es256().claim("role", "staff").sign();
  private static final String ROLE_LIST = ISSUER.es256().claim("role", List.of("viewer", "staff")).sign();
  private static final String GUEST = ISSUER.rs256().claim("role", "guest").sign();

  private static final Authorizer AUTHORIZER = new Authorizer(JwksUserTokenVerifier.builder()
      .jwksSource(new CountingJwksSource(ISSUER.jwksJson()))
      .issuer(TestIssuer.ISSUER).audience(TestIssuer.AUDIENCE).clock(CLOCK).build(), CLOCK);

  private static LensgateConfig loadConfig() {
    ConfigResult r = ConfigLoader.parse(CONFIG, "decision-flow.yaml");
    assertThat(r.errors()).isEmpty();
    return r.config().orElseThrow();
  }

  private static Principal principal(String id, KeyType type, Set<String> scopes) {
    return new Principal(id, type, "org_1", "env_dev", scopes);
  }

  /** What a case expects: an allow (with an optional filter, with or without a user) or a denial. */
  record Expect(ErrorCode denial, String filterJson, boolean withUser) {
    static Expect allow() { return new Expect(null, null, false); }
    static Expect allowUser() { return new Expect(null, null, true); }
    static Expect allowFiltered(String json) { return new Expect(null, json, true); }
    static Expect deny(ErrorCode code) { return new Expect(code, null, false); }
  }

  record Case(String name, Principal principal, LensConfig lens, Operation op, String token, Expect expect) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Case c(String name, Principal p, LensConfig lens, Operation op, String token, Expect e) {
    return new Case(name, p, lens, op, token, e);
  }

  static Stream<Case> cases() {
    List<Case> cases = new ArrayList<>();
    // Key types.
    cases.add(c("sk on ungranted query, no token", SK, NOTES, Operation.QUERY, null, Expect.allow()));
    cases.add(c("sk on rule-guarded query ignores the rule", SK, PRODUCTS, Operation.QUERY, null, Expect.allow()));
    cases.add(c("sk may ingest", SK, PRODUCTS, Operation.INGEST, null, Expect.allow()));
    cases.add(c("sk with a valid token carries the user", SK, PRODUCTS, Operation.SEARCH, RS_VALID, Expect.allowUser()));
    cases.add(c("rk on public search", RK, PRODUCTS, Operation.SEARCH, null, Expect.deny(ErrorCode.KEY_TYPE_NOT_ALLOWED)));
    cases.add(c("rk on ingest", RK, PRODUCTS, Operation.INGEST, null, Expect.deny(ErrorCode.KEY_TYPE_NOT_ALLOWED)));
    cases.add(c("ik on ingest", IK, PRODUCTS, Operation.INGEST, null, Expect.allow()));
    cases.add(c("ik on public search", IK, PRODUCTS, Operation.SEARCH, null, Expect.deny(ErrorCode.KEY_TYPE_NOT_ALLOWED)));
    cases.add(c("pk on ingest", PK, PRODUCTS, Operation.INGEST, null, Expect.deny(ErrorCode.KEY_TYPE_NOT_ALLOWED)));
    cases.add(c("lp on ingest", LP, PRODUCTS, Operation.INGEST, null, Expect.deny(ErrorCode.KEY_TYPE_NOT_ALLOWED)));
    // lp_ scopes.
    cases.add(c("lp with scope on public search", LP, PRODUCTS, Operation.SEARCH, null, Expect.allow()));
    cases.add(c("lp without scope on public similar", LP, PRODUCTS, Operation.SIMILAR, RS_VALID, Expect.deny(ErrorCode.SCOPE_MISSING)));
    cases.add(c("lp scope of another lens", LP, NOTES, Operation.SEARCH, null, Expect.deny(ErrorCode.SCOPE_MISSING)));
    cases.add(c("lp with scope, rule filter applies", LP, PRODUCTS, Operation.QUERY, RS_VALID,
        Expect.allowFiltered("{\"orgId\":\"org_7\"}")));
    // Grants.
    cases.add(c("pk on ungranted query", PK, NOTES, Operation.QUERY, null, Expect.deny(ErrorCode.OPERATION_NOT_GRANTED)));
    cases.add(c("pk on implicitly public search", PK, NOTES, Operation.SEARCH, null, Expect.allow()));
    cases.add(c("pk on public search", PK, PRODUCTS, Operation.SEARCH, null, Expect.allow()));
    cases.add(c("pk on public search with valid token", PK, PRODUCTS, Operation.SEARCH, ES_VALID, Expect.allowUser()));
    cases.add(c("authenticated without token", PK, PRODUCTS, Operation.SIMILAR, null, Expect.deny(ErrorCode.MISSING_USER_TOKEN)));
    cases.add(c("authenticated with RS256 token", PK, PRODUCTS, Operation.SIMILAR, RS_VALID, Expect.allowUser()));
    cases.add(c("authenticated with ES256 token", PK, PRODUCTS, Operation.SIMILAR, ES_VALID, Expect.allowUser()));
    cases.add(c("claims match pro", PK, PRODUCTS, Operation.SUBSCRIBE, RS_VALID, Expect.allowUser()));
    cases.add(c("claims match enterprise", PK, PRODUCTS, Operation.SUBSCRIBE, ES_VALID, Expect.allowUser()));
    cases.add(c("claims mismatch free", PK, PRODUCTS, Operation.SUBSCRIBE, ES_NO_ORG, Expect.deny(ErrorCode.CLAIMS_MISMATCH)));
    cases.add(c("claims missing", PK, PRODUCTS, Operation.SUBSCRIBE, ADMIN, Expect.deny(ErrorCode.CLAIMS_MISMATCH)));
    cases.add(c("claims check without token", PK, PRODUCTS, Operation.SUBSCRIBE, null, Expect.deny(ErrorCode.MISSING_USER_TOKEN)));
    cases.add(c("rule filter from RS256 claims", PK, PRODUCTS, Operation.QUERY, RS_VALID, Expect.allowFiltered("{\"orgId\":\"org_7\"}")));
    cases.add(c("rule filter from ES256 claims", PK, PRODUCTS, Operation.QUERY, ES_VALID, Expect.allowFiltered("{\"orgId\":\"org_9\"}")));
    cases.add(c("rule false", PK, PRODUCTS, Operation.QUERY, ES_NO_ORG, Expect.deny(ErrorCode.RULE_DENIED)));
    cases.add(c("rule without token", PK, PRODUCTS, Operation.QUERY, null, Expect.deny(ErrorCode.MISSING_USER_TOKEN)));
    cases.add(c("claims then rule true", PK, ORDERS, Operation.QUERY, ADMIN, Expect.allowUser()));
    cases.add(c("claims pass, rule false", PK, ORDERS, Operation.QUERY, STAFF, Expect.deny(ErrorCode.RULE_DENIED)));
    cases.add(c("array claim matches by element, rule errs to deny", PK, ORDERS, Operation.QUERY, ROLE_LIST,
        Expect.deny(ErrorCode.RULE_DENIED)));
    cases.add(c("claims fail before rule", PK, ORDERS, Operation.QUERY, GUEST, Expect.deny(ErrorCode.CLAIMS_MISMATCH)));
    // Token validity, on a public operation with pk_ and with sk_: an invalid token is always 401.
    String[][] invalid = {{"expired past skew", EXPIRED}, {"nbf in the future past skew", NBF_FUTURE},
        {"wrong aud", WRONG_AUD}, {"wrong iss", WRONG_ISS}, {"missing exp", MISSING_EXP}, {"alg none", ALG_NONE},
        {"HS256 signed with the RSA public key", HS256_PUBKEY}, {"garbage", GARBAGE}, {"empty", ""}};
    for (String[] t : invalid) {
      cases.add(c("pk public search, token " + t[0], PK, PRODUCTS, Operation.SEARCH, t[1], Expect.deny(ErrorCode.INVALID_USER_TOKEN)));
      cases.add(c("sk, token " + t[0], SK, NOTES, Operation.QUERY, t[1], Expect.deny(ErrorCode.INVALID_USER_TOKEN)));
    }
    cases.add(c("rk with invalid token is 401 first", RK, PRODUCTS, Operation.SEARCH, GARBAGE, Expect.deny(ErrorCode.INVALID_USER_TOKEN)));
    cases.add(c("ik with invalid token is 401 first", IK, PRODUCTS, Operation.INGEST, EXPIRED, Expect.deny(ErrorCode.INVALID_USER_TOKEN)));
    cases.add(c("lp without scope, invalid token is 401 first", LP, NOTES, Operation.QUERY, WRONG_AUD,
        Expect.deny(ErrorCode.INVALID_USER_TOKEN)));
    cases.add(c("expired within skew is accepted", PK, PRODUCTS, Operation.SIMILAR, EXPIRED_WITHIN_SKEW, Expect.allowUser()));
    cases.add(c("nbf within skew is accepted", PK, PRODUCTS, Operation.SIMILAR, NBF_WITHIN_SKEW, Expect.allowUser()));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void authorize_decisionTable(Case tc) throws Exception {
    Optional<String> token = Optional.ofNullable(tc.token());
    if (tc.expect().denial() != null) {
      assertThatThrownBy(() -> AUTHORIZER.authorize(tc.principal(), tc.lens(), tc.op(), token))
          .isInstanceOfSatisfying(LensgateException.class, e -> {
            assertThat(e.code()).isEqualTo(tc.expect().denial());
            assertThat(e.code().httpStatus()).isEqualTo(tc.expect().denial().httpStatus());
            if (tc.token() != null && tc.token().length() > 10) {
              assertThat(e.getMessage()).doesNotContain(tc.token());
            }
          });
      return;
    }
    Decision.Allowed allowed = AUTHORIZER.authorize(tc.principal(), tc.lens(), tc.op(), token);
    if (tc.expect().filterJson() == null) {
      assertThat(allowed.rowFilter()).isEmpty();
    } else {
      assertThat(allowed.rowFilter()).contains(JSON.readTree(tc.expect().filterJson()));
    }
    assertThat(allowed.user().isPresent()).isEqualTo(tc.expect().withUser() || tc.token() != null);
  }

  @Test
  void statusCodes_matchTheContract() {
    assertThat(ErrorCode.INVALID_USER_TOKEN.httpStatus()).isEqualTo(401);
    assertThat(ErrorCode.MISSING_USER_TOKEN.httpStatus()).isEqualTo(401);
    for (ErrorCode c : List.of(ErrorCode.KEY_TYPE_NOT_ALLOWED, ErrorCode.OPERATION_NOT_GRANTED, ErrorCode.CLAIMS_MISMATCH,
        ErrorCode.RULE_DENIED, ErrorCode.SCOPE_MISSING)) {
      assertThat(c.httpStatus()).isEqualTo(403);
    }
  }

  @Test
  void authorize_unknownKid_refetchesOnceThen401_andNotAgainWithin30Seconds() {
    CountingJwksSource source = new CountingJwksSource(ISSUER.jwksJson());
    MutableClock clock = new MutableClock(NOW);
    Authorizer authorizer = new Authorizer(JwksUserTokenVerifier.builder().jwksSource(source)
        .issuer(TestIssuer.ISSUER).audience(TestIssuer.AUDIENCE).clock(clock).build(), clock);

    authorizer.authorize(PK, PRODUCTS, Operation.SIMILAR, Optional.of(RS_VALID));
    assertThat(source.fetches()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(31));
    String unknownKid = ISSUER.rs256WithUnknownKey("kid-unknown-1").sign();
    assertThatThrownBy(() -> authorizer.authorize(PK, PRODUCTS, Operation.SEARCH, Optional.of(unknownKid)))
        .isInstanceOfSatisfying(LensgateException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_USER_TOKEN));
    assertThat(source.fetches()).as("a kid miss refetches the JWKS").isEqualTo(2);

    clock.advance(Duration.ofSeconds(20));
    String otherUnknownKid = ISSUER.es256().kid("kid-unknown-2").sign();
    assertThatThrownBy(() -> authorizer.authorize(SK, PRODUCTS, Operation.SEARCH, Optional.of(otherUnknownKid)))
        .isInstanceOfSatisfying(LensgateException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_USER_TOKEN));
    assertThat(source.fetches()).as("a second miss within 30 s does not refetch").isEqualTo(2);
  }

  @Test
  void authorize_withoutJwtConfigured_anyPresentedTokenIs401ButNoTokenIsFine() {
    Authorizer noJwt = new Authorizer(UserTokenVerifier.rejectingAll(), CLOCK);
    assertThat(noJwt.authorize(PK, PRODUCTS, Operation.SEARCH, Optional.empty())).isInstanceOf(Decision.Allowed.class);
    assertThatThrownBy(() -> noJwt.authorize(PK, PRODUCTS, Operation.SEARCH, Optional.of(RS_VALID)))
        .isInstanceOfSatisfying(LensgateException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_USER_TOKEN));
    assertThatThrownBy(() -> noJwt.authorize(PK, PRODUCTS, Operation.SIMILAR, Optional.empty()))
        .isInstanceOfSatisfying(LensgateException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MISSING_USER_TOKEN));
  }

  @Test
  void authorize_strictDefaults_implicitReadsAreNotGranted() {
    LensConfig strictNotes = ConfigLoader.parse(CONFIG + "defaults: { grants: strict }\n", "x").config().orElseThrow()
        .lens("notes").orElseThrow();
    assertThatThrownBy(() -> AUTHORIZER.authorize(PK, strictNotes, Operation.SEARCH, Optional.empty()))
        .isInstanceOfSatisfying(LensgateException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_NOT_GRANTED));
  }

  @Test
  void isStillValid_followsTheUserTokenExpiryPlusSkew() {
    MutableClock clock = new MutableClock(NOW);
    Authorizer authorizer = new Authorizer(JwksUserTokenVerifier.builder()
        .jwksSource(new CountingJwksSource(ISSUER.jwksJson()))
        .issuer(TestIssuer.ISSUER).audience(TestIssuer.AUDIENCE).clock(clock).build(), clock);
    String token = ISSUER.es256().expiresAt(NOW.plusSeconds(300)).sign();
    Decision.Allowed withUser = authorizer.authorize(PK, PRODUCTS, Operation.SIMILAR, Optional.of(token));
    Decision.Allowed anonymous = authorizer.authorize(PK, PRODUCTS, Operation.SEARCH, Optional.empty());
    clock.advance(Duration.ofSeconds(360));
    assertThat(authorizer.isStillValid(withUser)).isTrue();
    clock.advance(Duration.ofSeconds(1));
    assertThat(authorizer.isStillValid(withUser)).isFalse();
    assertThat(authorizer.isStillValid(anonymous)).isTrue();
  }
}
