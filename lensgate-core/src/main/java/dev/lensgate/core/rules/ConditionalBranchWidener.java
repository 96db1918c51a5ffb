package dev.lensgate.core.rules;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelMutableAst;
import dev.cel.common.ast.CelMutableExpr;
import dev.cel.common.ast.CelMutableExpr.CelMutableCall;
import dev.cel.common.ast.CelMutableExpr.CelMutableComprehension;
import dev.cel.common.ast.CelMutableExprConverter;
import java.util.List;

/**
 * Rewrites a parsed rule so both branches of every conditional are {@code dyn(...)}. CEL requires
 * the two branches of {@code ?:} to share a type, which would reject the natural rule form
 * {@code cond ? {'filter': {...}} : false}. New nodes get fresh ids above every existing id, and the
 * original source (id → position) is kept, so errors still point into the rule text.
 */
final class ConditionalBranchWidener {
  private static final String CONDITIONAL = "_?_:_";
  private static final String DYN = "dyn";

  private long nextId;

  private ConditionalBranchWidener(long maxId) {
    this.nextId = maxId;
  }

  static CelAbstractSyntaxTree widen(CelAbstractSyntaxTree parsed) {
    CelMutableExpr root = CelMutableAst.fromCelAst(parsed).expr();
    ConditionalBranchWidener widener = new ConditionalBranchWidener(maxId(root));
    widener.visit(root);
    return CelAbstractSyntaxTree.newParsedAst(CelMutableExprConverter.fromMutableExpr(root), parsed.getSource());
  }

  private void visit(CelMutableExpr expr) {
    for (CelMutableExpr child : children(expr)) {
      visit(child);
    }
    if (expr.getKind() == dev.cel.common.ast.CelExpr.ExprKind.Kind.CALL
        && CONDITIONAL.equals(expr.call().function())
        && expr.call().args().size() == 3) {
      CelMutableCall call = expr.call();
      for (int i = 1; i <= 2; i++) {
        call.setArg(i, CelMutableExpr.ofCall(++nextId, CelMutableCall.create(DYN, call.args().get(i))));
      }
    }
  }

  private static long maxId(CelMutableExpr expr) {
    long max = expr.id();
    for (CelMutableExpr child : children(expr)) {
      max = Math.max(max, maxId(child));
    }
    if (expr.getKind() == dev.cel.common.ast.CelExpr.ExprKind.Kind.MAP) {
      for (CelMutableExpr.CelMutableMap.Entry e : expr.map().entries()) {
        max = Math.max(max, e.id());
      }
    }
    if (expr.getKind() == dev.cel.common.ast.CelExpr.ExprKind.Kind.STRUCT) {
      for (CelMutableExpr.CelMutableStruct.Entry e : expr.struct().entries()) {
        max = Math.max(max, e.id());
      }
    }
    return max;
  }

  private static List<CelMutableExpr> children(CelMutableExpr expr) {
    switch (expr.getKind()) {
      case CALL: {
        CelMutableCall call = expr.call();
        List<CelMutableExpr> out = new java.util.ArrayList<>(call.args());
        call.target().ifPresent(out::add);
        return out;
      }
      case SELECT:
        return List.of(expr.select().operand());
      case LIST:
        return expr.list().elements();
      case MAP: {
        List<CelMutableExpr> out = new java.util.ArrayList<>();
        for (CelMutableExpr.CelMutableMap.Entry e : expr.map().entries()) {
          out.add(e.key());
          out.add(e.value());
        }
        return out;
      }
      case STRUCT: {
        List<CelMutableExpr> out = new java.util.ArrayList<>();
        for (CelMutableExpr.CelMutableStruct.Entry e : expr.struct().entries()) {
          out.add(e.value());
        }
        return out;
      }
      case COMPREHENSION: {
        CelMutableComprehension c = expr.comprehension();
        return List.of(c.iterRange(), c.accuInit(), c.loopCondition(), c.loopStep(), c.result());
      }
      default:
        return List.of();
    }
  }
}
