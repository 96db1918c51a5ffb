package dev.lensgate.core.authz;

import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.auth.Operation;
import dev.lensgate.core.auth.Principal;
import dev.lensgate.core.config.Grant;
import dev.lensgate.core.config.LensConfig;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.jwt.JwksUserTokenVerifier;
import dev.lensgate.core.jwt.UserTokenVerifier;
import dev.lensgate.core.jwt.VerifiedClaims;
import dev.lensgate.core.rules.RuleOutcome;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * The authorization step of every data-plane request (CONTRACT §5), in this exact order:
 *
 * <ol>
 *   <li>a user token that is present but invalid → 401 {@code invalid_user_token}, whatever the key
 *       and operation (a bad token is never silently ignored);
 *   <li>{@code sk_} → allowed, no row filter;
 *   <li>{@code rk_} → 403 {@code key_type_not_allowed};
 *   <li>{@code ik_} → allowed for ingest only, else 403 {@code key_type_not_allowed};
 *   <li>{@code pk_}/{@code lp_}: ingest → 403 {@code key_type_not_allowed}; {@code lp_} without the
 *       scope {@code <lens>:<operation>} → 403 {@code scope_missing}; no grant → 403
 *       {@code operation_not_granted}; {@code public} → allowed; otherwise no user token → 401
 *       {@code missing_user_token}, claims not matching → 403 {@code claims_mismatch}, rule
 *       {@code false} → 403 {@code rule_denied}, {@code true} → allowed, {@code {filter}} → allowed
 *       with that row filter.
 * </ol>
 *
 * <p>Lens resolution (404 {@code lens_not_found}, also for another environment's lens) happens
 * before this, in the caller. Thread-safe.
 */
public final class Authorizer {
  private final UserTokenVerifier verifier;
  private final Clock clock;

  /**
   * @param verifier the config's user-token verifier; {@link UserTokenVerifier#rejectingAll()} when
   *     no {@code auth.jwt} is configured
   */
  public Authorizer(UserTokenVerifier verifier, Clock clock) {
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * @return the decision; never null
   * @throws LensgateException with the denial's code
   */
  public Decision.Allowed authorize(Principal principal, LensConfig lens, Operation operation, Optional<String> userToken) {
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(lens, "lens");
    Objects.requireNonNull(operation, "operation");
    Optional<VerifiedClaims> user = userToken.map(verifier::verify);
    switch (principal.type()) {
      case SK:
        return allow(user);
      case IK:
        if (operation == Operation.INGEST) {
          return allow(user);
        }
        throw deny(ErrorCode.KEY_TYPE_NOT_ALLOWED, "an ik_ key may only ingest");
      case PK:
      case LP:
        return authorizeByGrant(principal, lens, operation, user);
      case RK:
      default:
        throw deny(ErrorCode.KEY_TYPE_NOT_ALLOWED, "this key type cannot call the data API");
    }
  }

  /**
   * For long-lived decisions (stream subscriptions): whether the user token behind it is still
   * current, with the verifier's clock skew. A decision without a user token never expires here.
   */
  public boolean isStillValid(Decision.Allowed decision) {
    return decision.user()
        .map(u -> !clock.instant().isAfter(u.expiresAt().plus(JwksUserTokenVerifier.CLOCK_SKEW)))
        .orElse(true);
  }

  private static Decision.Allowed authorizeByGrant(Principal principal, LensConfig lens, Operation operation,
      Optional<VerifiedClaims> user) {
    if (operation == Operation.INGEST) {
      throw deny(ErrorCode.KEY_TYPE_NOT_ALLOWED, "only ik_ and sk_ keys may ingest");
    }
    if (principal.type() == KeyType.LP && !principal.scopes().contains(lens.name() + ":" + operation.wireName())) {
      throw deny(ErrorCode.SCOPE_MISSING, "this key lacks the scope " + lens.name() + ":" + operation.wireName());
    }
    Grant grant = lens.grant(operation)
        .orElseThrow(() -> deny(ErrorCode.OPERATION_NOT_GRANTED,
            operation.wireName() + " is not granted on lens " + lens.name()));
    if (grant instanceof Grant.Public) {
      return allow(user);
    }
    Grant.Authenticated authenticated = (Grant.Authenticated) grant;
    VerifiedClaims claims = user.orElseThrow(() -> new LensgateException(ErrorCode.MISSING_USER_TOKEN,
        operation.wireName() + " on lens " + lens.name() + " requires a user token"));
    if (!ClaimsMatcher.matches(authenticated.claims(), claims.claims())) {
      throw deny(ErrorCode.CLAIMS_MISMATCH, "the user token's claims do not satisfy the grant");
    }
    if (authenticated.rule().isEmpty()) {
      return allow(user);
    }
    return fromRule(authenticated.rule().get().evaluate(claims.claims()), user);
  }

  private static Decision.Allowed fromRule(RuleOutcome outcome, Optional<VerifiedClaims> user) {
    if (outcome instanceof RuleOutcome.AllowWithFilter) {
      return new Decision.Allowed(Optional.of(((RuleOutcome.AllowWithFilter) outcome).filter()), user);
    }
    if (outcome instanceof RuleOutcome.Allow) {
      return allow(user);
    }
    throw deny(ErrorCode.RULE_DENIED, "the access rule denied this request");
  }

  private static Decision.Allowed allow(Optional<VerifiedClaims> user) {
    return new Decision.Allowed(Optional.empty(), user);
  }

  private static LensgateException deny(ErrorCode code, String message) {
    return new LensgateException(code, message);
  }
}
