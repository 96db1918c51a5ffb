package dev.lensgate.server.stream;

import static dev.lensgate.server.stream.StreamClient.type;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lensgate.core.auth.KeyType;
import dev.lensgate.server.sync.ChangeListener.ChangeEvent;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The socket's edges on a real gateway: answers before the upgrade (key types, bad tokens, no
 * session cookie), bad frames that leave the socket and its subscriptions alone, the frame size
 * limit, and a consumer that stops reading (closed as slow, memory bounded by the queue caps).
 */
class StreamEdgesTest {
  static final Duration WAIT = Duration.ofSeconds(30);
  static final int MAX_QUEUED_FRAMES = 32;

  @TempDir static Path dir;
  static StreamGateway gw;
  static String env;
  static StreamGateway.Key pk;

  @BeforeAll
  static void start() {
    gw = new StreamGateway(dir, Map.of(StreamSettings.MAX_QUEUED_FRAMES, Integer.toString(MAX_QUEUED_FRAMES),
        StreamSettings.MAX_QUEUED_CHARS, Integer.toString(512 * 1024)));
    env = gw.defaultEnv();
    gw.push(env, "stack: lensgate/v1\n"
        + "sources:\n  main: { type: h2 }\n"
        + "lenses:\n"
        + "  feed:\n"
        + "    source: main\n"
        + "    table: feed\n"
        + "    primaryKey: id\n"
        + "    fields:\n"
        + "      id: { type: integer }\n"
        + "      body: { type: string }\n"
        + "    grants:\n"
        + "      subscribe: public\n"
        + "  members:\n"
        + "    source: main\n"
        + "    table: members\n"
        + "    primaryKey: id\n"
        + "    fields:\n"
        + "      id: { type: integer }\n"
        + "    grants:\n"
        + "      subscribe: authenticated\n"
        + gw.authYaml());
    pk = gw.mint(KeyType.PK, env);
  }

  @AfterAll
  static void stop() {
    if (gw != null) {
      gw.close();
    }
  }

