package dev.lensgate.server.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClientFramesTest {
  private final ClientFrames frames = new ClientFrames();

  @Test
  void parse_subscribe_withAndWithoutWhere() {
    ClientFrame f = frames.parse("{\"op\":\"subscribe\",\"id\":\"s1\",\"lens\":\"products\",\"where\":{\"category\":\"a\"}}");
    assertThat(f).isInstanceOf(ClientFrame.Subscribe.class);
    ClientFrame.Subscribe s = (ClientFrame.Subscribe) f;
    assertThat(s.id()).isEqualTo("s1");
    assertThat(s.lens()).isEqualTo("products");
    assertThat(s.where()).hasValueSatisfying(w -> assertThat(w.path("category").asText()).isEqualTo("a"));
    ClientFrame.Subscribe bare = (ClientFrame.Subscribe) frames.parse("{\"op\":\"subscribe\",\"id\":\"s2\",\"lens\":\"p\",\"where\":null}");
    assertThat(bare.where()).isEmpty();
  }

  @Test
  void parse_observe_acceptsStringOrIntegerRecordId() {
    assertThat(((ClientFrame.Observe) frames.parse("{\"op\":\"observe\",\"id\":\"o\",\"lens\":\"p\",\"recordId\":\"7\"}")).recordId())
        .isEqualTo("7");
    assertThat(((ClientFrame.Observe) frames.parse("{\"op\":\"observe\",\"id\":\"o\",\"lens\":\"p\",\"recordId\":42}")).recordId())
        .isEqualTo("42");
  }

  @Test
  void parse_unsubscribe() {
    assertThat(frames.parse("{\"op\":\"unsubscribe\",\"id\":\"x\"}")).isEqualTo(new ClientFrame.Unsubscribe("x"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"{", "not json", "{\"op\":", "\u0000", "[1,2"})
  void parse_notJson_isInvalidJson(String text) {
    assertRejected(text, "invalid_json", Optional.empty());
  }

  @ParameterizedTest
  @ValueSource(strings = {"[]", "42", "\"subscribe\"", "null", "{}", 
      "{\"op\":\"subscribe\",\"lens\":\"p\"}", "{\"op\":\"subscribe\",\"id\":\"\",\"lens\":\"p\"}",
      "{\"op\":\"subscribe\",\"id\":5,\"lens\":\"p\"}", "{\"op\":\"unsubscribe\"}"})
  void parse_wrongShape_isInvalidRequest(String text) {
    assertRejected(text, "invalid_request", Optional.empty());
  }

  @Test
  void parse_badFieldsOfAFrameWithAnId_nameTheId() {
    assertRejected("{\"op\":\"subscribe\",\"id\":\"a\"}", "invalid_request", Optional.of("a"));
    assertRejected("{\"op\":7,\"id\":\"a\"}", "invalid_request", Optional.of("a"));
    assertRejected("{\"op\":\"subscribe\",\"id\":\"a\",\"lens\":\"\"}", "invalid_request", Optional.of("a"));
    assertRejected("{\"op\":\"subscribe\",\"id\":\"a\",\"lens\":\"p\",\"where\":[1]}", "invalid_request", Optional.of("a"));
    assertRejected("{\"op\":\"subscribe\",\"id\":\"a\",\"lens\":\"p\",\"extra\":1}", "invalid_request", Optional.of("a"));
    assertRejected("{\"op\":\"observe\",\"id\":\"a\",\"lens\":\"p\"}", "invalid_request", Optional.of("a"));
    assertRejected("{\"op\":\"observe\",\"id\":\"a\",\"lens\":\"p\",\"recordId\":1.5}", "invalid_request", Optional.of("a"));
    assertRejected("{\"op\":\"observe\",\"id\":\"a\",\"lens\":\"p\",\"recordId\":\"\"}", "invalid_request", Optional.of("a"));
  }

  @Test
  void parse_idBoundaries() {
    String max = "i".repeat(ClientFrames.MAX_ID_CHARS);
    assertThat(frames.parse("{\"op\":\"unsubscribe\",\"id\":\"" + max + "\"}").id()).isEqualTo(max);
    assertRejected("{\"op\":\"unsubscribe\",\"id\":\"" + max + "i\"}", "invalid_request", Optional.empty());
  }

  @Test
  void parse_unknownOp_isUnknownOp_withoutEchoingIt() {
    String secret = "sk_live_SENTINEL";
    FrameRejected e = assertRejected("{\"op\":\"" + secret + "\",\"id\":\"a\"}", "unknown_op", Optional.of("a"));
    assertThat(e.getMessage()).doesNotContain(secret);
  }

  @Test
  void parse_deepNesting_isRejectedNotCrashed() {
    String deep = "{\"op\":\"subscribe\",\"id\":\"a\",\"lens\":\"p\",\"where\":" + "{\"$not\":".repeat(500) + "{}" + "}".repeat(501);
    assertThatThrownBy(() -> frames.parse(deep)).isInstanceOf(FrameRejected.class);
  }

  private FrameRejected assertRejected(String text, String code, Optional<String> id) {
    try {
      frames.parse(text);
    } catch (FrameRejected e) {
      assertThat(e.code()).as(text).isEqualTo(code);
      assertThat(e.id()).as(text).isEqualTo(id);
      return e;
    }
    throw new AssertionError("accepted: " + text);
  }
}
