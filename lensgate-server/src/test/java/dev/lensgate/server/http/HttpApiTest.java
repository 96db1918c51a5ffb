package dev.lensgate.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.server.audit.RequestLogEntry;
import io.github.bucket4j.TimeMeter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client = HttpClient.newHttpClient();
  private final List<RequestLogEntry> logged = new CopyOnWriteArrayList<>();
  private final AtomicLong fakeNanos = new AtomicLong();
  private HttpApi api;

  @AfterEach
  void stop() {
    if (api != null) {
      api.close();
    }
  }

  private HttpApi start(HttpSettings settings) {
    JsonBodies bodies = new JsonBodies(settings.maxBodyBytes());
    RateLimiter limiter = RateLimiter.perKey(2, 2, new TimeMeter() {
      @Override public long currentTimeNanos() { return fakeNanos.get(); }
      @Override public boolean isWallClockBased() { return false; }
    });
    List<Route> routes = new java.util.ArrayList<>(new SystemRoutes("test").routes());
    routes.add(Route.post("/v1/echo/{lens}", ctx -> {
      JsonNode body = bodies.readObject(ctx);
      ctx.json(java.util.Map.of("lens", ctx.pathParam("lens"), "keys", body.size()));
    }));
    routes.add(Route.post("/v1/limited", ctx -> {
      limiter.acquire("key-1");
      ctx.result("{}");
    }));
    routes.add(Route.post("/v1/fails", ctx -> {
      throw new IllegalStateException("secret-sentinel-in-message");
    }));
    routes.add(Route.post("/v1/denied", ctx -> {
      throw new LensgateException(ErrorCode.RULE_DENIED, "denied by rule");
    }));
    api = new HttpApi(settings, routes, logged::add, Clock.systemUTC()).start();
    return api;
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
        .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode error(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body()).get("error");
  }

  @Test
  void everyResponse_carriesRequestId_evenErrors() throws Exception {
    start(HttpSettings.plain("127.0.0.1", 0));
    HttpResponse<String> ok = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/v1/health")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(ok.body()).get("status").asText()).isEqualTo("ok");
    assertThat(ok.headers().firstValue("X-Request-Id")).get().asString().startsWith("req_");

    HttpResponse<String> missing = post("/v1/nope", "{}");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(error(missing).get("code").asText()).isEqualTo("not_found");
    assertThat(error(missing).get("requestId").asText()).isEqualTo(missing.headers().firstValue("X-Request-Id").orElseThrow());
  }

  @Test
  void requestId_suppliedSafeValueIsKept_unsafeIsReplaced() throws Exception {
    start(HttpSettings.plain("127.0.0.1", 0));
    HttpResponse<String> kept = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/v1/health"))
        .header("X-Request-Id", "trace-12345678").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(kept.headers().firstValue("X-Request-Id")).contains("trace-12345678");
    HttpResponse<String> replaced = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/v1/health"))
        .header("X-Request-Id", "<script>alert(1)</script>").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(replaced.headers().firstValue("X-Request-Id")).get().asString().startsWith("req_");
  }

  @Test
  void lensgateException_becomesEnvelopeWithItsStatus() throws Exception {
    start(HttpSettings.plain("127.0.0.1", 0));
    HttpResponse<String> r = post("/v1/denied", "{}");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(error(r).get("code").asText()).isEqualTo("rule_denied");
  }

  @Test
  void unexpectedException_is500WithoutItsMessage() throws Exception {
    start(HttpSettings.plain("127.0.0.1", 0));
    HttpResponse<String> r = post("/v1/fails", "{}");
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(error(r).get("code").asText()).isEqualTo("internal_error");
    assertThat(r.body()).doesNotContain("sentinel");
  }

  @Test
  void invalidJson_is400InvalidJson_andNonObjectIsInvalidRequest() throws Exception {
    start(HttpSettings.plain("127.0.0.1", 0));
    assertThat(error(post("/v1/echo/p", "{\"a\":")).get("code").asText()).isEqualTo("invalid_json");
    assertThat(error(post("/v1/echo/p", "[1,2]")).get("code").asText()).isEqualTo("invalid_request");
    assertThat(error(post("/v1/echo/p", "{\"a\":1,\"a\":2}")).get("code").asText()).isEqualTo("invalid_json");
    assertThat(error(post("/v1/echo/p", "{} {}")).get("code").asText()).isEqualTo("invalid_json");
    String deep = "{\"a\":".repeat(100) + "1" + "}".repeat(100);
    assertThat(error(post("/v1/echo/p", deep)).get("code").asText()).isEqualTo("invalid_request");
    assertThat(post("/v1/echo/p", "").statusCode()).isEqualTo(200);
  }

  @Test
  void bodyOverLimit_is413() throws Exception {
    start(new HttpSettings("127.0.0.1", 0, 4096, Optional.empty()));
    HttpResponse<String> r = post("/v1/echo/p", "{\"a\":\"" + "x".repeat(10_000) + "\"}");
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(error(r).get("code").asText()).isEqualTo("payload_too_large");
    assertThat(post("/v1/echo/p", "{\"a\":\"" + "x".repeat(3_000) + "\"}").statusCode()).isEqualTo(200);
  }

  /**
   * A client still sending a large body must get the 413 envelope, not a reset: closing a socket
   * that holds unread bytes makes the kernel send RST, which drops the answer already written.
   */
  @Test
  void bodyFarOverLimit_stillSending_gets413EveryTime_declaredAndChunked() throws Exception {
    start(new HttpSettings("127.0.0.1", 0, 4096, Optional.empty()));
    byte[] big = ("{\"a\":\"" + "x".repeat(3 << 20) + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> declared = post("/v1/echo/p", new String(big, java.nio.charset.StandardCharsets.UTF_8));
      assertThat(declared.statusCode()).as("declared-length attempt %d", i).isEqualTo(413);
      assertThat(error(declared).get("code").asText()).isEqualTo("payload_too_large");
      HttpResponse<String> chunked = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/v1/echo/p"))
          .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(chunked.statusCode()).as("chunked attempt %d", i).isEqualTo(413);
      assertThat(error(chunked).get("code").asText()).isEqualTo("payload_too_large");
    }
    assertThat(post("/v1/echo/p", "{}").statusCode()).isEqualTo(200);
  }

  @Test
  void refusedBeforeTheBodyIsRead_largeBody_stillGetsItsAnswer() throws Exception {
    start(new HttpSettings("127.0.0.1", 0, 4096, Optional.empty()));
    String big = "{\"a\":\"" + "x".repeat(3 << 20) + "\"}";
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> denied = post("/v1/denied", big);
      assertThat(denied.statusCode()).as("denied attempt %d", i).isEqualTo(403);
      assertThat(error(denied).get("code").asText()).isEqualTo("rule_denied");
      HttpResponse<String> unknown = post("/v1/nowhere", big);
      assertThat(unknown.statusCode()).as("unknown route attempt %d", i).isEqualTo(404);
      assertThat(error(unknown).get("code").asText()).isEqualTo("not_found");
    }
  }

  /**
   * A refused request whose body stalls or trickles (a slow loris, possibly without any key) gets its
   * answer at once and loses its connection after the bounded drain, long before Jetty's 30 s idle
   * timeout: it cannot hold a server thread for long. The socket timeout (15 s) is what fails the
   * test if the drain were unbounded.
   */
  @Test
  void refusedRequest_whoseBodyStallsOrTrickles_isAnsweredAtOnce_thenClosedAfterABoundedDrain() throws Exception {
    start(new HttpSettings("127.0.0.1", 0, 4096, Optional.empty()));
    for (boolean trickle : new boolean[] {false, true}) {
      try (java.net.Socket socket = new java.net.Socket("127.0.0.1", api.port())) {
        socket.setSoTimeout(15_000);
        java.io.OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/denied HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
            + "Content-Length: 1000000\r\n\r\n{\"a\":\"").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.flush();
        Thread dripper = new Thread(() -> {
          try {
            while (trickle) {
              Thread.sleep(200);
              out.write('x');
              out.flush();
            }
          } catch (Exception closed) {
            // the server closed the connection: what the test waits for
          }
        });
        dripper.setDaemon(true);
        dripper.start();
        java.io.InputStream in = socket.getInputStream();
        StringBuilder answer = new StringBuilder();
        boolean closed = false;
        try {
          int c;
          while ((c = in.read()) != -1) {
            answer.append((char) c);
          }
          closed = true;
        } catch (java.net.SocketException reset) {
          closed = true; // a reset after the answer was read is a close too
        }
        dripper.interrupt();
        assertThat(answer.toString()).as("trickle=%s", trickle).startsWith("HTTP/1.1 403").contains("\"rule_denied\"");
        assertThat(closed).as("trickle=%s: connection closed", trickle).isTrue();
      }
    }
  }

  @Test
  void rateLimit_exhaustedBucket_is429WithRetryAfter_thenRefills() throws Exception {
    start(HttpSettings.plain("127.0.0.1", 0));
    assertThat(post("/v1/limited", "{}").statusCode()).isEqualTo(200);
    assertThat(post("/v1/limited", "{}").statusCode()).isEqualTo(200);
    HttpResponse<String> limited = post("/v1/limited", "{}");
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(error(limited).get("code").asText()).isEqualTo("rate_limited");
    assertThat(limited.headers().firstValue("Retry-After")).contains("1");
    fakeNanos.addAndGet(1_000_000_000L);
    assertThat(post("/v1/limited", "{}").statusCode()).isEqualTo(200);
  }

  @Test
  void requestLog_recordsRouteTemplateAndStatus_neverPathValuesOrBodies() throws Exception {
    start(HttpSettings.plain("127.0.0.1", 0));
    post("/v1/echo/lens-value-sentinel", "{\"q\":\"body-sentinel\"}");
    assertThat(logged).hasSize(1);
    RequestLogEntry e = logged.get(0);
    assertThat(e.route()).isEqualTo("POST /v1/echo/{lens}");
    assertThat(e.status()).isEqualTo(200);
    assertThat(e.toString()).doesNotContain("sentinel");
  }

  @Test
  void requestLog_recordsWebSocketUpgrades_acceptedAndRefused_withoutTheQuery() throws Exception {
    WsRoute ws = new WsRoute("/v1/socket", ctx -> {
      if (ctx.header("X-Deny") != null) {
        throw new LensgateException(ErrorCode.INVALID_API_KEY, "invalid API key");
      }
    }, config -> config.onConnect(c -> c.closeSession()), 4096);
    api = new HttpApi(HttpSettings.plain("127.0.0.1", 0), List.of(), List.of(ws), logged::add, Clock.systemUTC()).start();
    URI uri = URI.create("ws://127.0.0.1:" + api.port() + "/v1/socket?apiKey=query-sentinel");
    java.net.http.WebSocket.Listener quiet = new java.net.http.WebSocket.Listener() { };
    client.newWebSocketBuilder().buildAsync(uri, quiet).get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThatThrownBy(() -> client.newWebSocketBuilder().header("X-Deny", "1").buildAsync(uri, quiet)
        .get(10, java.util.concurrent.TimeUnit.SECONDS)).hasCauseInstanceOf(java.net.http.WebSocketHandshakeException.class);

    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (logged.size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(20); // the upgrade logger runs after the handshake's answer is sent
    }
    assertThat(logged).extracting(RequestLogEntry::route).containsOnly("GET /v1/socket");
    assertThat(logged).extracting(RequestLogEntry::status).containsExactlyInAnyOrder(101, 401);
    assertThat(logged).allSatisfy(e -> assertThat(e.requestId()).startsWith("req_"));
    assertThat(logged.toString()).doesNotContain("sentinel");
  }

  @Test
  void tls_servesHttpsWithTls13_refusesTls11_andRedirectsPlainHttp(@TempDir Path dir) throws Exception {
    Path keystore = dir.resolve("gateway.p12");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1", "-alias", "gw", "-keystore", keystore.toString(),
        "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit", "-dname", "CN=localhost",
        "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2").redirectErrorStream(true).start();
    assertThat(p.waitFor()).isZero();
    start(HttpSettings.plain("127.0.0.1", 0).withTls(new HttpSettings.Tls(keystore, "changeit".toCharArray(), 0)));

    KeyStore trust = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(keystore)) {
      trust.load(in, "changeit".toCharArray());
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);

    HttpClient https = HttpClient.newBuilder().sslContext(ssl).build();
    HttpResponse<String> r = https.send(HttpRequest.newBuilder(URI.create("https://localhost:" + api.port() + "/v1/health")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.sslSession()).get().extracting(s -> s.getProtocol()).isEqualTo("TLSv1.3");

    SSLParameters old = new SSLParameters();
    old.setProtocols(new String[] {"TLSv1.1"});
    HttpClient legacy = HttpClient.newBuilder().sslContext(ssl).sslParameters(old).build();
    assertThatThrownBy(() -> legacy.send(HttpRequest.newBuilder(URI.create("https://localhost:" + api.port() + "/v1/health")).build(),
        HttpResponse.BodyHandlers.ofString())).isInstanceOfAny(SSLHandshakeException.class, java.io.IOException.class);

    HttpResponse<String> redirect = client.send(HttpRequest.newBuilder(
        URI.create("http://localhost:" + api.redirectPort() + "/v1/health?x=1")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(redirect.statusCode()).isEqualTo(308);
    assertThat(redirect.headers().firstValue("Location")).contains("https://localhost:" + api.port() + "/v1/health?x=1");
  }
}
