package dev.lensgate.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;

/** The encodings behind term and point ranges: byte order must be value order, exactly. */
class SortableBytesProperties {

  @Property(tries = 2000)
  void decimal_byteOrder_isNumericOrder(@ForAll long seed) {
    Random r = new Random(seed);
    BigDecimal a = decimal(r);
    BigDecimal b = r.nextInt(4) == 0 && Math.abs(a.scale()) < 100 ? a.setScale(a.scale() + r.nextInt(3)) : decimal(r);
    int expected = Integer.signum(a.compareTo(b));
    int actual = Integer.signum(SortableBytes.decimal(a).compareTo(SortableBytes.decimal(b)));
    assertThat(actual).as("%s vs %s", a.toString(), b.toString()).isEqualTo(expected);
    if (expected == 0) {
      assertThat(SortableBytes.decimal(a)).isEqualTo(SortableBytes.decimal(b));
    }
  }

  /** Digit strings that are prefixes of each other, both signs, around zero and at huge exponents. */
  private static BigDecimal decimal(Random r) {
    String[] digits = {"1", "12", "125", "13", "2", "9", "99", "999999999999999999999", "10", "100000000000000000001"};
    BigInteger unscaled = new BigInteger(digits[r.nextInt(digits.length)]);
    if (r.nextInt(10) == 0) {
      unscaled = BigInteger.ZERO;
    }
    if (r.nextBoolean()) {
      unscaled = unscaled.negate();
    }
    int scale = r.nextInt(7) - 3;
    if (r.nextInt(10) == 0) {
      scale = r.nextBoolean() ? Integer.MAX_VALUE - r.nextInt(3) : Integer.MIN_VALUE + r.nextInt(3);
    }
    return new BigDecimal(unscaled, scale);
  }

  @Property(tries = 1000)
  void instant_byteOrder_isChronological(@ForAll long seed) {
    Random r = new Random(seed);
    Instant a = instant(r);
    Instant b = r.nextInt(4) == 0 ? a : instant(r);
    int expected = Integer.signum(a.compareTo(b));
    int actual = Integer.signum(new BytesRef(SortableBytes.instant(a)).compareTo(new BytesRef(SortableBytes.instant(b))));
    assertThat(actual).as("%s vs %s", a, b).isEqualTo(expected);
  }

  private static Instant instant(Random r) {
    long[] seconds = {Instant.MIN.getEpochSecond(), -1, 0, 1, Instant.MAX.getEpochSecond(), 1_700_000_000L, -62_135_596_800L};
    return Instant.ofEpochSecond(seconds[r.nextInt(seconds.length)], r.nextInt(3) == 0 ? 999_999_999 : r.nextInt(3));
  }

  @Test
  void decimal_equalValuesOfAnyScale_encodeEqually() {
    assertThat(SortableBytes.decimal(new BigDecimal("1.5"))).isEqualTo(SortableBytes.decimal(new BigDecimal("1.50000")));
    assertThat(SortableBytes.decimal(new BigDecimal("1E+3"))).isEqualTo(SortableBytes.decimal(new BigDecimal("1000.0")));
    assertThat(SortableBytes.decimal(new BigDecimal("-0.00"))).isEqualTo(SortableBytes.decimal(BigDecimal.ZERO));
  }

  @Test
  void decimal_tooManyDigits_isRefused() {
    BigDecimal huge = new BigDecimal("1".repeat(SortableBytes.MAX_DECIMAL_DIGITS + 1));
    assertThatThrownBy(() -> SortableBytes.decimal(huge)).isInstanceOf(IllegalArgumentException.class);
    assertThat(SortableBytes.decimal(new BigDecimal("1".repeat(SortableBytes.MAX_DECIMAL_DIGITS))).length)
        .isLessThanOrEqualTo(org.apache.lucene.index.IndexWriter.MAX_TERM_LENGTH);
  }

  @Test
  void indexableString_refusesUnpairedSurrogates_andOverlongTerms() {
    assertThat(SortableBytes.indexableString("")).isTrue();
    assertThat(SortableBytes.indexableString("😀\u0000")).isTrue();
    assertThat(SortableBytes.indexableString("a\uD800")).isFalse();
    assertThat(SortableBytes.indexableString("\uDC00a")).isFalse();
    assertThat(SortableBytes.indexableString("a".repeat(32766))).isTrue();
    assertThat(SortableBytes.indexableString("a".repeat(32767))).isFalse();
    assertThat(SortableBytes.indexableString("日".repeat(10922))).isTrue(); // 32766 bytes
    assertThat(SortableBytes.indexableString("日".repeat(10923))).isFalse();
  }

  @Test
  void utf16_roundTripsEveryChar() {
    String s = "a\uD800😀\uDC00日\u0000";
    assertThat(SortableBytes.fromUtf16(SortableBytes.utf16(s))).isEqualTo(s);
  }
}
