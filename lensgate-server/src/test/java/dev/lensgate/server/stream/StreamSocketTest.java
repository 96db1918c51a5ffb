package dev.lensgate.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.auth.Principal;
import dev.lensgate.core.keys.KeyRevocation;
import dev.lensgate.server.authorize.LensAccess;
import dev.lensgate.server.catalog.EnvironmentCatalog;
import dev.lensgate.server.http.RateLimiter;
import dev.lensgate.server.sync.ChangeListener.ChangeEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One socket against a real catalog and authorizer, a synchronous hub and a fake wire: frame
 * errors, caps, shaping, delete privacy, observe and re-authorization after a config push.
 */
class StreamSocketTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String ENV = "env1";
  static final String BASE = "stack: lensgate/v1\n"
      + "defaults:\n  grants: strict\n"
      + "sources:\n  main: { type: h2 }\n"
      + "lenses:\n"
      + "  products:\n"
      + "    source: main\n"
      + "    table: products\n"
      + "    primaryKey: id\n"
      + "    fields:\n"
      + "      id: { type: integer }\n"
      + "      title: { type: string }\n"
      + "      category: { type: string }\n"
      + "      price: { type: number }\n"
      + "  closedlens:\n"
      + "    source: main\n"
      + "    table: t\n"
      + "    primaryKey: id\n"
      + "    fields:\n"
      + "      id: { type: integer }\n"
      + "    grants:\n"
      + "      query: public\n";

  private final AtomicReference<String> yaml = new AtomicReference<>(BASE + grant("public"));
  private final FakeHub hub = new FakeHub();
  private final FakeOutlet wire = new FakeOutlet(true);
  private final Map<String, Map<String, Object>> index = new java.util.concurrent.ConcurrentHashMap<>();
  private ScheduledExecutorService timers;
  private EnvironmentCatalog catalog;
  private StreamSockets registry;
  private SocketServices services;
  private StreamSocket socket;

  static String grant(String subscribe) {
    return "    grants:\n      subscribe: " + subscribe + "\n";
  }

  /** The products lens's grants block must follow its fields: rebuild with the grant inserted there. */
  static String config(String subscribeGrant) {
    int at = BASE.indexOf("  closedlens:");
    return BASE.substring(0, at) + grant(subscribeGrant) + BASE.substring(at);
  }

  @BeforeEach
  void start() {
    yaml.set(config("public"));
    timers = Executors.newScheduledThreadPool(1);
    catalog = new EnvironmentCatalog(() -> Map.of(ENV, new EnvironmentCatalog.StoredConfig(
        Integer.toHexString(yaml.get().hashCode()), yaml.get())), Clock.systemUTC(), 0);
    registry = new StreamSockets(env -> catalog.runtime(env), timers, Clock.systemUTC());
    StreamSettings settings = new StreamSettings(3, 4, 10_000, 64, 1_000_000, 1024, Duration.ofSeconds(25),
        Duration.ofMillis(250));
    services = new SocketServices(new LensAccess(null, RateLimiter.unlimited(), catalog), hub,
        (env, lens, id) -> Optional.ofNullable(index.get(id)), settings, new ClientFrames(), new ServerFrames(JSON),
        new FilterMatchers(), new KeyCounts(settings.maxSubscriptionsPerKey()), Clock.systemUTC(), timers);
    socket = open("key1");
  }

  StreamSocket open(String keyId) {
    StreamSocket s = new StreamSocket(new Principal(keyId, KeyType.PK, "org", ENV, Set.of()), Optional.empty(), services,
        wire, registry);
    registry.add(s);
    return s;
  }

  @AfterEach
  void stop() {
    timers.shutdownNow();
    catalog.close();
  }

  List<JsonNode> frames() {
    List<JsonNode> out = new ArrayList<>();
    for (String s : wire.written()) {
      try {
        out.add(JSON.readTree(s));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  JsonNode last() {
    List<JsonNode> f = frames();
    return f.get(f.size() - 1);
  }

  void send(String text) {
    socket.onText(text);
  }

  static Map<String, Object> row(long id, String category) {
    return FakeHub.row("id", id, "title", "t" + id, "category", category, "price", new BigDecimal("1.50"));
  }

  void upsert(long id, Optional<Map<String, Object>> before, Map<String, Object> after) {
    hub.changed(ChangeEvent.upsert(ENV, "products", Long.toString(id), before, after));
  }

  @Test
  void badFrames_getErrorFrames_andOtherSubscriptionsKeepReceiving() {
    send("{\"op\":\"subscribe\",\"id\":\"s1\",\"lens\":\"products\"}");
    send("{oops");
    assertThat(last().path("code").asText()).isEqualTo("invalid_json");
    send("{\"op\":\"explode\",\"id\":\"x\"}");
    assertThat(last().path("code").asText()).isEqualTo("unknown_op");
    assertThat(last().path("id").asText()).isEqualTo("x");
    send("{\"op\":\"subscribe\",\"id\":\"s1\",\"lens\":\"products\"}");
    assertThat(last().path("code").asText()).isEqualTo("duplicate_subscription");
    send("{\"op\":\"subscribe\",\"id\":\"s2\",\"lens\":\"nope\"}");
    assertThat(last().path("code").asText()).isEqualTo("lens_not_found");
    send("{\"op\":\"subscribe\",\"id\":\"s3\",\"lens\":\"closedlens\"}");
    assertThat(last().path("code").asText()).isEqualTo("operation_not_granted");
    send("{\"op\":\"subscribe\",\"id\":\"s4\",\"lens\":\"products\",\"where\":{\"nosuch\":1}}");
    assertThat(last().path("code").asText()).isEqualTo("unknown_field");
    send("{\"op\":\"subscribe\",\"id\":\"s5\",\"lens\":\"products\",\"where\":{\"price\":{\"$regex\":\"x\"}}}");
    assertThat(last().path("code").asText()).isEqualTo("unsupported_operator");
    send("{\"op\":\"subscribe\",\"id\":\"s6\",\"lens\":\"products\",\"where\":{\"price\":{\"$gt\":\"abc\"}}}");
    assertThat(last().path("code").asText()).isEqualTo("invalid_request");
    send("{\"op\":\"unsubscribe\",\"id\":\"ghost\"}");
    assertThat(last().path("code").asText()).isEqualTo("subscription_not_found");
    send("x".repeat(2000));
    assertThat(last().path("code").asText()).isEqualTo("frame_too_large");
    socket.onBinary();
    assertThat(last().path("code").asText()).isEqualTo("invalid_request");
    assertThat(frames()).allSatisfy(f -> assertThat(f.path("type").asText()).isEqualTo("error"));

    upsert(1, Optional.empty(), row(1, "a"));
    assertThat(last().path("type").asText()).isEqualTo("event");
    assertThat(last().path("id").asText()).isEqualTo("s1");
    assertThat(socket.isClosed()).isFalse();
    assertThat(wire.closedStatus()).isNull();
    assertThat(hub.live()).isEqualTo(1);
  }

  @Test
  void events_areShaped_declaredFieldsOnly_andDeleteRevealsOnlyTheKey() {
    send("{\"op\":\"subscribe\",\"id\":\"s\",\"lens\":\"products\",\"where\":{\"category\":\"a\"}}");
    Map<String, Object> withExtra = row(1, "a");
    withExtra.put("internal_note", "SENTINEL");
    upsert(1, Optional.empty(), withExtra);
    JsonNode insert = last();
    assertThat(insert.path("kind").asText()).isEqualTo("insert");
    assertThat(insert.path("record").path("id").asLong()).isEqualTo(1);
    assertThat(insert.path("record").path("price").decimalValue()).isEqualByComparingTo("1.50");
    assertThat(insert.path("record").has("internal_note")).isFalse();
    upsert(1, Optional.of(row(1, "a")), row(1, "a"));
    assertThat(last().path("kind").asText()).isEqualTo("update");
    upsert(2, Optional.empty(), row(2, "b"));
    assertThat(frames()).hasSize(2);
    // Leaving the where is a delete carrying the primary key only.
    upsert(1, Optional.of(row(1, "a")), row(1, "b"));
    JsonNode leave = last();
    assertThat(leave.path("kind").asText()).isEqualTo("delete");
    assertThat(fieldNames(leave.path("record"))).containsExactly("id");
    hub.changed(ChangeEvent.delete(ENV, "products", "2", row(2, "b")));
    assertThat(frames()).hasSize(3);
  }

  @Test
  void unsubscribe_endsDelivery_withClosedUnsubscribed() {
    send("{\"op\":\"subscribe\",\"id\":\"s\",\"lens\":\"products\"}");
    send("{\"op\":\"unsubscribe\",\"id\":\"s\"}");
    assertThat(last().path("type").asText()).isEqualTo("closed");
    assertThat(last().path("code").asText()).isEqualTo("unsubscribed");
    int before = frames().size();
    upsert(1, Optional.empty(), row(1, "a"));
    assertThat(frames()).hasSize(before);
    // The id is free again.
    send("{\"op\":\"subscribe\",\"id\":\"s\",\"lens\":\"products\"}");
    assertThat(frames()).hasSize(before);
    assertThat(hub.live()).isEqualTo(1);
  }

  @Test
  void caps_perSocketAndPerKey_refuseWithTooManySubscriptions() {
    for (int i = 0; i < 3; i++) {
      send("{\"op\":\"subscribe\",\"id\":\"a" + i + "\",\"lens\":\"products\"}");
    }
    send("{\"op\":\"subscribe\",\"id\":\"a3\",\"lens\":\"products\"}");
    assertThat(last().path("code").asText()).isEqualTo("too_many_subscriptions");
    StreamSocket second = open("key1");
    second.onText("{\"op\":\"subscribe\",\"id\":\"b0\",\"lens\":\"products\"}");
    int before = frames().size();
    second.onText("{\"op\":\"subscribe\",\"id\":\"b1\",\"lens\":\"products\"}");
    assertThat(last().path("code").asText()).isEqualTo("too_many_subscriptions");
    assertThat(frames()).hasSize(before + 1);
    assertThat(services.keyCounts().count("key1")).isEqualTo(4);
    // Another key is not affected, and closing a socket gives its slots back.
    StreamSocket other = open("key2");
    other.onText("{\"op\":\"subscribe\",\"id\":\"c0\",\"lens\":\"products\"}");
    socket.disposed();
    assertThat(services.keyCounts().count("key1")).isEqualTo(1);
    assertThat(hub.live()).isEqualTo(2);
  }

  @Test
  void lensMaxLiveSubscriptions_capsTheLensAcrossKeys() {
    yaml.set(config("public").replace("      price: { type: number }\n", "      price: { type: number }\n    maxLiveSubscriptions: 2\n"));
    catalog.refresh();
    send("{\"op\":\"subscribe\",\"id\":\"a\",\"lens\":\"products\"}");
    StreamSocket other = open("key2");
    other.onText("{\"op\":\"subscribe\",\"id\":\"b\",\"lens\":\"products\"}");
    assertThat(frames()).isEmpty();
    other.onText("{\"op\":\"subscribe\",\"id\":\"c\",\"lens\":\"products\"}");
    assertThat(last().path("code").asText()).isEqualTo("too_many_subscriptions");
    assertThat(last().path("id").asText()).isEqualTo("c");
    assertThat(hub.live()).isEqualTo(2);
    send("{\"op\":\"unsubscribe\",\"id\":\"a\"}");
    other.onText("{\"op\":\"subscribe\",\"id\":\"c\",\"lens\":\"products\"}");
    assertThat(hub.live()).isEqualTo(2);
  }

  @Test
  void observe_sendsCurrentRecordFirst_thenItsEvents_andNullForAbsentOrHidden() {
    index.put("7", row(7, "a"));
    index.put("8", row(8, "b"));
    send("{\"op\":\"observe\",\"id\":\"o7\",\"lens\":\"products\",\"recordId\":\"7\"}");
    assertThat(last().path("type").asText()).isEqualTo("record");
    assertThat(last().path("record").path("title").asText()).isEqualTo("t7");
    send("{\"op\":\"observe\",\"id\":\"o9\",\"lens\":\"products\",\"recordId\":9}");
    assertThat(last().path("record").isNull()).isTrue();
    send("{\"op\":\"observe\",\"id\":\"bad\",\"lens\":\"products\",\"recordId\":\"not-a-number\"}");
    assertThat(last().path("type").asText()).isEqualTo("error");
    assertThat(last().path("id").asText()).isEqualTo("bad");
    assertThat(last().path("code").asText()).isEqualTo("invalid_request");
    assertThat(last().path("message").asText()).doesNotContain("not-a-number");
    upsert(8, Optional.of(row(8, "b")), row(8, "b"));
    upsert(7, Optional.of(row(7, "a")), row(7, "c"));
    assertThat(last().path("id").asText()).isEqualTo("o7");
    assertThat(last().path("kind").asText()).isEqualTo("update");
    assertThat(frames()).hasSize(4);
  }

  @Test
  void configPush_removingTheGrant_closesWithGrantRemoved_andLensGone_closesWithLensNotFound() {
    send("{\"op\":\"subscribe\",\"id\":\"s\",\"lens\":\"products\"}");
    yaml.set(config("authenticated"));
    catalog.refresh();
    registry.watchConfigs();
    assertThat(last().path("type").asText()).isEqualTo("closed");
    assertThat(last().path("id").asText()).isEqualTo("s");
    assertThat(last().path("code").asText()).isEqualTo("grant_removed");
    assertThat(hub.live()).isZero();

    yaml.set(config("public"));
    catalog.refresh();
    registry.watchConfigs();
    send("{\"op\":\"subscribe\",\"id\":\"t\",\"lens\":\"products\"}");
    yaml.set(BASE.replace("  products:", "  renamed:"));
    catalog.refresh();
    registry.watchConfigs();
    assertThat(last().path("code").asText()).isEqualTo("lens_not_found");
    assertThat(socket.isClosed()).isFalse();
  }

  @Test
  void close_dropsQueued_sendsClosed_andStopsDelivery() {
    send("{\"op\":\"subscribe\",\"id\":\"s\",\"lens\":\"products\"}");
    registry.closeKey("key1");
    assertThat(last().path("type").asText()).isEqualTo("closed");
    assertThat(last().has("id")).isFalse();
    assertThat(last().path("code").asText()).isEqualTo("key_revoked");
    assertThat(wire.closedStatus()).isEqualTo(1008);
    int before = frames().size();
    upsert(1, Optional.empty(), row(1, "a"));
    assertThat(frames()).hasSize(before);
    assertThat(hub.live()).isZero();
    assertThat(registry.open()).isZero();
  }

  @Test
  void rotationWithGrace_closesWhenTheGraceEnds_andRunnerKeyRevocationsAreIgnored() {
    send("{\"op\":\"subscribe\",\"id\":\"s\",\"lens\":\"products\"}");
    registry.onRevoked(new KeyRevocation("key1", KeyType.RK, java.time.Instant.now()));
    registry.onRevoked(new KeyRevocation("other-key", KeyType.PK, java.time.Instant.now()));
    registry.onRevoked(new KeyRevocation("key1", KeyType.PK, java.time.Instant.now().plusMillis(300)));
    assertThat(socket.isClosed()).isFalse();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (wire.closedStatus() == null && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(socket.isClosed()).isTrue();
    assertThat(wire.closedStatus()).isEqualTo(1008);
    assertThat(last().path("code").asText()).isEqualTo("key_revoked");
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
