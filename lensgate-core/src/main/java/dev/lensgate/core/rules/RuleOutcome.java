package dev.lensgate.core.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * What a rule decided for one caller. Anything a rule returns that is not {@code true}, a map with
 * a {@code filter} object, or {@code false} — and any evaluation error — is a {@link Deny}: a rule
 * never fails open.
 */
public sealed interface RuleOutcome permits RuleOutcome.Deny, RuleOutcome.Allow, RuleOutcome.AllowWithFilter {

  /** The rule returned {@code false}, something unusable, or failed to evaluate. */
  record Deny() implements RuleOutcome {}

  /** The rule returned {@code true}: allow without a row filter. */
  record Allow() implements RuleOutcome {}

  /**
   * The rule returned {@code {'filter': {...}}}: allow, and AND this {@code where} object into every
   * read. The node is freshly built per evaluation, so the caller owns it.
   */
  record AllowWithFilter(JsonNode filter) implements RuleOutcome {
    public AllowWithFilter {
      Objects.requireNonNull(filter, "filter");
      if (!filter.isObject()) {
        throw new IllegalArgumentException("a rule filter must be a JSON object");
      }
    }
  }
}
