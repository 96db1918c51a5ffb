package dev.lensgate.core.jwt;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The claims of a user token that passed verification. Only the verifiers in this package create
 * these, so holding one proves the checks ran.
 *
 * <p>The claims map is a deep, unmodifiable copy of the token's JSON payload: strings, {@code Long}
 * or {@code Double} numbers, booleans, nulls, lists and maps; numeric dates ({@code exp},
 * {@code iat}, {@code nbf}) stay epoch seconds. {@link #toString()} never shows claim values.
 */
public final class VerifiedClaims {
  private final Map<String, Object> claims;
  private final Instant expiresAt;

  VerifiedClaims(Map<String, Object> claims, Instant expiresAt) {
    this.claims = deepCopy(Objects.requireNonNull(claims, "claims"));
    this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /** All claims, unmodifiable. */
  public Map<String, Object> claims() {
    return claims;
  }

  /** The token's {@code exp}; a subscription held on this token ends then (plus the verifier's skew). */
  public Instant expiresAt() {
    return expiresAt;
  }

  /** The {@code sub} claim when it is a string. */
  public Optional<String> subject() {
    Object sub = claims.get("sub");
    return sub instanceof String ? Optional.of((String) sub) : Optional.empty();
  }

  @Override
  public String toString() {
    return "VerifiedClaims[" + claims.size() + " claims, expiresAt=" + expiresAt + "]";
  }

  private static Map<String, Object> deepCopy(Map<?, ?> in) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : in.entrySet()) {
      out.put(String.valueOf(e.getKey()), copyValue(e.getValue()));
    }
    return Collections.unmodifiableMap(out);
  }

  private static Object copyValue(Object v) {
    if (v instanceof Map) {
      return deepCopy((Map<?, ?>) v);
    }
    if (v instanceof Collection) {
      List<Object> list = new ArrayList<>();
      for (Object item : (Collection<?>) v) {
        list.add(copyValue(item));
      }
      return Collections.unmodifiableList(list);
    }
    return v;
  }
}
