package dev.lensgate.runner.e2e;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A small RFC 6455 reader for captured byte streams: skips the HTTP upgrade head, then splits the
 * rest into frames (7-, 16- and 64-bit lengths, client masking undone) and joins fragments into
 * messages. Strict where a lax reader could hide bytes from a scan: any RSV bit (a compression
 * extension) or a frame cut short before the stream ended cleanly is reported, not skipped.
 */
final class WsFrames {
  static final int CONTINUATION = 0;
  static final int TEXT = 1;
  static final int BINARY = 2;
  static final int CLOSE = 8;

  /** One frame with its payload unmasked. */
  static final class Frame {
    final boolean fin;
    final int rsv;
    final int opcode;
    final boolean masked;
    final byte[] payload;

    Frame(boolean fin, int rsv, int opcode, boolean masked, byte[] payload) {
      this.fin = fin;
      this.rsv = rsv;
      this.opcode = opcode;
      this.masked = masked;
      this.payload = payload;
    }

    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  /** A parsed stream: the HTTP head, the frames, and bytes left after the last whole frame. */
  static final class Stream {
    final String httpHead;
    final List<Frame> frames;
    final int trailingBytes;

    Stream(String httpHead, List<Frame> frames, int trailingBytes) {
      this.httpHead = httpHead;
      this.frames = frames;
      this.trailingBytes = trailingBytes;
    }

    /** Text and binary messages, fragments joined, as UTF-8 text. */
    List<String> messages() {
      List<String> out = new ArrayList<>();
      StringBuilder current = null;
      for (Frame f : frames) {
        if (f.opcode == TEXT || f.opcode == BINARY) {
          current = new StringBuilder(f.text());
        } else if (f.opcode == CONTINUATION && current != null) {
          current.append(f.text());
        } else {
          continue;
        }
        if (f.fin) {
          out.add(current.toString());
          current = null;
        }
      }
      return out;
    }
  }

  private WsFrames() {}

  static Stream parse(byte[] data) {
    int head = indexOf(data, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    if (head < 0) {
      return new Stream(new String(data, StandardCharsets.ISO_8859_1), List.of(), 0);
    }
    String httpHead = new String(data, 0, head, StandardCharsets.ISO_8859_1);
    List<Frame> frames = new ArrayList<>();
    int p = head + 4;
    while (p < data.length) {
      if (data.length - p < 2) {
        break;
      }
      int b0 = data[p] & 0xff;
      int b1 = data[p + 1] & 0xff;
      boolean masked = (b1 & 0x80) != 0;
      long len = b1 & 0x7f;
      int q = p + 2;
      if (len == 126) {
        if (data.length - q < 2) {
          break;
        }
        len = ((data[q] & 0xff) << 8) | (data[q + 1] & 0xff);
        q += 2;
      } else if (len == 127) {
        if (data.length - q < 8) {
          break;
        }
        len = 0;
        for (int i = 0; i < 8; i++) {
          len = (len << 8) | (data[q + i] & 0xff);
        }
        q += 8;
      }
      byte[] mask = new byte[4];
      if (masked) {
        if (data.length - q < 4) {
          break;
        }
        System.arraycopy(data, q, mask, 0, 4);
        q += 4;
      }
      if (len > data.length - q) {
        break;
      }
      byte[] payload = new byte[(int) len];
      for (int i = 0; i < len; i++) {
        payload[i] = masked ? (byte) (data[q + i] ^ mask[i % 4]) : data[q + i];
      }
      frames.add(new Frame((b0 & 0x80) != 0, (b0 >> 4) & 0x7, b0 & 0x0f, masked, payload));
      p = q + (int) len;
    }
    return new Stream(httpHead, frames, data.length - p);
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
