package dev.lensgate.core.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class CompiledRuleTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final RuleCompiler compiler = new RuleCompiler();

  private RuleOutcome eval(String expr, Map<String, ?> claims) throws Exception {
    return compiler.compile(expr).evaluate(claims);
  }

  @Test
  void evaluate_contractExampleWithOrgClaim_allowsWithFilter() throws Exception {
    RuleOutcome out = eval("has(claims.orgId) ? {'filter': {'orgId': claims.orgId}} : false",
        Map.of("orgId", "org_1"));
    assertThat(out).isInstanceOf(RuleOutcome.AllowWithFilter.class);
    assertThat(((RuleOutcome.AllowWithFilter) out).filter()).isEqualTo(JSON.readTree("{\"orgId\":\"org_1\"}"));
  }

  @Test
  void evaluate_contractExampleWithoutOrgClaim_denies() throws Exception {
    assertThat(eval("has(claims.orgId) ? {'filter': {'orgId': claims.orgId}} : false", Map.of()))
        .isInstanceOf(RuleOutcome.Deny.class);
  }

  @Test
  void evaluate_trueAndFalse_allowAndDeny() throws Exception {
    assertThat(eval("claims.plan == 'pro'", Map.of("plan", "pro"))).isInstanceOf(RuleOutcome.Allow.class);
    assertThat(eval("claims.plan == 'pro'", Map.of("plan", "free"))).isInstanceOf(RuleOutcome.Deny.class);
  }

  @Test
  void evaluate_nullClaims_treatedAsAnonymous() throws Exception {
    assertThat(compiler.compile("!has(claims.sub)").evaluate(null)).isInstanceOf(RuleOutcome.Allow.class);
  }

  @Test
  void evaluate_filterWithNestedValues_convertsToJson() throws Exception {
    RuleOutcome out = eval(
        "{'filter': {'$or': [{'a': 1}, {'b': 2.5}], 'c': null, 'd': true, 'e': claims.tags, 'f': 3u}}",
        Map.of("tags", List.of("x", "y")));
    assertThat(((RuleOutcome.AllowWithFilter) out).filter()).isEqualTo(JSON.readTree(
        "{\"$or\":[{\"a\":1},{\"b\":2.5}],\"c\":null,\"d\":true,\"e\":[\"x\",\"y\"],\"f\":3}"));
  }

  @Test
  void evaluate_mapWithoutFilterKey_denies() throws Exception {
    assertThat(eval("{'allow': true}", Map.of())).isInstanceOf(RuleOutcome.Deny.class);
  }

  @Test
  void evaluate_mapWithFilterAndExtraKey_denies() throws Exception {
    assertThat(eval("{'filter': {'a': 1}, 'fitler': {'b': 2}}", Map.of())).isInstanceOf(RuleOutcome.Deny.class);
  }

  @Test
  void evaluate_filterNotAnObject_denies() throws Exception {
    assertThat(eval("{'filter': claims.orgId}", Map.of("orgId", "o"))).isInstanceOf(RuleOutcome.Deny.class);
    assertThat(eval("{'filter': [1]}", Map.of())).isInstanceOf(RuleOutcome.Deny.class);
  }

  @Test
  void evaluate_filterContainingBytes_denies() throws Exception {
    assertThat(eval("{'filter': {'a': b'xyz'}}", Map.of())).isInstanceOf(RuleOutcome.Deny.class);
  }

  @Test
  void evaluate_filterWithIntegerKeys_denies() throws Exception {
    assertThat(eval("{'filter': {1: 'a'}}", Map.of())).isInstanceOf(RuleOutcome.Deny.class);
  }

  @Test
  void evaluate_dynResultOfWrongType_denies() throws Exception {
    assertThat(eval("claims.plan", Map.of("plan", "pro"))).isInstanceOf(RuleOutcome.Deny.class);
    assertThat(eval("claims.count", Map.of("count", 3))).isInstanceOf(RuleOutcome.Deny.class);
  }

  @Test
  void evaluate_missingClaim_deniesInsteadOfThrowing() throws Exception {
    assertThat(eval("claims.orgId == 'a'", Map.of())).isInstanceOf(RuleOutcome.Deny.class);
  }

  @Test
  void evaluate_illTypedAtRuntime_denies() throws Exception {
    assertThat(eval("claims.level > 5", Map.of("level", "high"))).isInstanceOf(RuleOutcome.Deny.class);
  }

  @Test
  void evaluate_divisionByZero_denies() throws Exception {
    assertThat(eval("claims.n / 0 == 1", Map.of("n", 1))).isInstanceOf(RuleOutcome.Deny.class);
  }

  @Test
  @org.junit.jupiter.api.Timeout(60) // liveness guard: the budget must stop it, not the test runner
  void evaluate_runawayComprehension_deniesWithinBudget() throws Exception {
    List<Long> hundred = new ArrayList<>();
    for (long i = 0; i < 100; i++) {
      hundred.add(i);
    }
    CompiledRule rule = compiler.compile(
        "claims.n.all(a, claims.n.all(b, claims.n.all(c, a + b + c >= 0)))");
    assertThat(rule.evaluate(Map.of("n", hundred))).isInstanceOf(RuleOutcome.Deny.class);
    // Sanity, not timing: the same rule over a small list is allowed, so the deny came from the budget.
    assertThat(rule.evaluate(Map.of("n", List.of(1L, 2L)))).isInstanceOf(RuleOutcome.Allow.class);
  }

  @Test
  void evaluate_javaNumberAndDateClaims_areNormalized() throws Exception {
    Map<String, Object> claims = new HashMap<>();
    claims.put("level", 3);
    claims.put("ratio", 0.5f);
    claims.put("gone", null);
    claims.put("exp", new Date(1_700_000_000_000L));
    claims.put("odd", new Object());
    assertThat(eval("claims.level == 3 && claims.ratio == 0.5 && claims.gone == null"
        + " && claims.exp == 1700000000 && !has(claims.odd)", claims)).isInstanceOf(RuleOutcome.Allow.class);
  }

  @Test
  void evaluate_heterogeneousNumericComparison_works() throws Exception {
    assertThat(eval("claims.level >= 2.5", Map.of("level", 3L))).isInstanceOf(RuleOutcome.Allow.class);
  }

  @Test
  void evaluate_sharedAcrossThreads_consistentResults() throws Exception {
    CompiledRule rule = compiler.compile("has(claims.orgId) ? {'filter': {'orgId': claims.orgId}} : false");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        final String org = "org" + t;
        futures.add(pool.submit(() -> {
          for (int i = 0; i < 2_000; i++) {
            RuleOutcome o = rule.evaluate(Map.of("orgId", org));
            if (!((RuleOutcome.AllowWithFilter) o).filter().get("orgId").asText().equals(org)) {
              return false;
            }
          }
          return true;
        }));
      }
      for (Future<Boolean> f : futures) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
