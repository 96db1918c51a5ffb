package dev.lensgate.core.index;

import java.math.BigDecimal;
import java.time.Instant;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.util.BytesRef;

/**
 * Order-preserving byte encodings of normalized values: for two values {@code a}, {@code b} of one
 * type, {@code compare(a, b)} (see {@link dev.lensgate.core.where.FieldValues#compare}) has the
 * sign of the unsigned byte-wise comparison of their encodings, and equal values (e.g.
 * {@code 1.5} and {@code 1.50}) have equal encodings. Lucene terms, points and sorted doc values
 * compare bytes this way, so filters become term/point ranges.
 *
 * <p>Strings need no encoding: UTF-8 byte order is code-point order. They only need to be
 * <em>indexable</em> ({@link #indexableString}): well-formed UTF-16 (Lucene would turn an unpaired
 * surrogate into U+FFFD and conflate values) and at most {@link IndexWriter#MAX_TERM_LENGTH} UTF-8
 * bytes. Other strings are kept verbatim as UTF-16 in {@link #utf16}.
 */
final class SortableBytes {
  /** Bytes of a {@link #instant} key: sortable epoch seconds (8) then nanos (4). */
  static final int INSTANT_BYTES = 12;
  /** Decimals with more significant digits than this are refused at indexing (no database sends them). */
  static final int MAX_DECIMAL_DIGITS = 16_000;

  private static final byte NEGATIVE = 0x40;
  private static final byte ZERO = (byte) 0x80;
  private static final byte POSITIVE = (byte) 0xC0;

  private SortableBytes() {}

  /**
   * A decimal as sign, decimal exponent and significant digits, so that numeric order is byte
   * order whatever the scale: {@code 0.d1d2…dn × 10^e} with {@code d1 ≠ 0} and no trailing zero
   * is written as {@code POSITIVE, e (8 bytes, sign bit flipped), d1+1 … dn+1, 0x00}; a negative
   * value is {@code NEGATIVE} and the complement of the same bytes for its absolute value (the
   * terminator makes the digit runs prefix-free, so complementing reverses their order); zero is
   * {@code ZERO} alone.
   *
   * @throws IllegalArgumentException past {@link #MAX_DECIMAL_DIGITS} significant digits
   */
  static BytesRef decimal(BigDecimal value) {
    if (value.signum() == 0) {
      return new BytesRef(new byte[] {ZERO});
    }
    // Not stripTrailingZeros(): it overflows for scales near Integer.MIN_VALUE.
    String all = value.unscaledValue().abs().toString();
    long exponent = (long) all.length() - value.scale();
    int significant = all.length();
    while (all.charAt(significant - 1) == '0') {
      significant--;
    }
    String digits = all.substring(0, significant);
    if (digits.length() > MAX_DECIMAL_DIGITS) {
      throw new IllegalArgumentException("decimal with more than " + MAX_DECIMAL_DIGITS + " significant digits");
    }
    byte[] out = new byte[1 + 8 + digits.length() + 1];
    boolean negative = value.signum() < 0;
    out[0] = negative ? NEGATIVE : POSITIVE;
    writeSortableLong(exponent, out, 1);
    for (int i = 0; i < digits.length(); i++) {
      out[9 + i] = (byte) (digits.charAt(i) - '0' + 1);
    }
    out[out.length - 1] = 0;
    if (negative) {
      for (int i = 1; i < out.length; i++) {
        out[i] = (byte) ~out[i];
      }
    }
    return new BytesRef(out);
  }

  /** An instant as 8 bytes of sortable epoch seconds and 4 bytes of nanos (exact for any Instant). */
  static byte[] instant(Instant value) {
    byte[] out = new byte[INSTANT_BYTES];
    writeSortableLong(value.getEpochSecond(), out, 0);
    int nanos = value.getNano();
    out[8] = (byte) (nanos >>> 24);
    out[9] = (byte) (nanos >>> 16);
    out[10] = (byte) (nanos >>> 8);
    out[11] = (byte) nanos;
    return out;
  }

  private static void writeSortableLong(long v, byte[] out, int at) {
    long s = v ^ Long.MIN_VALUE;
    for (int i = 0; i < 8; i++) {
      out[at + i] = (byte) (s >>> (56 - 8 * i));
    }
  }

  /** True if {@code s} can be a Lucene term / sorted doc value exactly (see class comment). */
  static boolean indexableString(String s) {
    return wellFormed(s) && utf8Length(s) <= IndexWriter.MAX_TERM_LENGTH;
  }

  /** True if {@code s} has no unpaired surrogate (so UTF-8 represents it exactly). */
  static boolean wellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  private static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  /**
   * Any string, char for char (two bytes each, big-endian), for values that cannot be terms. Not
   * through a charset: the JDK's UTF-16 encoder replaces unpaired surrogates.
   */
  static BytesRef utf16(String s) {
    byte[] out = new byte[2 * s.length()];
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      out[2 * i] = (byte) (c >>> 8);
      out[2 * i + 1] = (byte) c;
    }
    return new BytesRef(out);
  }

  static String fromUtf16(BytesRef bytes) {
    char[] chars = new char[bytes.length / 2];
    for (int i = 0; i < chars.length; i++) {
      int at = bytes.offset + 2 * i;
      chars[i] = (char) (((bytes.bytes[at] & 0xFF) << 8) | (bytes.bytes[at + 1] & 0xFF));
    }
    return new String(chars);
  }
}
