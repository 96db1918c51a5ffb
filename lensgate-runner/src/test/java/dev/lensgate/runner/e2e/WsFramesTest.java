package dev.lensgate.runner.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The capture test's frame reader on hand-made streams: each length encoding, client masking,
 * fragments, RSV bits and a cut-off frame — so a sentinel scan over its output cannot miss bytes
 * because of the reader.
 */
class WsFramesTest {
  private static final byte[] HEAD = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n"
      .getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MASK = {0x11, 0x22, 0x33, 0x44};

  @Test
  void parse_maskedAndUnmaskedFramesOfEachLengthEncoding_payloadsRecovered() {
    byte[] small = text(100);
    byte[] medium = text(300);
    byte[] large = text(70_000);
    byte[] stream = concat(HEAD, frame(0x81, small, true), frame(0x81, medium, false), frame(0x81, large, true));
    WsFrames.Stream s = WsFrames.parse(stream);
    assertThat(s.httpHead).startsWith("HTTP/1.1 101");
    assertThat(s.frames).hasSize(3);
    assertThat(s.frames.get(0).masked).isTrue();
    assertThat(s.frames.get(0).payload).isEqualTo(small);
    assertThat(s.frames.get(1).masked).isFalse();
    assertThat(s.frames.get(1).payload).isEqualTo(medium);
    assertThat(s.frames.get(2).payload).isEqualTo(large);
    assertThat(s.trailingBytes).isZero();
    // Masked on the wire: the plain text is not in the raw bytes, only in the parsed payload.
    assertThat(WsFrames.indexOf(frame(0x81, small, true), Arrays.copyOf(small, 20))).isNegative();
  }

  @Test
  void parse_fragmentsWithControlFrameBetween_joinedIntoOneMessage() {
    byte[] stream = concat(HEAD, frame(0x01, "hel".getBytes(StandardCharsets.UTF_8), true),
        frame(0x89, new byte[0], true), frame(0x80, "lo".getBytes(StandardCharsets.UTF_8), true));
    WsFrames.Stream s = WsFrames.parse(stream);
    assertThat(s.frames).hasSize(3);
    assertThat(s.messages()).containsExactly("hello");
  }

  @Test
  void parse_rsvBitsAndCutOffFrame_reportedNotHidden() {
    byte[] whole = frame(0xC1, "x".getBytes(StandardCharsets.UTF_8), false);
    byte[] cut = Arrays.copyOf(frame(0x81, text(50), true), 20);
    WsFrames.Stream s = WsFrames.parse(concat(HEAD, whole, cut));
    assertThat(s.frames).singleElement().satisfies(f -> assertThat(f.rsv).isEqualTo(4));
    assertThat(s.trailingBytes).isEqualTo(20);
  }

  private static byte[] text(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) ('a' + i % 26);
    }
    return b;
  }

  private static byte[] frame(int b0, byte[] payload, boolean masked) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(b0);
    int m = masked ? 0x80 : 0;
    if (payload.length < 126) {
      out.write(m | payload.length);
    } else if (payload.length < 65536) {
      out.write(m | 126);
      out.write(payload.length >> 8);
      out.write(payload.length & 0xff);
    } else {
      out.write(m | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) (((long) payload.length >> shift) & 0xff));
      }
    }
    if (masked) {
      out.writeBytes(MASK);
    }
    for (int i = 0; i < payload.length; i++) {
      out.write(masked ? payload[i] ^ MASK[i % 4] : payload[i]);
    }
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
