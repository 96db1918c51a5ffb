package dev.lensgate.server.http;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Listener settings. TLS is optional; when it is on, the main port speaks HTTPS (TLS 1.2 minimum,
 * 1.3 preferred) and an optional plain port only redirects to it.
 *
 * @param host bind address
 * @param port main port (0 = any free port)
 * @param maxBodyBytes request body limit (413 above it)
 */
public record HttpSettings(String host, int port, long maxBodyBytes, Optional<Tls> tls) {
  public HttpSettings {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535");
    }
    if (maxBodyBytes < 1024) {
      throw new IllegalArgumentException("maxBodyBytes must be at least 1024");
    }
    Objects.requireNonNull(tls, "tls");
  }

  public static HttpSettings plain(String host, int port) {
    return new HttpSettings(host, port, 1L << 20, Optional.empty());
  }

  public HttpSettings withTls(Tls t) {
    return new HttpSettings(host, port, maxBodyBytes, Optional.of(t));
  }

  /**
   * PKCS#12 keystore settings; the password is read from a file so it never sits in argv.
   *
   * @param httpRedirectPort plain-HTTP port that answers 308 to HTTPS, or -1 for none
   */
  public record Tls(Path keystore, char[] password, int httpRedirectPort) {
    public Tls {
      Objects.requireNonNull(keystore, "keystore");
      Objects.requireNonNull(password, "password");
      if (!Files.isReadable(keystore)) {
        throw new IllegalArgumentException("TLS keystore is not readable: " + keystore);
      }
    }

    @Override
    public String toString() {
      return "Tls[keystore=" + keystore + ", httpRedirectPort=" + httpRedirectPort + "]";
    }
  }
}
