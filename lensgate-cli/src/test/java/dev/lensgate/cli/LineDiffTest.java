package dev.lensgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LineDiffTest {
  @Test
  void lines_finalBreakAndCrlf_areNotExtraLines() {
    assertThat(LineDiff.lines("")).isEmpty();
    assertThat(LineDiff.lines("a")).containsExactly("a");
    assertThat(LineDiff.lines("a\n")).containsExactly("a");
    assertThat(LineDiff.lines("a\r\nb\r\n")).containsExactly("a", "b");
    assertThat(LineDiff.lines("a\n\n")).containsExactly("a", "");
  }

  @Test
  void unified_equal_isEmpty() {
    assertThat(LineDiff.unified(List.of("a", "b"), List.of("a", "b"), 3)).isEmpty();
  }

  @Test
  void unified_oneChangedLine_showsContextAndHeader() {
    List<String> before = List.of("1", "2", "3", "4", "5", "6", "7", "8", "9");
    List<String> after = List.of("1", "2", "3", "4", "five", "6", "7", "8", "9");

    assertThat(LineDiff.unified(before, after, 2))
        .containsExactly("@@ -3,5 +3,5 @@", " 3", " 4", "-5", "+five", " 6", " 7");
  }

  @Test
  void unified_insertionAndDeletionAtEdges() {
    assertThat(LineDiff.unified(List.of(), List.of("a", "b"), 3)).containsExactly("@@ -0,0 +1,2 @@", "+a", "+b");
    assertThat(LineDiff.unified(List.of("a", "b"), List.of(), 3)).containsExactly("@@ -1,2 +0,0 @@", "-a", "-b");
    assertThat(LineDiff.unified(List.of("a"), List.of("a", "b"), 0)).containsExactly("@@ -1,0 +2,1 @@", "+b");
    assertThat(LineDiff.unified(List.of("a", "b"), List.of("b"), 0)).containsExactly("@@ -1,1 +0,0 @@", "-a");
  }

  @Test
  void unified_distantChanges_areSeparateHunks_closeOnesMerge() {
    List<String> before = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      before.add("l" + i);
    }
    List<String> far = new ArrayList<>(before);
    far.set(1, "x");
    far.set(17, "y");
    List<String> near = new ArrayList<>(before);
    near.set(1, "x");
    near.set(4, "y");

    assertThat(LineDiff.unified(before, far, 2)).filteredOn(l -> l.startsWith("@@")).hasSize(2);
    assertThat(LineDiff.unified(before, near, 2)).filteredOn(l -> l.startsWith("@@")).hasSize(1);
  }

  @Test
  void unified_randomEdits_applyBackToTheNewText() {
    Random random = new Random(42);
    for (int round = 0; round < 300; round++) {
      List<String> before = randomLines(random);
      List<String> after = randomLines(random);
      List<String> diff = LineDiff.unified(before, after, random.nextInt(4));
      assertThat(apply(before, diff)).as("round %d", round).isEqualTo(after);
    }
  }

  @Test
  void unified_overTheTableBound_isStillACorrectDiff() {
    List<String> before = new ArrayList<>();
    List<String> after = new ArrayList<>();
    for (int i = 0; i < 2100; i++) {
      before.add("a" + i);
      after.add("b" + i);
    }
    assertThat((long) 2101 * 2101).isGreaterThan(LineDiff.MAX_CELLS);

    assertThat(apply(before, LineDiff.unified(before, after, 3))).isEqualTo(after);
  }

  private static List<String> randomLines(Random random) {
    List<String> lines = new ArrayList<>();
    int n = random.nextInt(12);
    for (int i = 0; i < n; i++) {
      lines.add(String.valueOf((char) ('a' + random.nextInt(4))));
    }
    return lines;
  }

  /** Applies a unified diff to {@code before}, checking every context and removed line matches. */
  private static List<String> apply(List<String> before, List<String> diff) {
    List<String> out = new ArrayList<>();
    int next = 0;
    for (String line : diff) {
      if (line.startsWith("@@")) {
        String[] parts = line.split(" ");
        String[] old = parts[1].substring(1).split(",");
        int start = Integer.parseInt(old[0]);
        int count = Integer.parseInt(old[1]);
        int firstIndex = count == 0 ? start : start - 1;
        while (next < firstIndex) {
          out.add(before.get(next++));
        }
        continue;
      }
      char op = line.charAt(0);
      String text = line.substring(1);
      if (op == '+') {
        out.add(text);
      } else {
        assertThat(before.get(next)).isEqualTo(text);
        next++;
        if (op == ' ') {
          out.add(text);
        }
      }
    }
    while (next < before.size()) {
      out.add(before.get(next++));
    }
    return out;
  }
}
