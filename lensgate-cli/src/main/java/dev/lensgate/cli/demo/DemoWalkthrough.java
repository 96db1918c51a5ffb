package dev.lensgate.cli.demo;

import java.util.List;

/**
 * The ready-to-paste examples {@code lensgate demo} prints, each with the result it promises. The
 * demo test runs these exact printed lines against a started demo and checks every promise.
 */
public final class DemoWalkthrough {
  /** One example: a title, the shell lines to paste, and the promised result. */
  public record Step(String title, List<String> lines, String expect) {}

  private DemoWalkthrough() {}

  /** The steps; the search steps only when {@code searchReady} (the products index is built). */
  public static List<Step> steps(String tokenCommand, boolean searchReady) {
    List<Step> steps = new java.util.ArrayList<>(querySteps(tokenCommand));
    if (searchReady) {
      String curl = "curl -s -w '\\nHTTP %{http_code}\\n' -X POST -H \"Authorization: Bearer $PK\" -H 'Content-Type: application/json'";
      steps.add(new Step("Semantic search: the three products closest in meaning to 'something to make coffee' (no name contains 'coffee')",
          List.of(curl + " \"$LENSGATE_URL/v1/search/products\" -d '{\"query\":\"something to make coffee\",\"limit\":3}'"),
          "HTTP 200, 3 results"));
      steps.add(new Step("Search with a filter, applied inside the index before the top-k",
          List.of(curl + " \"$LENSGATE_URL/v1/search/products\" -d '{\"query\":\"light for reading\",\"mode\":\"hybrid\",\"where\":{\"orgId\":\"acme\"},\"limit\":5}'"),
          "HTTP 200, 5 results, every orgId = acme"));
    }
    return List.copyOf(steps);
  }

  private static List<Step> querySteps(String tokenCommand) {
    String curl = "curl -s -w '\\nHTTP %{http_code}\\n' -X POST -H \"Authorization: Bearer $PK\" -H 'Content-Type: application/json'";
    return List.of(
        new Step("A public lens: the three most expensive kitchen products, no user needed",
            List.of(curl + " \"$LENSGATE_URL/v1/query/products\" -d '{\"where\":{\"category\":\"kitchen\"},\"orderBy\":{\"field\":\"price\",\"dir\":\"desc\"},\"limit\":3}'"),
            "HTTP 200, 3 rows"),
        new Step("Columns the lens does not declare do not exist for clients (internal_cost stays private)",
            List.of(curl + " \"$LENSGATE_URL/v1/query/products\" -d '{\"where\":{\"internal_cost\":{\"$gt\":0}}}'"),
            "HTTP 400 unknown_field"),
        new Step("The row-filtered orders lens refuses a request without a user token",
            List.of(curl + " \"$LENSGATE_URL/v1/query/orders\" -d '{\"limit\":5}'"),
            "HTTP 401 missing_user_token"),
        new Step("Alice (orgId acme) sees only acme's orders",
            List.of("ALICE=$(" + tokenCommand + " --sub alice --claim orgId=acme)",
                curl + " -H \"X-User-Token: $ALICE\" \"$LENSGATE_URL/v1/query/orders\" -d '{\"limit\":5}'"),
            "HTTP 200, 5 rows, every orgId = acme"),
        new Step("Bob (orgId globex) sends the same query and sees only globex's orders",
            List.of("BOB=$(" + tokenCommand + " --sub bob --claim orgId=globex)",
                curl + " -H \"X-User-Token: $BOB\" \"$LENSGATE_URL/v1/query/orders\" -d '{\"limit\":5}'"),
            "HTTP 200, 5 rows, every orgId = globex"),
        new Step("Bob cannot widen his filter: asking for acme's orders returns none",
            List.of(curl + " -H \"X-User-Token: $BOB\" \"$LENSGATE_URL/v1/query/orders\" -d '{\"where\":{\"orgId\":\"acme\"}}'"),
            "HTTP 200, 0 rows"));
  }
}
