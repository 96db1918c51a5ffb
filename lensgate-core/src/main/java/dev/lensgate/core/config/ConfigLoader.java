package dev.lensgate.core.config;

import dev.lensgate.core.rules.RuleCompiler;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Loads and validates {@code lensgate.yaml}.
 *
 * <p>The file is composed to YAML nodes (never bound to Java objects), so every problem carries its
 * file, line, column and field path, and every problem in the file is reported, not just the
 * first. Unknown and duplicate keys are errors (typo safety). Rules are compiled here, so a
 * config that loads has no bad rule. Warnings name every implicitly public operation.
 *
 * <p>Thread-safe; all methods are static and share one immutable {@link RuleCompiler}.
 */
public final class ConfigLoader {
  /** Largest config accepted, in characters. */
  public static final int MAX_CONFIG_CHARS = 1024 * 1024;
  private static final int MAX_ALIASES = 20;
  private static final int MAX_DEPTH = 40;
  private static final Set<Tag> STANDARD_TAGS = Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.MAP, Tag.SEQ);

  private ConfigLoader() {}

  /** Reads and validates a config file; a file that cannot be read is reported as an error. */
  public static ConfigResult load(Path path) {
    String name = path.toString();
    String text;
    try {
      if (Files.size(path) > MAX_CONFIG_CHARS * 4L) {
        return failure(name, "the config is larger than " + MAX_CONFIG_CHARS + " characters");
      }
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      return failure(name, "the config is not valid UTF-8");
    } catch (IOException e) {
      return failure(name, "cannot read the config: " + e.getClass().getSimpleName());
    }
    Path dir = path.toAbsolutePath().getParent();
    return parse(text, name, dir);
  }

  /**
   * Validates config text.
   *
   * @param fileName used in problems; its directory (if any) resolves a relative {@code jwksFile}
   */
  public static ConfigResult parse(String text, String fileName) {
    Path parent = null;
    try {
      parent = Path.of(fileName).toAbsolutePath().getParent();
    } catch (RuntimeException e) {
      // A display name that is not a path: relative paths stay relative.
    }
    return parse(text, fileName, parent);
  }

  private static ConfigResult parse(String text, String fileName, Path baseDir) {
    if (text.length() > MAX_CONFIG_CHARS) {
      return failure(fileName, "the config is larger than " + MAX_CONFIG_CHARS + " characters");
    }
    Problems problems = new Problems(fileName);
    Optional<Node> root = compose(text, fileName, problems);
    if (root.isEmpty()) {
      if (!problems.hasErrors()) {
        problems.errorAt(1, 1, "", "the config is empty: it needs at least 'stack: " + LensgateConfig.STACK_V1 + "'");
      }
      return new ConfigResult(Optional.empty(), problems.errors(), problems.warnings());
    }
    if (!checkTagsAndDepth(root.get(), problems)) {
      return new ConfigResult(Optional.empty(), problems.errors(), problems.warnings());
    }
    Optional<LensgateConfig> config = new ConfigReader(problems, Holder.RULES, new RulePositions(text), baseDir)
        .read(root.get());
    return new ConfigResult(problems.hasErrors() ? Optional.empty() : config, problems.errors(), problems.warnings());
  }

  private static Optional<Node> compose(String text, String fileName, Problems problems) {
    LoadSettings settings = LoadSettings.builder()
        .setLabel(fileName)
        .setMaxAliasesForCollections(MAX_ALIASES)
        .setAllowRecursiveKeys(false)
        .setCodePointLimit(MAX_CONFIG_CHARS * 2)
        .build();
    try {
      Iterator<Node> docs = new Compose(settings).composeAllFromString(text).iterator();
      if (!docs.hasNext()) {
        return Optional.empty();
      }
      Node first = docs.next();
      if (docs.hasNext()) {
        Node second = docs.next();
        problems.error(second, "", "the config must be a single YAML document");
        return Optional.empty();
      }
      return Optional.ofNullable(first);
    } catch (MarkedYamlEngineException e) {
      Optional<Mark> mark = e.getProblemMark().or(e::getContextMark);
      problems.errorAt(mark.map(m -> m.getLine() + 1).orElse(1), mark.map(m -> m.getColumn() + 1).orElse(1), "",
          "invalid YAML: " + (e.getProblem() == null ? "syntax error" : e.getProblem()));
      return Optional.empty();
    } catch (YamlEngineException e) {
      problems.errorAt(1, 1, "", "invalid YAML: " + e.getMessage());
      return Optional.empty();
    }
  }

  /** Custom tags would smuggle in types we never read; deep nesting only serves denial of service. */
  private static boolean checkTagsAndDepth(Node root, Problems problems) {
    boolean ok = true;
    Deque<Object[]> stack = new ArrayDeque<>();
    stack.push(new Object[] {root, 0});
    while (!stack.isEmpty()) {
      Object[] item = stack.pop();
      Node n = (Node) item[0];
      int depth = (Integer) item[1];
      if (depth > MAX_DEPTH) {
        problems.error(n, "", "the config is nested too deeply");
        return false;
      }
      if (!STANDARD_TAGS.contains(n.getTag())) {
        problems.error(n, "", "custom YAML tags are not supported (" + n.getTag().getValue() + ")");
        ok = false;
      }
      if (n instanceof MappingNode) {
        for (NodeTuple t : ((MappingNode) n).getValue()) {
          stack.push(new Object[] {t.getKeyNode(), depth + 1});
          stack.push(new Object[] {t.getValueNode(), depth + 1});
        }
      } else if (n instanceof SequenceNode) {
        for (Node child : ((SequenceNode) n).getValue()) {
          stack.push(new Object[] {child, depth + 1});
        }
      }
    }
    return ok;
  }

  private static ConfigResult failure(String file, String message) {
    return new ConfigResult(Optional.empty(), java.util.List.of(new Problem(file, 1, 1, "", message)), java.util.List.of());
  }

  /** Lazily built: compiling the CEL environment costs a few hundred milliseconds once. */
  private static final class Holder {
    static final RuleCompiler RULES = new RuleCompiler();
  }
}
