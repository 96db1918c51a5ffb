package dev.lensgate.core.plan;

import static dev.lensgate.core.plan.PlanFixtures.ENV;
import static dev.lensgate.core.plan.PlanFixtures.KEY;
import static dev.lensgate.core.plan.PlanFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.lens.FieldType;
import dev.lensgate.core.lens.LensField;
import dev.lensgate.core.lens.LensSchema;
import dev.lensgate.core.where.Filter;
import dev.lensgate.core.where.SampleTable;
import dev.lensgate.core.where.WhereParser;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class CursorCodecTest {
  private static final String B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  private final CursorCodec codec = new CursorCodec(KEY);
  private final ReadPlanner planner = new ReadPlanner(codec);

  private ReadSpec spec(String body) {
    return planner.plan(QueryRequest.parse(json(body), SampleTable.LENS), Optional.empty(), SampleTable.LENS, ENV);
  }

  private static final String QUERY = "{\"where\":{\"qty\":{\"$gt\":1}},"
      + "\"orderBy\":[{\"field\":\"label\",\"dir\":\"desc\"},{\"field\":\"seenAt\"},{\"field\":\"price\"},"
      + "{\"field\":\"day\"},{\"field\":\"active\"}],\"limit\":5}";

  private KeysetPosition position() {
    return new KeysetPosition(Arrays.asList("Zoë \"'\\;--", Instant.parse("2024-02-29T12:00:00.123456Z"),
        new BigDecimal("1.50"), null, Boolean.TRUE, 42L));
  }

  private String validCursor() {
    return codec.encode(ENV, spec(QUERY), position());
  }

  private static void assertInvalidCursor(ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOf(LensgateException.class)
        .satisfies(e -> assertThat(((LensgateException) e).code()).isEqualTo(ErrorCode.INVALID_CURSOR))
        .hasMessage("invalid cursor");
  }

  @Test
  void decode_ofEncodedCursor_returnsSamePositionWithTypes() {
    ReadSpec spec = spec(QUERY);
    KeysetPosition decoded = codec.decode(validCursor(), ENV, spec, SampleTable.LENS);
    assertThat(decoded).isEqualTo(position());
  }

  @Test
  void plan_withValidCursor_setsKeysetPosition() {
    ReadSpec spec = spec(QUERY.replace("\"limit\":5", "\"limit\":5,\"cursor\":\"" + validCursor() + "\""));
    assertThat(spec.after()).contains(position());
  }

  @Test
  void encode_isOpaqueBase64UrlWithoutPadding() {
    String c = validCursor();
    assertThat(c).matches("[A-Za-z0-9_-]+");
    assertThat(c).doesNotContain("Zo").doesNotContain("1.50");
  }

  @Test
  void decode_withEveryCharacterReplaced_isInvalidCursor() {
    ReadSpec spec = spec(QUERY);
    String c = validCursor();
    for (int i = 0; i < c.length(); i++) {
      for (char replacement : new char[] {next(c.charAt(i)), '=', '.', '+', '/', '\u00e9'}) {
        String edited = c.substring(0, i) + replacement + c.substring(i + 1);
        assertInvalidCursor(() -> codec.decode(edited, ENV, spec, SampleTable.LENS));
      }
    }
  }

  @Test
  void decode_withEveryBitOfTheTokenFlipped_isInvalidCursor() {
    ReadSpec spec = spec(QUERY);
    byte[] token = java.util.Base64.getUrlDecoder().decode(validCursor());
    for (int i = 0; i < token.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] t = token.clone();
        t[i] ^= (byte) (1 << bit);
        String edited = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(t);
        assertInvalidCursor(() -> codec.decode(edited, ENV, spec, SampleTable.LENS));
      }
    }
  }

  @Test
  void decode_truncatedOrExtended_isInvalidCursor() {
    ReadSpec spec = spec(QUERY);
    String c = validCursor();
    for (int len = 0; len < c.length(); len++) {
      String truncated = c.substring(0, len);
      assertInvalidCursor(() -> codec.decode(truncated, ENV, spec, SampleTable.LENS));
    }
    for (String suffix : new String[] {"A", "AA", "AAAA", "=", "==", " ", "\n"}) {
      assertInvalidCursor(() -> codec.decode(c + suffix, ENV, spec, SampleTable.LENS));
    }
    assertInvalidCursor(() -> codec.decode(" " + c, ENV, spec, SampleTable.LENS));
  }

  @Test
  void decode_garbageAndOversized_isInvalidCursor() {
    ReadSpec spec = spec(QUERY);
    for (String garbage : new String[] {"", "x", "null", "{}", "AAAA", "%%%", "' OR 1=1 --", "\u0000"}) {
      assertInvalidCursor(() -> codec.decode(garbage, ENV, spec, SampleTable.LENS));
    }
    String huge = "A".repeat(CursorCodec.MAX_CURSOR_CHARS + 1);
    assertInvalidCursor(() -> codec.decode(huge, ENV, spec, SampleTable.LENS));
  }

  @Test
  void decode_inAnotherEnvironment_isInvalidCursor() {
    String c = validCursor();
    assertInvalidCursor(() -> codec.decode(c, "env_other", spec(QUERY), SampleTable.LENS));
  }

  @Test
  void decode_withAnotherWhere_isInvalidCursor() {
    String c = validCursor();
    ReadSpec other = spec(QUERY.replace("{\"$gt\":1}", "{\"$gt\":2}"));
    assertInvalidCursor(() -> codec.decode(c, ENV, other, SampleTable.LENS));
    ReadSpec noWhere = spec(QUERY.replace("\"where\":{\"qty\":{\"$gt\":1}},", ""));
    assertInvalidCursor(() -> codec.decode(c, ENV, noWhere, SampleTable.LENS));
  }

  @Test
  void decode_withAnotherOrderBy_isInvalidCursor() {
    String c = validCursor();
    ReadSpec flipped = spec(QUERY.replace("\"dir\":\"desc\"", "\"dir\":\"asc\""));
    assertInvalidCursor(() -> codec.decode(c, ENV, flipped, SampleTable.LENS));
  }

  @Test
  void decode_withAnotherRuleFilter_isInvalidCursor() {
    String c = validCursor();
    Filter rule = WhereParser.parse(json("{\"label\":\"acme\"}"), SampleTable.LENS);
    ReadSpec ruled = planner.plan(QueryRequest.parse(json(QUERY), SampleTable.LENS), Optional.of(rule),
        SampleTable.LENS, ENV);
    assertInvalidCursor(() -> codec.decode(c, ENV, ruled, SampleTable.LENS));
  }

  @Test
  void decode_withAnotherLens_isInvalidCursor() {
    String c = validCursor();
    LensSchema twin = new LensSchema("items_copy", null, "Items", "id",
        List.copyOf(SampleTable.LENS.fields().values()));
    ReadSpec other = planner.plan(QueryRequest.parse(json(QUERY), twin), Optional.empty(), twin, ENV);
    assertInvalidCursor(() -> codec.decode(c, ENV, other, twin));
  }

  @Test
  void decode_withAnotherKey_isInvalidCursor() {
    String c = validCursor();
    byte[] otherKey = KEY.clone();
    otherKey[0] ^= 1;
    assertInvalidCursor(() -> new CursorCodec(otherKey).decode(c, ENV, spec(QUERY), SampleTable.LENS));
  }

  @Test
  void plan_withCursorFromAnotherQuery_isInvalidCursor() {
    String c = codec.encode(ENV, spec("{\"orderBy\":{\"field\":\"qty\"}}"), new KeysetPosition(Arrays.asList(1L, 2L)));
    assertInvalidCursor(() -> spec("{\"orderBy\":{\"field\":\"price\"},\"cursor\":\"" + c + "\"}"));
  }

  @Test
  void plan_withCursorAndOffset_isInvalidRequest() {
    assertThatThrownBy(() -> spec("{\"offset\":1,\"cursor\":\"" + validCursor() + "\"}"))
        .isInstanceOf(LensgateException.class)
        .satisfies(e -> assertThat(((LensgateException) e).code()).isEqualTo(ErrorCode.INVALID_REQUEST));
  }

  @Test
  void decode_whereTypesNoLongerMatchTheLens_isInvalidCursor() {
    // Same names, but "qty" is now a date: a validly signed payload still must parse as the field type.
    LensSchema retyped = new LensSchema("items", null, "Items", "id", List.of(
        new LensField("id", "id", FieldType.INTEGER), new LensField("qty", "qty", FieldType.DATE)));
    ReadSpec original = planner.plan(QueryRequest.parse(json("{\"orderBy\":{\"field\":\"qty\"}}"), SampleTable.LENS),
        Optional.empty(), SampleTable.LENS, ENV);
    String c = codec.encode(ENV, original, new KeysetPosition(Arrays.asList(5L, 1L)));
    ReadSpec retypedSpec = planner.plan(QueryRequest.parse(json("{\"orderBy\":{\"field\":\"qty\"}}"), retyped),
        Optional.empty(), retyped, ENV);
    assertThat(retypedSpec.queryFingerprint()).isEqualTo(original.queryFingerprint());
    assertInvalidCursor(() -> codec.decode(c, ENV, retypedSpec, retyped));
    assertThat(codec.decode(codec.encode(ENV, retypedSpec, new KeysetPosition(Arrays.asList(LocalDate.of(2024, 1, 1), 1L))),
        ENV, retypedSpec, retyped).values()).containsExactly(LocalDate.of(2024, 1, 1), 1L);
  }

  @Test
  void constructor_withShortKey_isRejected() {
    assertThatThrownBy(() -> new CursorCodec(new byte[31])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void constructor_copiesKey_andToStringHidesIt() {
    byte[] key = KEY.clone();
    CursorCodec c = new CursorCodec(key);
    String cursor = c.encode(ENV, spec(QUERY), position());
    Arrays.fill(key, (byte) 0);
    assertThat(c.decode(cursor, ENV, spec(QUERY), SampleTable.LENS)).isEqualTo(position());
    assertThat(c.toString()).doesNotContain("0123456789abcdef");
  }

  private static char next(char c) {
    int i = B64URL.indexOf(c);
    return B64URL.charAt((i + 1) % B64URL.length());
  }
}
