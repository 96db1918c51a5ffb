package dev.lensgate.cli;

import dev.lensgate.core.crypto.SecretBytes;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a password for {@code --password-stdin}: the whole of stdin (at most
 * {@value #MAX_PASSWORD_BYTES} bytes) minus one trailing line break, so
 * {@code printf %s "$PW" | ...} and {@code echo "$PW" | ...} both work. On an interactive terminal
 * it prompts without echo instead. The bytes go straight into {@link SecretBytes}; no
 * {@code String} copy of the password is made here.
 */
final class PasswordInput {
  static final int MAX_PASSWORD_BYTES = 1024;

  private final InputStream stdin;
  private final Console console;

  /** {@code console} is null unless stdin is the process's own terminal. */
  PasswordInput(InputStream stdin, Console console) {
    this.stdin = stdin;
    this.console = console;
  }

  SecretBytes read(String prompt) {
    if (console != null) {
      return fromConsole(prompt);
    }
    byte[] buf = new byte[MAX_PASSWORD_BYTES + 3];
    try {
      int len = 0;
      int n;
      while (len < buf.length && (n = stdin.read(buf, len, buf.length - len)) > 0) {
        len += n;
      }
      if (len == buf.length && stdin.read() >= 0) {
        throw new CliFailure("password on stdin is longer than " + MAX_PASSWORD_BYTES + " bytes");
      }
      len = withoutTrailingLineBreak(buf, len);
      if (len > MAX_PASSWORD_BYTES) {
        throw new CliFailure("password on stdin is longer than " + MAX_PASSWORD_BYTES + " bytes");
      }
      byte[] exact = Arrays.copyOf(buf, len);
      try {
        return SecretBytes.copyOf(exact);
      } finally {
        Arrays.fill(exact, (byte) 0);
      }
    } catch (IOException e) {
      throw new CliFailure("cannot read the password from stdin (" + e.getClass().getSimpleName() + ")");
    } finally {
      Arrays.fill(buf, (byte) 0);
    }
  }

  private SecretBytes fromConsole(String prompt) {
    char[] chars = console.readPassword("%s", prompt);
    if (chars == null) {
      throw new CliFailure("no password entered");
    }
    ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
    byte[] bytes = new byte[encoded.remaining()];
    encoded.get(bytes);
    try {
      if (bytes.length > MAX_PASSWORD_BYTES) {
        throw new CliFailure("password is longer than " + MAX_PASSWORD_BYTES + " bytes");
      }
      return SecretBytes.copyOf(bytes);
    } finally {
      Arrays.fill(chars, '\0');
      Arrays.fill(bytes, (byte) 0);
      if (encoded.hasArray()) {
        Arrays.fill(encoded.array(), (byte) 0);
      }
    }
  }

  static int withoutTrailingLineBreak(byte[] buf, int len) {
    if (len > 0 && buf[len - 1] == '\n') {
      len--;
      if (len > 0 && buf[len - 1] == '\r') {
        len--;
      }
    }
    return len;
  }
}
