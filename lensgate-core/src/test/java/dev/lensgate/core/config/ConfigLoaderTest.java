package dev.lensgate.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lensgate.core.auth.Operation;
import dev.lensgate.core.lens.FieldType;
import dev.lensgate.core.plan.QueryRequest;
import dev.lensgate.core.rules.RuleOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  static String resource(String name) {
    try (InputStream in = ConfigLoaderTest.class.getResourceAsStream("/config/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static LensgateConfig load(String name) {
    ConfigResult r = ConfigLoader.parse(resource(name), name);
    assertThat(r.errors()).as("errors of %s", name).isEmpty();
    return r.config().orElseThrow();
  }

  /** "line:col path" of every error, in file order. */
  private static List<String> errorsAt(String yaml) {
    ConfigResult r = ConfigLoader.parse(yaml, "lensgate.yaml");
    assertThat(r.config()).isEmpty();
    return r.errors().stream().map(p -> p.line() + ":" + p.column() + " " + p.path()).collect(Collectors.toList());
  }

  private static Problem onlyError(String yaml) {
    ConfigResult r = ConfigLoader.parse(yaml, "lensgate.yaml");
    assertThat(r.errors()).as("errors").hasSize(1);
    assertThat(r.config()).isEmpty();
    return r.errors().get(0);
  }

  private static final String HEAD = ProductsYaml.HEAD
      + "      orgId: { type: string, from: org_id }\n";

  // ---- the happy path ----

  @Test
  void parse_fullExample_buildsTheWholeModel() {
    LensgateConfig c = load("full.yaml");
    assertThat(c.stack()).isEqualTo("lensgate/v1");
    JwtSettings jwt = c.jwt().orElseThrow();
    assertThat(jwt.jwksUrl()).contains(URI.create("https://issuer.example.com/.well-known/jwks.json"));
    assertThat(jwt.algorithms()).containsExactly("RS256", "ES256");
    assertThat(c.sources().keySet()).containsExactly("shop", "legacy");
    assertThat(c.sources().get("legacy").credentials()).isEqualTo(CredentialsMode.RUNNER_LOCAL);
    assertThat(c.sources().get("shop").runners()).containsExactly("edge-1");
    assertThat(c.defaults()).isEqualTo(new Defaults(DefaultGrants.OPEN, 50));

    LensConfig products = c.lens("products").orElseThrow();
    assertThat(products.schema().schema()).contains("public");
    assertThat(products.schema().table()).isEqualTo("products");
    assertThat(products.schema().field("name").orElseThrow().column()).isEqualTo("product_name");
    assertThat(products.schema().field("price").orElseThrow().type()).isEqualTo(FieldType.NUMBER);
    assertThat(products.searchableFields()).containsExactly("name", "description");
    assertThat(products.transforms("name").apply("  " + "x".repeat(100) + " ")).isEqualTo("x".repeat(80));
    assertThat(products.transforms("status").apply("ON_HOLD")).isEqualTo("on hold");
    assertThat(products.transforms("status").apply(null)).isEqualTo("unknown");
    assertThat(products.transforms("id").isEmpty()).isTrue();

    assertThat(products.grant(Operation.SEARCH)).contains(Grant.PUBLIC);
    assertThat(products.grant(Operation.SIMILAR)).contains(Grant.Authenticated.anyUser());
    Grant.Authenticated query = (Grant.Authenticated) products.grant(Operation.QUERY).orElseThrow();
    assertThat(query.rule().orElseThrow().evaluate(Map.of("orgId", "o1")))
        .isInstanceOf(RuleOutcome.AllowWithFilter.class);
    Grant.Authenticated subscribe = (Grant.Authenticated) products.grant(Operation.SUBSCRIBE).orElseThrow();
    assertThat(subscribe.claims()).isEqualTo(Map.of("plan", List.of("pro", "enterprise")));
    assertThat(subscribe.rule()).isEmpty();

    LensConfig customers = c.lens("customers").orElseThrow();
    assertThat(customers.schema().schema()).contains("crm");
    assertThat(customers.schema().primaryKey()).isEqualTo("customer_id");
    Grant.Authenticated merged = (Grant.Authenticated) customers.grant(Operation.QUERY).orElseThrow();
    assertThat(merged.claims()).isEqualTo(Map.of("role", List.of("admin"), "level", List.of(3L, 4L)));
    assertThat(merged.rule().orElseThrow().evaluate(Map.of("role", "admin"))).isInstanceOf(RuleOutcome.Allow.class);
  }

  @Test
  void parse_fullExample_warnsOncePerImplicitPublicOperation() {
    ConfigResult r = ConfigLoader.parse(resource("full.yaml"), "full.yaml");
    assertThat(r.warnings()).extracting(Problem::path).containsExactly(
        "lenses.customers.grants.search", "lenses.customers.grants.similar", "lenses.customers.grants.subscribe");
    assertThat(r.warnings().get(0).line()).isEqualTo(51);
    assertThat(r.warnings().get(0).message()).contains("public by default");
  }

  @Test
  void parse_strictDefaults_noWarningsAndEverythingOffWithoutGrant() {
    ConfigResult r = ConfigLoader.parse(resource("minimal.yaml"), "minimal.yaml");
    assertThat(r.warnings()).isEmpty();
    LensConfig notes = r.config().orElseThrow().lens("notes").orElseThrow();
    for (Operation op : Operation.values()) {
      assertThat(notes.grant(op)).as(op.name()).isEmpty();
    }
  }

  @Test
  void grant_openDefaults_readsArePublicQueryAndIngestOff() {
    LensConfig lens = ConfigLoader.parse(HEAD, "x.yaml").config().orElseThrow().lens("products").orElseThrow();
    assertThat(lens.grant(Operation.SEARCH)).contains(Grant.PUBLIC);
    assertThat(lens.grant(Operation.SIMILAR)).contains(Grant.PUBLIC);
    assertThat(lens.grant(Operation.SUBSCRIBE)).contains(Grant.PUBLIC);
    assertThat(lens.grant(Operation.QUERY)).isEmpty();
    assertThat(lens.grant(Operation.INGEST)).isEmpty();
  }

  @Test
  void parse_explicitPublic_isNotWarnedAbout() {
    ConfigResult r = ConfigLoader.parse(HEAD + "    grants: { search: public, similar: public, subscribe: authenticated }\n", "x.yaml");
    assertThat(r.warnings()).isEmpty();
  }

  @Test
  void load_relativeJwksFile_isResolvedAgainstTheConfigDirectory(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("conf").resolve("lensgate.yaml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "stack: lensgate/v1\nauth:\n  jwt: { jwksFile: ./keys/jwks.json, issuer: i, audience: a }\n");
    ConfigResult r = ConfigLoader.load(file);
    assertThat(r.errors()).isEmpty();
    assertThat(r.config().orElseThrow().jwt().orElseThrow().jwksFile())
        .contains(file.getParent().toAbsolutePath().resolve("keys/jwks.json").normalize());
  }

  @Test
  void load_missingFile_isAnErrorNotAnException(@TempDir Path dir) {
    ConfigResult r = ConfigLoader.load(dir.resolve("nope.yaml"));
    assertThat(r.ok()).isFalse();
    assertThat(r.errors()).singleElement().satisfies(p -> assertThat(p.message()).contains("cannot read"));
  }

  // ---- many errors in one file ----

  @Test
  void parse_brokenExample_reportsEveryErrorWithLineColumnAndPath() {
    assertThat(errorsAt(resource("broken.yaml"))).containsExactly(
        "1:8 stack",
        "4:5 auth.jwt.audience",
        "4:14 auth.jwt.jwksUrl",
        "6:17 auth.jwt.algorithms",
        "9:11 sources.shop.type",
        "10:10 sources.shop.url",
        "11:3 sources.shop",
        "15:13 lenses.products.source",
        "16:12 lenses.products.table",
        "17:17 lenses.products.primaryKey",
        "18:5 lenses.products.feilds",
        "21:21 lenses.products.fields.name.type",
        "21:42 lenses.products.fields.name.searchable",
        "21:66 lenses.products.fields.name.transforms[1]",
        "21:84 lenses.products.fields.name.transforms[2].round",
        "21:90 lenses.products.fields.name.transforms[3].frobnicate",
        "22:36 lenses.products.fields.price.from",
        "24:15 lenses.products.grants.search",
        "25:7 lenses.products.grants.ingest",
        "26:23 lenses.products.grants.query.rule",
        "27:35 lenses.products.grants.subscribe.authenticated",
        "29:3 grants.produts",
        "31:21 defaults.grants",
        "31:33 defaults.limit");
  }

  @Test
  void problem_toString_isFileLineColumnPathMessage() {
    Problem p = ConfigLoader.parse(resource("broken.yaml"), "conf/lensgate.yaml").errors().get(0);
    assertThat(p.toString()).isEqualTo("conf/lensgate.yaml:1:8: stack: unsupported stack 'lensgate/v2': this version reads lensgate/v1");
    assertThat(new Problem("f", 1, 1, "", "empty").toString()).isEqualTo("f:1:1: empty");
  }

  @Test
  void parse_brokenExample_neverEchoesTheUrlPassword() {
    ConfigResult r = ConfigLoader.parse(resource("broken.yaml"), "x");
    assertThat(r.errors()).allSatisfy(p -> assertThat(p.message()).doesNotContain("hunter2"));
  }

  // ---- document level ----

  @Test
  void parse_emptyOrCommentOnly_isAnError() {
    assertThat(onlyError("").message()).contains("empty");
    assertThat(onlyError("# nothing\n").message()).contains("empty");
  }

  @Test
  void parse_yamlSyntaxError_pointsAtTheProblem() {
    Problem p = onlyError("stack: lensgate/v1\nlenses:\n  a: [1, 2\n  b: 3\n");
    assertThat(p.message()).startsWith("invalid YAML");
    assertThat(p.line()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void parse_multipleDocuments_isAnError() {
    Problem p = onlyError("stack: lensgate/v1\n---\nstack: lensgate/v1\n");
    assertThat(p.line()).isEqualTo(3);
    assertThat(p.message()).contains("single YAML document");
  }

  @Test
  void parse_rootNotAMapping_isAnError() {
    assertThat(onlyError("- a\n- b\n").message()).contains("a mapping");
  }

  @Test
  void parse_customTag_isRejected() {
    assertThat(onlyError("stack: !!python/object lensgate/v1\n").message()).contains("custom YAML tags");
  }

  @Test
  void parse_aliasBomb_isRejectedQuickly() {
    StringBuilder y = new StringBuilder("stack: lensgate/v1\nx0: &a0 [a, a, a, a, a, a, a, a]\n");
    for (int i = 1; i < 12; i++) {
      y.append("x").append(i).append(": &a").append(i).append(" [*a").append(i - 1).append(", *a").append(i - 1)
          .append(", *a").append(i - 1).append("]\n");
    }
    assertThat(ConfigLoader.parse(y.toString(), "bomb.yaml").ok()).isFalse();
  }

  @Test
  void parse_missingStack_andUnknownRootKey_bothReported() {
    assertThat(errorsAt("sorces: {}\n")).containsExactly("1:1 sorces", "1:1 stack");
    assertThat(ConfigLoader.parse("sorces: {}\n", "x").errors().get(0).message()).contains("did you mean 'sources'?");
  }

  @Test
  void parse_duplicateKey_reportedAtTheSecondOccurrence() {
    Problem p = onlyError("stack: lensgate/v1\nstack: lensgate/v1\n");
    assertThat(p.line()).isEqualTo(2);
    assertThat(p.path()).isEqualTo("stack");
    assertThat(p.message()).contains("duplicate key").contains("line 1");
  }

  // ---- lenses and fields ----

  @Test
  void parse_lensMissingRequiredKeys_reportsEachAtTheLens() {
    assertThat(errorsAt("stack: lensgate/v1\nlenses:\n  l:\n    schema: s\n")).containsExactly(
        "4:5 lenses.l.source", "4:5 lenses.l.table", "4:5 lenses.l.fields", "4:5 lenses.l.primaryKey");
  }

  @Test
  void parse_badIdentifiers_reportedForLensFieldSchemaAndColumn() {
    String yaml = "stack: lensgate/v1\nsources: { s: { type: h2 } }\nlenses:\n"
        + "  1bad:\n    source: s\n    table: t\n    schema: \"x y\"\n    primaryKey: id\n"
        + "    fields:\n      id: { type: integer }\n      bad-name: { type: string }\n      ok: { type: string, from: \"a\\\"b\" }\n";
    assertThat(errorsAt(yaml)).containsExactly(
        "4:3 lenses.1bad", "7:13 lenses.1bad.schema", "11:7 lenses.1bad.fields.bad-name", "12:33 lenses.1bad.fields.ok.from");
  }

  @Test
  void parse_schemaGivenTwice_isAnError() {
    Problem p = onlyError(HEAD.replace("table: products", "table: public.products\n    schema: other"));
    assertThat(p.path()).isEqualTo("lenses.products.table");
    assertThat(p.message()).contains("not both");
  }

  @Test
  void parse_tooManyDots_isAnError() {
    assertThat(onlyError(HEAD.replace("table: products", "table: a.b.c")).path()).isEqualTo("lenses.products.table");
  }

  @Test
  void parse_emptyFields_isAnError() {
    String yaml = "stack: lensgate/v1\nsources: { s: { type: h2 } }\nlenses:\n  l: { source: s, table: t, primaryKey: id, fields: {} }\n";
    assertThat(errorsAt(yaml)).contains("4:53 lenses.l.fields");
  }

  @Test
  void parse_fieldTypeMissingOrNotAString_isReported() {
    assertThat(errorsAt(HEAD + "      x: { from: x_col }\n      y: { type: [string] }\n"))
        .containsExactly("12:10 lenses.products.fields.x.type", "13:18 lenses.products.fields.y.type");
  }

  @Test
  void parse_fieldTypeAliases_areAccepted() {
    assertThat(ConfigLoader.parse(HEAD + "      a: { type: text }\n      b: { type: bool }\n      c: { type: datetime }\n", "x").ok())
        .isTrue();
  }

  @Test
  void parse_unknownFieldKey_suggestsTheRightOne() {
    Problem p = onlyError(HEAD + "      x: { type: string, serchable: true }\n");
    assertThat(p.path()).isEqualTo("lenses.products.fields.x.serchable");
    assertThat(p.message()).contains("did you mean 'searchable'?");
  }

  // ---- transforms ----

  @Test
  void parse_transformArgumentErrors_eachReported() {
    String yaml = HEAD + "      x:\n        type: string\n        transforms:\n"
        + "          - {trim: 1}\n"             // 15
        + "          - {truncate: 0}\n"         // 16
        + "          - {truncate: many}\n"      // 17
        + "          - round\n"                 // 18
        + "          - {replace: {from: a}}\n"  // 19
        + "          - {replace: {from: '', to: b}}\n" // 20
        + "          - {default: null}\n"       // 21
        + "          - {default: [1]}\n"        // 22
        + "          - {trim: 1, lowercase: 2}\n" // 23
        + "          - [trim]\n"                // 24
        + "          - toUpper\n";              // 25
    assertThat(errorsAt(yaml)).containsExactly(
        "15:20 lenses.products.fields.x.transforms[0].trim",
        "16:24 lenses.products.fields.x.transforms[1].truncate",
        "17:24 lenses.products.fields.x.transforms[2].truncate",
        "18:13 lenses.products.fields.x.transforms[3]",
        "19:23 lenses.products.fields.x.transforms[4].replace.to",
        "20:30 lenses.products.fields.x.transforms[5].replace.from",
        "21:23 lenses.products.fields.x.transforms[6].default",
        "22:23 lenses.products.fields.x.transforms[7].default",
        "23:13 lenses.products.fields.x.transforms[8]",
        "24:13 lenses.products.fields.x.transforms[9]",
        "25:13 lenses.products.fields.x.transforms[10]");
  }

  @Test
  void parse_transformsNotAList_isAnError() {
    assertThat(onlyError(HEAD + "      x: { type: string, transforms: trim }\n").path())
        .isEqualTo("lenses.products.fields.x.transforms");
  }

  // ---- grants and rules ----

  @Test
  void parse_ruleErrorInPlainScalar_pointsIntoTheRule() {
    Problem p = onlyError(HEAD + "    grants:\n      query: { rule: claims.x + }\n");
    assertThat(p.path()).isEqualTo("lenses.products.grants.query.rule");
    assertThat(p.line()).isEqualTo(13);
    // "claims.x +" starts at column 22; the parser fails at rule column 11, the end of input.
    assertThat(p.column()).isEqualTo(22 + 10);
    assertThat(p.message()).contains("at 1:11 of the rule");
  }

  @Test
  void parse_ruleErrorInDoubleQuotedScalar_pointsIntoTheRule() {
    Problem p = onlyError(HEAD + "    grants:\n      query:\n        rule: \"claims.orgId == 'a' && nope\"\n");
    assertThat(p.line()).isEqualTo(14);
    assertThat(p.column()).isEqualTo(14 + 1 + 24); // quote at column 15, "nope" at rule column 24
    assertThat(p.message()).contains("undeclared reference to 'nope'");
  }

  @Test
  void parse_ruleErrorInLiteralBlock_pointsAtTheRuleLine() {
    Problem p = onlyError(HEAD + "    grants:\n      query:\n        rule: |\n          claims.a == 1 &&\n            'x' + 1 == 'y'\n");
    assertThat(p.line()).isEqualTo(16);
    assertThat(p.column()).isEqualTo(17);
    assertThat(p.message()).contains("at 2:7 of the rule");
  }

  @Test
  void parse_ruleWithEscapes_fallsBackToTheScalarStart() {
    Problem p = onlyError(HEAD + "    grants:\n      query: { rule: \"claims.x == \\\"a\\\" && nope\" }\n");
    assertThat(p.line()).isEqualTo(13);
    assertThat(p.column()).isEqualTo(22);
    assertThat(p.message()).contains("of the rule");
  }

  @Test
  void parse_grantShapeErrors_eachReported() {
    String yaml = HEAD + "    grants:\n"
        + "      search: {}\n"                                   // 13
        + "      similar: { claims: {} }\n"                      // 14
        + "      query: { claims: { plan: [] } }\n"              // 15
        + "      subscribe: { claims: { plan: null }, rule: 7 }\n"; // 16
    assertThat(errorsAt(yaml)).containsExactly(
        "13:15 lenses.products.grants.search",
        "14:26 lenses.products.grants.similar.claims",
        "15:32 lenses.products.grants.query.claims.plan",
        "16:36 lenses.products.grants.subscribe.claims.plan",
        "16:50 lenses.products.grants.subscribe.rule");
  }

  @Test
  void parse_ruleResultTypeWrong_isReported() {
    assertThat(onlyError(HEAD + "    grants: { query: { rule: \"'yes'\" } }\n").message()).contains("must return a bool");
  }

  @Test
  void parse_topLevelGrantConflict_isAnErrorNamingBothPlaces() {
    Problem p = onlyError(HEAD + "    grants: { query: authenticated }\ngrants:\n  products:\n    query: public\n");
    assertThat(p.line()).isEqualTo(15);
    assertThat(p.path()).isEqualTo("grants.products.query");
    assertThat(p.message()).contains("lenses.products.grants.query").contains("line 12");
  }

  @Test
  void parse_topLevelGrantsOnly_areMergedIntoTheLens() {
    ConfigResult r = ConfigLoader.parse(HEAD + "grants:\n  products:\n    query: authenticated\n", "x");
    assertThat(r.config().orElseThrow().lens("products").orElseThrow().grant(Operation.QUERY))
        .contains(Grant.Authenticated.anyUser());
  }

  @Test
  void parse_topLevelGrantForLensWithErrors_isNotReportedAsUnknownLens() {
    List<String> errors = errorsAt(HEAD + "      bad: { type: nope }\ngrants:\n  products:\n    query: public\n");
    assertThat(errors).containsExactly("12:20 lenses.products.fields.bad.type");
  }

  // ---- sources and auth ----

  @Test
  void parse_sourceErrors_eachReported() {
    String yaml = "stack: lensgate/v1\nsources:\n"
        + "  a: { type: h2, url: \"jdbc:postgresql://x/y\" }\n"   // 3
        + "  b: { type: postgres, credentials: runner-local }\n"   // 4
        + "  c: { type: postgres, runners: edge-1 }\n"             // 5
        + "  d: { type: postgres, runners: [\"bad name\"] }\n"     // 6
        + "  e: { type: mysql, url: \"jdbc:mysql://u:p@host/db\" }\n" // 7
        + "  f: { type: postgres, credentials: vault }\n"          // 8
        + "  g: { url: \"jdbc:h2:mem:x\" }\n";                     // 9
    assertThat(errorsAt(yaml)).containsExactly(
        "3:23 sources.a.url", "4:6 sources.b.runners", "5:33 sources.c.runners", "6:33 sources.d.runners",
        "7:26 sources.e.url", "8:37 sources.f.credentials", "9:6 sources.g.type");
  }

  @Test
  void parse_jwtErrors_eachReported() {
    assertThat(errorsAt("stack: lensgate/v1\nauth:\n  jwt: { issuer: i, audience: a }\n"))
        .containsExactly("3:8 auth.jwt");
    assertThat(errorsAt("stack: lensgate/v1\nauth:\n  jwt: { jwksUrl: \"https://x/j\", jwksFile: j.json, issuer: i, audience: a }\n"))
        .containsExactly("3:8 auth.jwt");
    assertThat(errorsAt("stack: lensgate/v1\nauth:\n  jwt: { jwksUrl: \"ftp://x/j\", issuer: i, audience: a, algorithms: [none] }\n"))
        .containsExactly("3:19 auth.jwt.jwksUrl", "3:68 auth.jwt.algorithms");
    assertThat(errorsAt("stack: lensgate/v1\nauth:\n  jwt: { jwksUrl: \"https://x/j\", issuer: i, audience: a, algorithms: [] }\n"))
        .containsExactly("3:70 auth.jwt.algorithms");
  }

  @Test
  void parse_jwtOverLocalhostHttp_isAllowedForTheDevIssuer() {
    ConfigResult r = ConfigLoader.parse(
        "stack: lensgate/v1\nauth:\n  jwt: { jwksUrl: \"http://localhost:8080/dev/jwks.json\", issuer: i, audience: a }\n", "x");
    assertThat(r.errors()).isEmpty();
    assertThat(r.config().orElseThrow().jwt().orElseThrow().algorithms()).isEqualTo(JwtSettings.SUPPORTED_ALGORITHMS);
  }

  @Test
  void parse_defaultsLimitBounds_areEnforced() {
    for (String bad : new String[] {"0", "-1", "1001", "99999999999", "2.5", "\"50\"", "true"}) {
      assertThat(onlyError("stack: lensgate/v1\ndefaults: { limit: " + bad + " }\n").path()).as(bad)
          .isEqualTo("defaults.limit");
    }
    assertThat(ConfigLoader.parse("stack: lensgate/v1\ndefaults: { limit: 1000 }\n", "x").config().orElseThrow()
        .defaults().limit()).isEqualTo(1000);
    assertThat(ConfigLoader.parse("stack: lensgate/v1\ndefaults: { limit: 1 }\n", "x").config().orElseThrow()
        .defaults().limit()).isEqualTo(1);
    assertThat(ConfigLoader.parse("stack: lensgate/v1\n", "x").config().orElseThrow()
        .defaults().limit()).isEqualTo(QueryRequest.DEFAULT_LIMIT);
  }

  @Test
  void configResult_withConfigAndErrors_isRejected() {
    LensgateConfig c = load("minimal.yaml");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ConfigResult(Optional.of(c),
        List.of(new Problem("f", 1, 1, "", "m")), List.of())).isInstanceOf(IllegalArgumentException.class);
  }
}
