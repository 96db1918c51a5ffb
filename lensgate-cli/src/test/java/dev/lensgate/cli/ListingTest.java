package dev.lensgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ListingTest {
  private static String render(Listing listing) {
    StringWriter w = new StringWriter();
    listing.print(new PrintWriter(w));
    return w.toString();
  }

  @Test
  void print_alignsColumnsWithTwoSpacesAndNoHeader() {
    Listing l = new Listing();
    l.add("id1", "a", "x");
    l.add("longer-id", "bb", "y");

    assertThat(render(l).split("\\R")).containsExactly("id1        a   x", "longer-id  bb  y");
  }

  @Test
  void print_blankCellsAndWhitespace_keepOneTokenPerColumn() {
    Listing l = new Listing();
    l.add("id", "", null, "two words", "say \"hi\"");

    assertThat(render(l).strip()).isEqualTo("id  -  -  \"two words\"  \"say \\\"hi\\\"\"");
  }

  @Test
  void printable_replacesControlAndBidiCharacters() {
    assertThat(Listing.printable("a\u202Eb\u001b[2Jc\u200Bd")).isEqualTo("a?b?[2Jc?d");
    assertThat(Listing.printable("caf\u00e9 \u2026")).isEqualTo("caf\u00e9 \u2026");
  }

  @Test
  void print_cellsAreMadePrintable() {
    Listing l = new Listing();
    l.add("id", "evil\u202Ename");

    assertThat(render(l)).doesNotContain("\u202E").contains("evil?name");
  }
}
