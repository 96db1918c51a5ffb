package dev.lensgate.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.config.ConfigLoader;
import dev.lensgate.core.config.ConfigResult;
import dev.lensgate.core.jwt.DevIssuer;
import dev.lensgate.server.Gateway;
import dev.lensgate.server.GatewaySettings;
import dev.lensgate.server.http.HttpSettings;
import dev.lensgate.server.sync.ChangeListener.ChangeEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;

/**
 * A real gateway (embedded H2 metadata store, port 0) for the stream tests, with a dev JWT issuer
 * whose clock can be set back (to mint tokens that expire seconds from now), key minting, config
 * pushes, and a raw-socket upgrade request for the pre-upgrade answers the JDK client hides.
 */
final class StreamGateway implements AutoCloseable {
  static final String ISSUER = "https://idp.stream.lensgate.test";
  static final String AUDIENCE = "lensgate-stream";

  private final Gateway gateway;
  private final ShiftedClock issuerClock = new ShiftedClock();
  private final DevIssuer issuer;
  private final Path jwks;

  /** A clock {@link #shift shifted} by a test-chosen amount (for the issuer only). */
  static final class ShiftedClock extends Clock {
    private volatile Duration shift = Duration.ZERO;

    void shift(Duration d) { shift = d; }

    @Override public ZoneId getZone() { return ZoneOffset.UTC; }

    @Override public Clock withZone(ZoneId zone) { return this; }

    @Override public Instant instant() { return Instant.now().plus(shift); }
  }

  StreamGateway(Path dir, Map<String, String> environment) {
    GatewaySettings settings = new GatewaySettings(dir.resolve("data"), HttpSettings.plain("127.0.0.1", 0), environment,
        0, 0, Duration.ZERO, "stream-test");
    this.gateway = Gateway.start(settings, Clock.systemUTC());
    this.issuer = DevIssuer.generate(ISSUER, AUDIENCE, issuerClock);
    this.jwks = dir.resolve("jwks.json");
    try {
      issuer.writeJwks(jwks);
    } catch (IOException e) {
      gateway.close();
      throw new UncheckedIOException(e);
    }
  }

  Gateway gateway() { return gateway; }

  int port() { return gateway.port(); }

  String defaultEnv() { return gateway.store().defaultEnvironment().id(); }

  String createEnv(String slug) { return gateway.environments().create(gateway.store().defaultOrg().id(), slug).id(); }

  /** The {@code auth:} section trusting this issuer. */
  String authYaml() {
    return "auth:\n  jwt:\n    jwksFile: " + jwks.toAbsolutePath() + "\n    issuer: " + ISSUER + "\n    audience: " + AUDIENCE + "\n";
  }

  String token(String subject, Map<String, ?> claims) {
    return issuer.mint(subject, claims, Duration.ofHours(1));
  }

  /**
   * A token whose {@code exp} lies {@code 60 s - validFor} in the past: the verifier's 60 s skew
   * still accepts it for about {@code validFor}.
   */
  String tokenValidFor(String subject, Map<String, ?> claims, Duration validFor) {
    synchronized (issuerClock) {
      issuerClock.shift(Duration.ofMinutes(-10));
      try {
        return issuer.mint(subject, claims, Duration.ofMinutes(10).minusSeconds(60).plus(validFor));
      } finally {
        issuerClock.shift(Duration.ZERO);
      }
    }
  }

  /** A minted key: its id and bearer value. */
  record Key(String id, String plaintext) {
    @Override public String toString() { return "Key[" + id + "]"; }
  }

  Key mint(KeyType type, String ownerId) {
    var created = gateway.keys().create(type, ownerId, "stream-" + type.name().toLowerCase(), Set.of());
    return new Key(created.id(), created.plaintext().revealUtf8());
  }

  void push(String envId, String yaml) {
    ConfigResult checked = ConfigLoader.parse(yaml, "stream-test.yaml");
    assertThat(checked.errors()).as("config problems").isEmpty();
    gateway.configs().push(envId, yaml);
    gateway.refreshConfigs();
  }

  void change(ChangeEvent e) {
    gateway.streamHub().changed(e);
  }

  /** Waits until the hub delivered everything it was given. */
  void drained() {
    try {
      assertThat(((InProcessStreamHub) gateway.streamHub()).awaitDrained(Duration.ofMinutes(1))).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The raw answer (status line + headers + body) to a WebSocket upgrade request with extra header lines. */
  String rawUpgrade(String pathAndQuery, String... headerLines) {
    try (Socket s = new Socket("127.0.0.1", port())) {
      s.setSoTimeout(10_000);
      StringBuilder req = new StringBuilder("GET " + pathAndQuery + " HTTP/1.1\r\n"
          + "Host: 127.0.0.1:" + port() + "\r\n"
          + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n");
      for (String h : headerLines) {
        req.append(h).append("\r\n");
      }
      req.append("\r\n");
      OutputStream out = s.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder answer = new StringBuilder();
      byte[] buf = new byte[8192];
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (System.nanoTime() < deadline) {
        int n;
        try {
          n = in.read(buf);
        } catch (java.net.SocketTimeoutException e) {
          break;
        }
        if (n < 0) {
          break;
        }
        answer.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
        String a = answer.toString();
        int headEnd = a.indexOf("\r\n\r\n");
        if (headEnd >= 0 && (a.startsWith("HTTP/1.1 101") || bodyComplete(a, headEnd))) {
          break;
        }
      }
      return answer.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean bodyComplete(String a, int headEnd) {
    String head = a.substring(0, headEnd).toLowerCase(java.util.Locale.ROOT);
    int cl = head.indexOf("content-length:");
    if (cl < 0) {
      return a.endsWith("}") || a.endsWith("\r\n0\r\n\r\n");
    }
    int end = head.indexOf("\r\n", cl);
    int len = Integer.parseInt(head.substring(cl + 15, end < 0 ? head.length() : end).trim());
    return a.length() - headEnd - 4 >= len;
  }

  static int status(String raw) {
    return Integer.parseInt(raw.substring(9, 12));
  }

  static String body(String raw) {
    int i = raw.indexOf("\r\n\r\n");
    return i < 0 ? "" : raw.substring(i + 4);
  }

  @Override
  public void close() {
    gateway.close();
  }

  static void writeQuietly(Path p, String s) {
    try {
      Files.writeString(p, s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
