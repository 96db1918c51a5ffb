package dev.lensgate.core.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RuleCompilerTest {
  private final RuleCompiler compiler = new RuleCompiler();

  @Test
  void compile_contractExampleWithMixedBranchTypes_compiles() throws Exception {
    CompiledRule rule = compiler.compile("has(claims.orgId) ? {'filter': {'orgId': claims.orgId}} : false");
    assertThat(rule.expression()).startsWith("has(claims.orgId)");
  }

  @Test
  void compile_nestedConditionalsOfThreeTypes_compiles() throws Exception {
    compiler.compile("claims.a == 1 ? (claims.b == 2 ? true : {'filter': {'x': 1}}) : false");
  }

  @Test
  void compile_syntaxError_reportsPositionAtEndOfInput() {
    assertThatThrownBy(() -> compiler.compile("claims.x +"))
        .isInstanceOfSatisfying(RuleCompileException.class, e -> {
          assertThat(e.line()).isEqualTo(1);
          assertThat(e.column()).isEqualTo(11);
          assertThat(e.detail()).contains("mismatched input");
          assertThat(e.getMessage()).startsWith("1:11: ");
        });
  }

  @Test
  void compile_typeErrorOnSecondLine_reportsLineAndColumnInsideExpression() {
    assertThatThrownBy(() -> compiler.compile("claims.x == 'a' &&\n  'b' + 1 == 'c'"))
        .isInstanceOfSatisfying(RuleCompileException.class, e -> {
          assertThat(e.line()).isEqualTo(2);
          assertThat(e.column()).isEqualTo(7);
          assertThat(e.detail()).contains("_+_");
        });
  }

  @Test
  void compile_undeclaredVariable_isRejected() {
    assertThatThrownBy(() -> compiler.compile("user.orgId == 'x'"))
        .isInstanceOfSatisfying(RuleCompileException.class, e -> {
          assertThat(e.detail()).contains("undeclared reference to 'user'");
          assertThat(e.line()).isEqualTo(1);
          assertThat(e.column()).isEqualTo(1);
        });
  }

  @Test
  void compile_typeErrorInsideConditionalBranch_isStillCaught() {
    // Widening the branches to dyn must not switch off checking inside them.
    assertThatThrownBy(() -> compiler.compile("true ? 1 + 'a' : false"))
        .isInstanceOfSatisfying(RuleCompileException.class, e -> assertThat(e.column()).isEqualTo(10));
  }

  @Test
  void compile_resultIsString_isRejected() {
    assertThatThrownBy(() -> compiler.compile("'yes'"))
        .isInstanceOfSatisfying(RuleCompileException.class,
            e -> assertThat(e.detail()).contains("must return a bool"));
  }

  @Test
  void compile_resultIsIntKeyedMap_isRejected() {
    assertThatThrownBy(() -> compiler.compile("{1: 2}")).isInstanceOf(RuleCompileException.class);
  }

  @Test
  void compile_emptyOrBlank_isRejected() {
    assertThatThrownBy(() -> compiler.compile("  ")).isInstanceOf(RuleCompileException.class);
  }

  @Test
  void compile_overLengthLimit_isRejected() {
    String tooLong = "true" + " && true".repeat(RuleCompiler.MAX_EXPRESSION_LENGTH / 8 + 1);
    assertThatThrownBy(() -> compiler.compile(tooLong))
        .isInstanceOfSatisfying(RuleCompileException.class, e -> assertThat(e.detail()).contains("limited"));
  }

  @Test
  void compile_deeplyNestedParentheses_isRejectedNotStackOverflow() {
    String deep = "(".repeat(500) + "true" + ")".repeat(500);
    assertThatThrownBy(() -> compiler.compile(deep)).isInstanceOf(RuleCompileException.class);
  }
}
