package dev.lensgate.core.rules;

import dev.cel.common.CelErrorCode;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rule that compiled. Only {@link RuleCompiler} creates these, so holding one proves the
 * expression parsed and type-checked.
 *
 * <p>Immutable and thread-safe: one instance serves every request. Evaluation never throws and
 * never fails open — see {@link RuleOutcome}. Failures are logged with the rule's fingerprint and
 * the CEL error kind only, never claim values.
 */
public final class CompiledRule {
  private static final Logger LOG = LoggerFactory.getLogger(CompiledRule.class);
  private static final RuleOutcome DENY = new RuleOutcome.Deny();
  private static final RuleOutcome ALLOW = new RuleOutcome.Allow();

  private final String expression;
  private final CelRuntime.Program program;

  CompiledRule(String expression, CelRuntime.Program program) {
    this.expression = Objects.requireNonNull(expression, "expression");
    this.program = Objects.requireNonNull(program, "program");
  }

  /** The source text, as written in the config. */
  public String expression() {
    return expression;
  }

  /**
   * Evaluates the rule against verified claims (empty for an anonymous caller).
   *
   * @param claims JSON-like values: strings, numbers, booleans, null, lists and maps
   */
  public RuleOutcome evaluate(Map<String, ?> claims) {
    Object result;
    try {
      result = program.eval(Map.of("claims", ClaimValues.toCel(claims == null ? Map.of() : claims)));
    } catch (CelEvaluationException e) {
      CelErrorCode code = e.getErrorCode();
      LOG.debug("rule {} denied: evaluation failed ({})", fingerprint(), code);
      return DENY;
    } catch (RuntimeException | StackOverflowError e) {
      LOG.warn("rule {} denied: evaluation failed ({})", fingerprint(), e.getClass().getSimpleName());
      return DENY;
    }
    return interpret(result);
  }

  private RuleOutcome interpret(Object result) {
    if (Boolean.TRUE.equals(result)) {
      return ALLOW;
    }
    if (Boolean.FALSE.equals(result)) {
      return DENY;
    }
    return RuleFilters.fromResult(result)
        .<RuleOutcome>map(RuleOutcome.AllowWithFilter::new)
        .orElseGet(() -> {
          LOG.debug("rule {} denied: result is neither a bool nor {{'filter': {{...}}}}", fingerprint());
          return DENY;
        });
  }

  private String fingerprint() {
    return Integer.toHexString(expression.hashCode());
  }

  @Override
  public String toString() {
    return "CompiledRule[" + fingerprint() + "]";
  }
}
