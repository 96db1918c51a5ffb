package dev.lensgate.core.config;

import dev.lensgate.core.rules.CompiledRule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may perform one operation on one lens with a {@code pk_}/{@code lp_} key (CONTRACT §5).
 * The YAML forms are {@code public}, {@code authenticated} and
 * {@code {authenticated: true, claims: {...}, rule: "..."}}; the object form always requires a
 * valid user token.
 */
public sealed interface Grant permits Grant.Public, Grant.Authenticated {

  /** Anyone holding a key of the environment. */
  Public PUBLIC = new Public();

  record Public() implements Grant {}

  /**
   * A valid user token is required; then every listed claim must match and the rule, if any,
   * must allow.
   *
   * @param claims claim name → accepted values (strings, {@code Long}, {@code Double},
   *     {@code Boolean}); a token claim matches when it equals one of them, or, for an array claim,
   *     when any element does
   */
  record Authenticated(Map<String, List<Object>> claims, Optional<CompiledRule> rule) implements Grant {
    public Authenticated {
      Map<String, List<Object>> copy = new LinkedHashMap<>();
      for (Map.Entry<String, List<Object>> e : claims.entrySet()) {
        List<Object> values = new ArrayList<>(e.getValue());
        if (values.isEmpty() || values.contains(null)) {
          throw new IllegalArgumentException("claim " + e.getKey() + " needs at least one non-null value");
        }
        copy.put(Objects.requireNonNull(e.getKey()), Collections.unmodifiableList(values));
      }
      claims = Collections.unmodifiableMap(copy);
      Objects.requireNonNull(rule, "rule");
    }

    /** The plain {@code authenticated} form: any valid user token. */
    public static Authenticated anyUser() {
      return new Authenticated(Map.of(), Optional.empty());
    }
  }
}