  static Map<String, Object> row(long id, String body) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("id", id);
    r.put("body", body);
    return r;
  }

  static void feed(long id, String body) {
    gw.change(ChangeEvent.upsert(env, "feed", Long.toString(id), Optional.empty(), row(id, body)));
  }

  @Test
  void upgrade_withoutKey_is401_withEnvelopeAndRequestId() {
    String raw = gw.rawUpgrade(StreamEndpoint.PATH);
    assertThat(StreamGateway.status(raw)).isEqualTo(401);
    assertThat(raw).contains("\"code\":\"missing_api_key\"");
    assertThat(raw.toLowerCase(Locale.ROOT)).contains("x-request-id:");
  }

  @Test
  void upgrade_ingestAndRunnerKeys_are403_keyTypeNotAllowed() {
    StreamGateway.Key ik = gw.mint(KeyType.IK, env);
    StreamGateway.Key rk = gw.mint(KeyType.RK, gw.gateway().store().defaultOrg().id());
    for (String key : List.of(ik.plaintext(), rk.plaintext())) {
      String raw = gw.rawUpgrade(StreamEndpoint.PATH, "Authorization: Bearer " + key);
      assertThat(StreamGateway.status(raw)).isEqualTo(403);
      assertThat(raw).contains("\"code\":\"key_type_not_allowed\"").doesNotContain(key);
      String viaQuery = gw.rawUpgrade(StreamEndpoint.PATH + "?apiKey=" + key);
      assertThat(StreamGateway.status(viaQuery)).isEqualTo(403);
    }
  }

  @Test
  void upgrade_revokedKey_is401_andInvalidUserToken_is401() {
    StreamGateway.Key revoked = gw.mint(KeyType.PK, env);
    gw.gateway().keys().revoke(revoked.id());
    String raw = gw.rawUpgrade(StreamEndpoint.PATH, "Authorization: Bearer " + revoked.plaintext());
    assertThat(StreamGateway.status(raw)).isEqualTo(401);
    assertThat(raw).contains("\"code\":\"key_revoked\"");
    String garbage = "eyJnYXJiYWdl.not-a-token.SENTINEL";
    String badToken = gw.rawUpgrade(StreamEndpoint.PATH + "?apiKey=" + pk.plaintext() + "&userToken=" + garbage);
    assertThat(StreamGateway.status(badToken)).isEqualTo(401);
    assertThat(badToken).contains("\"code\":\"invalid_user_token\"").doesNotContain("SENTINEL");
  }

  @Test
  void plainGet_withoutUpgrade_isAClean4xx_notA500() throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    for (String auth : new String[] {null, "Bearer " + pk.plaintext()}) {
      java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(
          java.net.URI.create("http://127.0.0.1:" + gw.port() + StreamEndpoint.PATH)).GET();
      if (auth != null) {
        b.header("Authorization", auth);
      }
      java.net.http.HttpResponse<String> r = http.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      System.out.println("plain GET /v1/stream (" + (auth == null ? "no key" : "key") + "): " + r.statusCode() + " " + r.body());
      assertThat(r.statusCode()).isBetween(400, 499);
      assertThat(r.headers().firstValue("X-Request-Id")).isPresent();
      assertThat(r.body()).contains("\"error\"");
    }
  }

  @Test
  void upgrade_success_setsNoSessionCookie() {
    String raw = gw.rawUpgrade(StreamEndpoint.PATH, "Authorization: Bearer " + pk.plaintext());
    assertThat(StreamGateway.status(raw)).isEqualTo(101);
    String head = raw.substring(0, raw.indexOf("\r\n\r\n")).toLowerCase(Locale.ROOT);
    assertThat(head).doesNotContain("set-cookie").doesNotContain("jsessionid");
  }

  @Test
  void queryStringAuth_withUserToken_subscribesToAnAuthenticatedLens() {
    String token = gw.token("u1", Map.of());
    String query = "apiKey=" + URLEncoder.encode(pk.plaintext(), StandardCharsets.UTF_8) + "&userToken="
        + URLEncoder.encode(token, StandardCharsets.UTF_8);
    try (StreamClient c = StreamClient.connectWithQuery(gw.port(), query);
        StreamClient noToken = StreamClient.connect(gw.port(), pk.plaintext(), null)) {
      c.subscribe("m", "members", null);
      noToken.subscribe("m", "members", null);
      assertThat(noToken.next(WAIT).path("code").asText()).isEqualTo("missing_user_token");
      awaitSubscriptions(pk.id(), 1);
      gw.change(ChangeEvent.upsert(env, "members", "1", Optional.empty(), Map.of("id", 1L)));
      JsonNode e = c.next(WAIT);
      assertThat(e.path("type").asText()).isEqualTo("event");
      assertThat(e.path("kind").asText()).isEqualTo("insert");
    }
  }

  @Test
  void badFrames_getErrorFrames_neverDropTheSocketOrOtherSubscriptions() {
    try (StreamClient c = StreamClient.connect(gw.port(), pk.plaintext(), null)) {
      c.subscribe("live", "feed", "{\"id\":{\"$gte\":1000000}}");
      String[][] cases = {
          {"{not json", "invalid_json"},
          {"{\"op\":\"frobnicate\",\"id\":\"x\"}", "unknown_op"},
          {"{\"op\":\"subscribe\",\"id\":\"live\",\"lens\":\"feed\"}", "duplicate_subscription"},
          {"{\"op\":\"subscribe\",\"id\":\"n\",\"lens\":\"no_such_lens\"}", "lens_not_found"},
          {"{\"op\":\"subscribe\",\"id\":\"w\",\"lens\":\"feed\",\"where\":{\"secret\":1}}", "unknown_field"},
          {"{\"op\":\"subscribe\",\"id\":\"w\",\"lens\":\"feed\",\"where\":{\"id\":{\"$near\":1}}}", "unsupported_operator"},
          {"{\"op\":\"subscribe\",\"lens\":\"feed\"}", "invalid_request"},
          {"{\"op\":\"unsubscribe\",\"id\":\"ghost\"}", "subscription_not_found"},
          {"{\"op\":\"subscribe\",\"id\":\"big\",\"lens\":\"feed\",\"where\":{\"body\":\"" + "x".repeat(70_000) + "\"}}",
              "frame_too_large"},
      };
      for (String[] k : cases) {
        c.send(k[0]);
        JsonNode f = c.next(WAIT);
        assertThat(f.path("type").asText()).as(k[1]).isEqualTo("error");
        assertThat(f.path("code").asText()).as(k[1]).isEqualTo(k[1]);
        assertThat(f.path("message").asText()).doesNotContain("frobnicate").doesNotContain("xxxx");
      }
      feed(1_000_001, "still here");
      JsonNode e = c.next(WAIT);
      assertThat(e.path("id").asText()).isEqualTo("live");
      assertThat(e.path("record").path("body").asText()).isEqualTo("still here");
      assertThat(c.isClosed()).isFalse();
    }
  }

  @Test
  void slowConsumer_isClosed_othersKeepReceiving_andTheQueueStaysBounded() {
    StreamGateway.Key slowKey = gw.mint(KeyType.PK, env);
    StreamGateway.Key fastKey = gw.mint(KeyType.PK, env);
    long slowBefore = gw.gateway().streamEndpoint().slowConsumers();
    try (StreamClient slow = StreamClient.connect(gw.port(), slowKey.plaintext(), null);
        StreamClient fast = StreamClient.connect(gw.port(), fastKey.plaintext(), null)) {
      slow.subscribe("s", "feed", "{\"id\":{\"$lt\":1000000}}");
      fast.subscribe("s", "feed", "{\"id\":{\"$lt\":1000000}}");
      awaitSubscriptions(slowKey.id(), 1);
      awaitSubscriptions(fastKey.id(), 1);
      feed(1, "hello");
      assertThat(slow.next(WAIT).path("type").asText()).isEqualTo("event");
      assertThat(fast.next(WAIT).path("type").asText()).isEqualTo("event");

      slow.pause();
      String body = "y".repeat(8 * 1024);
      int sent = 1;
      long deadline = System.nanoTime() + WAIT.toNanos();
      // Far more than the socket buffers, the JDK client's buffers and the queue hold together.
      while (gw.gateway().streamEndpoint().slowConsumers() == slowBefore && System.nanoTime() < deadline) {
        // Bursts below the queue cap: a burst larger than the cap outruns even a reading client.
        for (int i = 0; i < MAX_QUEUED_FRAMES / 2; i++) {
          feed(++sent, body);
        }
        gw.drained();
        // Pace the producer by the reading client, so only the paused one can fall behind (loaded CI machines).
        int expected = sent - 1;
        awaitTrue(() -> fast.pending() >= expected, "the reading client keeps up");
      }
      assertThat(gw.gateway().streamEndpoint().slowConsumers()).isEqualTo(slowBefore + 1);
      awaitSockets(slowKey.id(), 0);
      assertThat(gw.gateway().streamEndpoint().subscriptions(slowKey.id())).isZero();
      assertThat(gw.gateway().streamEndpoint().queueHighWater()).isLessThanOrEqualTo(MAX_QUEUED_FRAMES);
      System.out.println("slow consumer closed after " + sent + " events of 8 KiB; queue high water "
          + gw.gateway().streamEndpoint().queueHighWater() + " frames");

      // The fast consumer got every event (the hub orders per record, not across records) and is still subscribed.
      java.util.Set<Long> got = new java.util.HashSet<>();
      for (int i = 2; i <= sent; i++) {
        got.add(fast.next(WAIT).path("record").path("id").asLong());
      }
      int last = sent;
      assertThat(got).hasSize(last - 1).allMatch(id -> id >= 2 && id <= last);
      assertThat(fast.isClosed()).isFalse();
      assertThat(gw.gateway().streamEndpoint().subscriptions(fastKey.id())).isEqualTo(1);

      // Reading again, the slow client finds its socket ended (closed frame best effort).
      slow.resume();
      slow.awaitClosed(WAIT);
    }
  }

  static void awaitSubscriptions(String keyId, int n) {
    awaitTrue(() -> gw.gateway().streamEndpoint().subscriptions(keyId) == n, "subscriptions of " + keyId + " = " + n);
  }

  static void awaitSockets(String keyId, int n) {
    awaitTrue(() -> gw.gateway().streamEndpoint().openSockets(keyId) == n, "sockets of " + keyId + " = " + n);
  }

  static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not reached: " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
