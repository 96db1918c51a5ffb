package dev.lensgate.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lensgate.client.LensgateClient;
import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.config.ConfigLoader;
import dev.lensgate.core.config.ConfigResult;
import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.server.Gateway;
import dev.lensgate.server.GatewaySettings;
import dev.lensgate.server.http.HttpSettings;
import dev.lensgate.testkit.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * A real gateway on a free port over a temporary data directory (embedded H2 metadata store), plus
 * the operator actions the acceptance tests need: environments, keys, managed source credentials,
 * config pushes, and HTTP calls through the Java client or raw JDK HttpClient (for input the client
 * refuses to build). Rate limiting and the background config refresh are off, so tests decide when
 * a pushed config becomes active.
 */
final class GatewayHarness implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  private final Gateway gateway;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private GatewayHarness(Gateway gateway) {
    this.gateway = gateway;
  }

  static GatewayHarness start(Path dataDir) {
    GatewaySettings settings = new GatewaySettings(dataDir, HttpSettings.plain("127.0.0.1", 0), Map.of(),
        0, 0, Duration.ZERO, "it-test");
    return new GatewayHarness(Gateway.start(settings, Clock.systemUTC()));
  }

  /** Like {@link #start(Path)}, with every lens's embedder replaced (search tests). */
  static GatewayHarness start(Path dataDir, dev.lensgate.server.embed.EmbedderLookup embedders) {
    GatewaySettings settings = new GatewaySettings(dataDir, HttpSettings.plain("127.0.0.1", 0), Map.of(),
        0, 0, Duration.ZERO, "it-test");
    return new GatewayHarness(Gateway.start(settings, Clock.systemUTC(), java.util.Optional.of(embedders)));
  }

  Gateway gateway() { return gateway; }

  String orgId() { return gateway.store().defaultOrg().id(); }

  String defaultEnvId() { return gateway.store().defaultEnvironment().id(); }

  String createEnv(String slug) {
    return gateway.environments().create(orgId(), slug).id();
  }

  /** Mints a key and returns it; {@link Key#plaintext()} is the bearer value. */
  Key mint(KeyType type, String ownerId, String... scopes) {
    var created = gateway.keys().create(type, ownerId, "it-" + type.name().toLowerCase(), Set.of(scopes));
    return new Key(created.id(), created.plaintext().revealUtf8());
  }

  /** A minted key: the id the metadata store knows it by, and its bearer value. */
  record Key(String id, String plaintext) {
    @Override
    public String toString() {
      return "Key[" + id + "]";
    }
  }

  /** Validates the config first (so a typo fails here with its problems, not as a silent no-op), then pushes it and activates it. */
  void push(String envId, String yaml) {
    ConfigResult checked = ConfigLoader.parse(yaml, "it-config.yaml");
    assertThat(checked.errors()).as("config problems").isEmpty();
    gateway.configs().push(envId, yaml);
    gateway.refreshConfigs();
  }

  void connect(String envId, String sourceName, TestDatabase db) {
    connect(envId, sourceName, db.jdbcUrl(), db.user(), db.password());
  }

  void connect(String envId, String sourceName, String jdbcUrl, String user, String password) {
    try (SecretBytes pw = SecretBytes.fromUtf8(password)) {
      gateway.sources().connect(envId, sourceName, jdbcUrl, user, pw);
    }
  }

  String baseUrl() {
    return "http://127.0.0.1:" + gateway.port();
  }

  LensgateClient client(String apiKey) {
    return LensgateClient.builder().baseUrl(baseUrl()).apiKey(apiKey).timeout(Duration.ofSeconds(30)).build();
  }

  /** POST with a raw body; {@code apiKey}/{@code userToken} may be null to leave the header out. */
  Reply post(String path, String apiKey, String userToken, String body) {
    HttpRequest.Builder b = request(path).POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
        .header("Content-Type", "application/json");
    if (apiKey != null) {
      b.header("Authorization", "Bearer " + apiKey);
    }
    if (userToken != null) {
      b.header("X-User-Token", userToken);
    }
    return send(b.build());
  }

  Reply get(String path) {
    return send(request(path).GET().build());
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(30));
  }

  Reply send(HttpRequest request) {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Reply(r.statusCode(), r.body(), r.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** One raw HTTP answer. */
  record Reply(int status, String body, HttpHeaders headers) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("answer is not JSON (status " + status + "): " + abbreviate(body), e);
      }
    }

    /** The error envelope's code, or null for a non-error answer. */
    String errorCode() {
      JsonNode code = json().path("error").path("code");
      return code.isTextual() ? code.textValue() : null;
    }

    String errorMessage() {
      return json().path("error").path("message").asText(null);
    }

    String requestIdHeader() {
      return headers.firstValue("X-Request-Id").orElse(null);
    }

    @Override
    public String toString() {
      return "Reply[" + status + " " + abbreviate(body) + "]";
    }

    private static String abbreviate(String s) {
      return s == null || s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }
  }

  @Override
  public void close() {
    gateway.close();
  }
}
