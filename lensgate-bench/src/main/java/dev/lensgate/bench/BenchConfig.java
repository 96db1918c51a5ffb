package dev.lensgate.bench;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The one lens both benchmarks use: {@code items} over {@code items(id, org_id, name, price)}, whose
 * {@code query} grant needs a user token and narrows every read to the caller's {@code orgId} with
 * the contract's own rule ({@code has(claims.orgId) ? {'filter': {'orgId': claims.orgId}} : false}).
 * Written as YAML and loaded through the real config loader, so the benchmarks measure exactly what
 * a pushed config compiles to. A second lens, {@code items_public}, reads the same table under a
 * {@code public} grant, so the load harness can tell the user-token cost from the rest.
 */
final class BenchConfig {
  static final String LENS = "items";
  /** The same table with a {@code public} query grant: no user token, no rule (isolates JWT + CEL). */
  static final String PUBLIC_LENS = "items_public";
  static final String SOURCE = "bench";
  static final String ISSUER = "lensgate-bench";
  static final String AUDIENCE = "lensgate-bench";
  static final String RULE = "has(claims.orgId) ? {'filter': {'orgId': claims.orgId}} : false";
  /** Rows are spread over this many organizations: {@code org_id = 'org-' || (id % ORGS)}. */
  static final int ORGS = 100;

  private BenchConfig() {}

  /**
   * @param jwksFile the dev issuer's public JWKS
   * @param sourceUrl JDBC URL of the source (credentials are stored separately, never in YAML)
   * @param schema the source schema holding {@code items}, or null for the connection's default
   */
  static String yaml(Path jwksFile, String sourceUrl, String schema) {
    return header(jwksFile, SOURCE, sourceUrl)
        + "  " + LENS + ":\n"
        + "    source: " + SOURCE + "\n"
        + "    table: items\n"
        + (schema == null ? "" : "    schema: " + schema + "\n")
        + "    primaryKey: id\n"
        + "    fields:\n"
        + "      id: { type: integer }\n"
        + "      orgId: { type: string, from: org_id }\n"
        + "      name: { type: string }\n"
        + "      price: { type: number }\n"
        + "    grants:\n"
        + "      query:\n"
        + "        authenticated: true\n"
        + "        rule: \"" + RULE + "\"\n"
        + "  " + PUBLIC_LENS + ":\n"
        + "    source: " + SOURCE + "\n"
        + "    table: items\n"
        + (schema == null ? "" : "    schema: " + schema + "\n")
        + "    primaryKey: id\n"
        + "    fields:\n"
        + "      id: { type: integer }\n"
        + "      orgId: { type: string, from: org_id }\n"
        + "      name: { type: string }\n"
        + "      price: { type: number }\n"
        + "    grants:\n"
        + "      query: public\n"
        + "defaults:\n"
        + "  grants: strict\n";
  }

  /** The organization of row {@code id}. */
  /**
   * The config's start, shared by the benchmarks: the dev issuer's ES256 JWKS as the user-token
   * authority and one PostgreSQL source; the caller appends the lenses after {@code lenses:}.
   */
  static String header(Path jwksFile, String sourceName, String sourceUrl) {
    Objects.requireNonNull(jwksFile, "jwksFile");
    Objects.requireNonNull(sourceUrl, "sourceUrl");
    return "stack: lensgate/v1\n"
        + "auth:\n"
        + "  jwt:\n"
        + "    jwksFile: " + jwksFile.toAbsolutePath() + "\n"
        + "    issuer: " + ISSUER + "\n"
        + "    audience: " + AUDIENCE + "\n"
        + "    algorithms: [ES256]\n"
        + "sources:\n"
        + "  " + sourceName + ":\n"
        + "    type: postgres\n"
        + "    url: \"" + sourceUrl + "\"\n"
        + "lenses:\n";
  }

  static String orgOf(long id) {
    return "org-" + (id % ORGS);
  }
}
