package dev.lensgate.core.config;

import dev.lensgate.core.auth.Operation;
import dev.lensgate.core.rules.CompiledRule;
import dev.lensgate.core.rules.RuleCompileException;
import dev.lensgate.core.rules.RuleCompiler;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads {@code grants} mappings (operation → grant) in both places they may appear. Rules are
 * compiled here, so a config with a bad rule never loads; the error points into the rule.
 */
final class GrantReader {
  static final Set<String> OPERATIONS = Set.of("search", "similar", "query", "subscribe");
  private static final Set<String> OBJECT_KEYS = Set.of("authenticated", "claims", "rule");
  private static final int MAX_CLAIM_VALUES = 100;

  /** A grant with the node it was read from, for conflict and warning positions. */
  record Located(Grant grant, Node keyNode, String path) {}

  private final Problems problems;
  private final RuleCompiler rules;
  private final RulePositions positions;

  GrantReader(Problems problems, RuleCompiler rules, RulePositions positions) {
    this.problems = problems;
    this.rules = rules;
    this.positions = positions;
  }

  /** Reads {@code op: grant} pairs; invalid ones are reported and left out. */
  Map<Operation, Located> readOperations(Node node, String path) {
    Map<Operation, Located> out = new EnumMap<>(Operation.class);
    Optional<YamlMap> map = YamlMap.read(node, path, problems, "grants");
    if (map.isEmpty()) {
      return out;
    }
    for (YamlMap.Entry e : map.get().entries()) {
      if (e.key().equals("ingest")) {
        problems.error(e.keyNode(), e.path(),
            "ingest is not granted per lens: only ik_ and sk_ keys may ingest");
        continue;
      }
      if (!OPERATIONS.contains(e.key())) {
        problems.error(e.keyNode(), e.path(), "unknown operation '" + e.key() + "'"
            + Suggest.closest(e.key(), OPERATIONS).map(s -> "; did you mean '" + s + "'?").orElse("")
            + " (operations: search, similar, query, subscribe)");
        continue;
      }
      Operation op = Operation.fromWire(e.key()).orElseThrow();
      read(e.value(), e.path()).ifPresent(g -> out.put(op, new Located(g, e.keyNode(), e.path())));
    }
    return out;
  }

  Optional<Grant> read(Node node, String path) {
    if (node instanceof ScalarNode && !YamlScalars.isNull(node)) {
      String v = ((ScalarNode) node).getValue();
      if (v.equals("public")) {
        return Optional.of(Grant.PUBLIC);
      }
      if (v.equals("authenticated")) {
        return Optional.of(Grant.Authenticated.anyUser());
      }
      problems.error(node, path, "unknown grant '" + v + "': use public, authenticated, or {authenticated, claims, rule}");
      return Optional.empty();
    }
    Optional<YamlMap> read = YamlMap.read(node, path, problems, "a grant: public, authenticated or {authenticated, claims, rule}");
    if (read.isEmpty()) {
      return Optional.empty();
    }
    YamlMap map = read.get().allowOnly(OBJECT_KEYS);
    if (!map.has("authenticated") && !map.has("claims") && !map.has("rule")) {
      problems.error(node, path, "an empty grant allows nothing: use public, authenticated, or {authenticated, claims, rule}");
      return Optional.empty();
    }
    boolean ok = true;
    Optional<Boolean> authenticated = map.optionalBoolean("authenticated");
    if (authenticated.isPresent() && !authenticated.get()) {
      problems.error(map.entry("authenticated").get().value(), map.childPath("authenticated"),
          "a grant object always requires a user token; for anyone, write 'public'");
      ok = false;
    }
    Map<String, List<Object>> claims = new LinkedHashMap<>();
    if (map.has("claims")) {
      ok &= readClaims(map.entry("claims").get(), claims);
    }
    Optional<CompiledRule> rule = Optional.empty();
    if (map.has("rule")) {
      YamlMap.Entry e = map.entry("rule").get();
      Optional<CompiledRule> compiled = compile(e);
      ok &= compiled.isPresent();
      rule = compiled;
    }
    return ok ? Optional.of(new Grant.Authenticated(claims, rule)) : Optional.empty();
  }

  private boolean readClaims(YamlMap.Entry entry, Map<String, List<Object>> out) {
    Optional<YamlMap> read = YamlMap.read(entry.value(), entry.path(), problems, "claim name → value or list of values");
    if (read.isEmpty()) {
      return false;
    }
    if (read.get().entries().isEmpty()) {
      problems.error(entry.value(), entry.path(), "list at least one claim, or remove 'claims'");
      return false;
    }
    boolean ok = true;
    for (YamlMap.Entry c : read.get().entries()) {
      List<Object> values = new ArrayList<>();
      if (c.value() instanceof SequenceNode) {
        List<Node> items = ((SequenceNode) c.value()).getValue();
        if (items.isEmpty() || items.size() > MAX_CLAIM_VALUES) {
          problems.error(c.value(), c.path(), "list between 1 and " + MAX_CLAIM_VALUES + " accepted values");
          ok = false;
          continue;
        }
        for (int i = 0; i < items.size(); i++) {
          Optional<Object> v = YamlScalars.value(items.get(i), c.path() + "[" + i + "]", problems);
          if (v.isPresent()) {
            values.add(v.get());
          } else {
            ok = false;
          }
        }
      } else {
        Optional<Object> v = YamlScalars.value(c.value(), c.path(), problems);
        if (v.isEmpty()) {
          ok = false;
          continue;
        }
        values.add(v.get());
      }
      out.put(c.key(), values);
    }
    return ok;
  }

  private Optional<CompiledRule> compile(YamlMap.Entry e) {
    Optional<String> text = YamlScalars.string(e.value(), e.path(), problems);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(rules.compile(text.get()));
    } catch (RuleCompileException ex) {
      int[] at = positions.locate((ScalarNode) e.value(), ex.line(), ex.column());
      problems.errorAt(at[0], at[1], e.path(), "rule does not compile at " + ex.line() + ":" + ex.column()
          + " of the rule: " + ex.detail());
      return Optional.empty();
    }
  }
}
