package dev.lensgate.core.rules;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelSourceLocation;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import java.util.Comparator;
import java.util.Objects;

/**
 * Compiles access-rule expressions (CEL) into reusable {@link CompiledRule}s.
 *
 * <p>The environment declares exactly one variable, {@code claims} ({@code map(string, dyn)}: the
 * verified user-token claims), and the standard CEL functions and macros. A rule must produce a
 * {@code bool} or a map {@code {'filter': {...}}}. Both branches of a conditional may have different
 * types (the config example {@code cond ? {'filter': ...} : false} is the common case): before type
 * checking, each branch of every {@code ?:} is wrapped in {@code dyn(...)}, which keeps the check for
 * everything else (undeclared names, wrong operand types) and the original source positions.
 *
 * <p>Limits: expression length, parser nesting depth and comprehension iterations per evaluation are
 * bounded, so a rule cannot hang a request; a rule that hits a limit evaluates to deny.
 *
 * <p>Thread-safe; build one and share it.
 */
public final class RuleCompiler {
  /** Longest accepted rule, in code points. */
  public static final int MAX_EXPRESSION_LENGTH = 4096;
  /** Total comprehension iterations one evaluation may spend (e.g. {@code all}, {@code map}). */
  public static final int MAX_ITERATIONS = 1000;
  private static final int MAX_PARSE_DEPTH = 64;
  private static final int MAX_REGEX_PROGRAM_SIZE = 1000;

  private final Cel cel;

  public RuleCompiler() {
    CelOptions options = CelOptions.current()
        .maxExpressionCodePointSize(MAX_EXPRESSION_LENGTH)
        .maxParseRecursionDepth(MAX_PARSE_DEPTH)
        .comprehensionMaxIterations(MAX_ITERATIONS)
        .maxRegexProgramSize(MAX_REGEX_PROGRAM_SIZE)
        .enableHeterogeneousNumericComparisons(true)
        .build();
    this.cel = CelFactory.standardCelBuilder()
        .setOptions(options)
        .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
        .addVar("claims", MapType.create(SimpleType.STRING, SimpleType.DYN))
        .setResultType(SimpleType.DYN)
        .build();
  }

  /**
   * Parses and type-checks {@code expression}.
   *
   * @throws RuleCompileException with the 1-based line and column inside the expression
   */
  public CompiledRule compile(String expression) throws RuleCompileException {
    Objects.requireNonNull(expression, "expression");
    if (expression.isBlank()) {
      throw new RuleCompileException(1, 1, "a rule must not be empty");
    }
    if (expression.codePointCount(0, expression.length()) > MAX_EXPRESSION_LENGTH) {
      throw new RuleCompileException(1, 1, "a rule is limited to " + MAX_EXPRESSION_LENGTH + " characters");
    }
    try {
      CelValidationResult parsed = cel.parse(expression);
      throwIfErrors(parsed);
      CelAbstractSyntaxTree relaxed = ConditionalBranchWidener.widen(parsed.getAst());
      CelValidationResult checked = cel.check(relaxed);
      throwIfErrors(checked);
      CelAbstractSyntaxTree ast = checked.getAst();
      requireUsableResultType(ast.getResultType());
      return new CompiledRule(expression, cel.createProgram(ast));
    } catch (CelValidationException | CelEvaluationException e) {
      throw new RuleCompileException(1, 1, "rule could not be compiled");
    } catch (RuntimeException e) {
      // Contain compiler defects: an odd expression must fail the push, not crash it.
      throw new RuleCompileException(1, 1, "rule could not be compiled");
    }
  }

  private static void throwIfErrors(CelValidationResult result) throws RuleCompileException {
    if (!result.hasError()) {
      return;
    }
    CelIssue first = result.getErrors().stream()
        .min(Comparator.comparing(CelIssue::getSourceLocation))
        .orElseThrow();
    CelSourceLocation loc = first.getSourceLocation();
    int line = loc.getLine() > 0 ? loc.getLine() : 1;
    // CEL reports 0-based columns; configs and editors count from 1.
    int column = loc.getColumn() >= 0 ? loc.getColumn() + 1 : 1;
    throw new RuleCompileException(line, column, first.getMessage());
  }

  private static void requireUsableResultType(CelType type) throws RuleCompileException {
    CelKind kind = type.kind();
    if (kind == CelKind.BOOL || kind == CelKind.DYN || kind == CelKind.ANY) {
      return;
    }
    if (kind == CelKind.MAP) {
      CelType key = ((MapType) type).keyType();
      if (key.kind() == CelKind.STRING || key.kind() == CelKind.DYN) {
        return;
      }
    }
    throw new RuleCompileException(1, 1,
        "a rule must return a bool or {'filter': {...}}, not " + type.name());
  }
}
