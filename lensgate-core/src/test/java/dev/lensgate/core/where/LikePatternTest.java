package dev.lensgate.core.where;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LikePatternTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "abc|abc|true", "abc|abd|false", "a%|abc|true", "%c|abc|true", "%b%|abc|true", "%|''|true",
      "_|''|false", "a_c|abc|true", "a_c|ac|false", "a\\%|a%|true", "a\\%|ab|false", "a\\_|a_|true",
      "a\\_|ab|false", "a\\\\b|a\\b|true", "\\a|a|true", "%a%a%a%a%b|aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa|false",
      "_|\ud83d\ude00|true", "__|\ud83d\ude00|false", "a!%|a!x|true", "a!|a!|true"})
  void matches_followsSqlLikeOverCodePoints(String pattern, String subject, boolean expected) {
    assertThat(LikePattern.parse(pattern).matches(subject, false)).as("%s LIKE %s", subject, pattern).isEqualTo(expected);
  }

  @Test
  void toSql_escapesLiteralsWithBang_andFoldsAsciiOnRequest() {
    assertThat(LikePattern.parse("50\\%!_x%").toSql(false)).isEqualTo("50!%!!_x%");
    assertThat(LikePattern.parse("A\\\\É_").toSql(true)).isEqualTo("a\\É_");
    assertThat(LikePattern.literal("a%_!\\", Filter.TextOp.CONTAINS).toSql(false)).isEqualTo("%a!%!_!!\\%");
    assertThat(LikePattern.literal("x", Filter.TextOp.STARTS_WITH).toSql(false)).isEqualTo("x%");
    assertThat(LikePattern.literal("x", Filter.TextOp.ENDS_WITH).toSql(false)).isEqualTo("%x");
  }

  @Test
  void parse_danglingEscape_isRejected() {
    assertThatThrownBy(() -> LikePattern.parse("abc\\")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @org.junit.jupiter.api.Timeout(60) // liveness guard: an exponential matcher would never finish
  void matches_pathologicalPattern_terminates() {
    String subject = "a".repeat(4096);
    LikePattern p = LikePattern.parse("%a".repeat(2000) + "%b");
    assertThat(p.matches(subject, false)).isFalse();
  }
}
