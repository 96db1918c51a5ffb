package dev.lensgate.core.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.Node;

/** Collects errors and warnings for one file; positions come from YAML marks (0-based → 1-based). */
final class Problems {
  private static final Comparator<Problem> FILE_ORDER =
      Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column);

  private final String file;
  private final List<Problem> errors = new ArrayList<>();
  private final List<Problem> warnings = new ArrayList<>();

  Problems(String file) {
    this.file = file;
  }

  void error(Node at, String path, String message) {
    errors.add(problem(at, path, message));
  }

  void errorAt(int line, int column, String path, String message) {
    errors.add(new Problem(file, line, column, path, message));
  }

  void warn(Node at, String path, String message) {
    warnings.add(problem(at, path, message));
  }

  boolean hasErrors() {
    return !errors.isEmpty();
  }

  List<Problem> errors() {
    List<Problem> out = new ArrayList<>(errors);
    out.sort(FILE_ORDER);
    return out;
  }

  List<Problem> warnings() {
    List<Problem> out = new ArrayList<>(warnings);
    out.sort(FILE_ORDER);
    return out;
  }

  private Problem problem(Node at, String path, String message) {
    int line = 1;
    int column = 1;
    if (at != null && at.getStartMark().isPresent()) {
      Mark m = at.getStartMark().get();
      line = m.getLine() + 1;
      column = m.getColumn() + 1;
    }
    return new Problem(file, line, column, path, message);
  }

  static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }
}
