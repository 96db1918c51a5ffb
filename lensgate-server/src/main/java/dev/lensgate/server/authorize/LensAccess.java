package dev.lensgate.server.authorize;

import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.auth.Operation;
import dev.lensgate.core.auth.Principal;
import dev.lensgate.core.authz.Decision;
import dev.lensgate.core.config.LensConfig;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.jwt.JwksUserTokenVerifier;
import dev.lensgate.core.where.Filter;
import dev.lensgate.core.where.WhereParser;
import dev.lensgate.server.authenticate.KeyAuthenticator;
import dev.lensgate.server.catalog.EnvironmentCatalog;
import dev.lensgate.server.catalog.EnvironmentRuntime;
import dev.lensgate.server.http.RateLimiter;
import dev.lensgate.server.http.RequestContext;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first two steps of every data-plane request: authenticate the key (→ principal), then
 * authorize lens + operation (grant, user JWT, claims, rule → maybe a row filter). The result type
 * can only be made here, so a handler cannot reach the plan step without passing both.
 */
public final class LensAccess {
  private static final Logger LOG = LoggerFactory.getLogger(LensAccess.class);
  public static final String USER_TOKEN_HEADER = "X-User-Token";

  private final KeyAuthenticator authenticator;
  private final RateLimiter rateLimiter;
  private final EnvironmentCatalog catalog;

  public LensAccess(KeyAuthenticator authenticator, RateLimiter rateLimiter, EnvironmentCatalog catalog) {
    this.authenticator = authenticator;
    this.rateLimiter = rateLimiter;
    this.catalog = catalog;
  }

  /**
   * Proof that a caller may perform an operation on a lens, with the row filter it must obey. The
   * lens and the environment's defaults come from the same active config.
   */
  public static final class Granted {
    private final Principal principal;
    private final LensConfig lens;
    private final Optional<Filter> rowFilter;
    private final int defaultLimit;
    private final Optional<Instant> userTokenValidUntil;

    private Granted(Principal principal, LensConfig lens, Optional<Filter> rowFilter, int defaultLimit,
        Optional<Instant> userTokenValidUntil) {
      this.principal = principal;
      this.lens = lens;
      this.rowFilter = rowFilter;
      this.defaultLimit = defaultLimit;
      this.userTokenValidUntil = userTokenValidUntil;
    }

    public Principal principal() { return principal; }

    public LensConfig lens() { return lens; }

    /** The rule's filter, ANDed into every read; empty when the grant has none. */
    public Optional<Filter> rowFilter() { return rowFilter; }

    /** The config's {@code defaults.limit}: the page size of a query that names none. */
    public int defaultLimit() { return defaultLimit; }

    /**
     * When the verified user token presented with this decision stops being accepted (its
     * {@code exp} plus the verifier's clock skew); empty when none was presented. Long-lived
     * decisions (stream subscriptions) end then.
     */
    public Optional<Instant> userTokenValidUntil() { return userTokenValidUntil; }
  }

  public Granted authorize(Context ctx, String lensName, Operation operation) {
    Principal principal = authenticator.authenticate(ctx.header("Authorization"));
    RequestContext.of(ctx).principal(principal);
    rateLimiter.acquire(principal.keyId());
    return authorize(principal, lensName, operation, Optional.ofNullable(ctx.header(USER_TOKEN_HEADER)));
  }

  /** The authorization step alone, for callers that authenticated already (streams, benchmarks). */
  public Granted authorize(Principal principal, String lensName, Operation operation, Optional<String> userToken) {
    if (principal.type() == KeyType.RK) {
      throw new LensgateException(ErrorCode.KEY_TYPE_NOT_ALLOWED, "runner keys may only open the runner socket");
    }
    EnvironmentRuntime env = catalog.runtime(principal.envId())
        .orElseThrow(() -> lensNotFound(lensName));
    LensConfig lens = env.lens(lensName).orElseThrow(() -> lensNotFound(lensName));
    // Denials are thrown; what comes back is always an allowance.
    Decision.Allowed allowed = env.authorizer().authorize(principal, lens, operation, userToken);
    return new Granted(principal, lens, allowed.rowFilter().map(f -> ruleFilter(lens, f)),
        env.config().defaults().limit(),
        allowed.user().map(u -> u.expiresAt().plus(JwksUserTokenVerifier.CLOCK_SKEW)));
  }

  private static Filter ruleFilter(LensConfig lens, com.fasterxml.jackson.databind.JsonNode raw) {
    try {
      return WhereParser.parse(raw, lens.schema());
    } catch (LensgateException e) {
      // The operator's rule produced a filter this lens cannot express: fail closed.
      LOG.warn("rule filter of lens {} is invalid ({}); denying", lens.name(), e.code().code());
      throw new LensgateException(ErrorCode.RULE_DENIED, "the access rule could not be applied");
    }
  }

  private static LensgateException lensNotFound(String name) {
    String shown = name.length() > 64 || !name.matches("[A-Za-z0-9_-]*") ? "(invalid name)" : name;
    return new LensgateException(ErrorCode.LENS_NOT_FOUND, "no lens named " + shown + " in this environment");
  }
}
