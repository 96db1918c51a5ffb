package dev.lensgate.server.stream;

import static dev.lensgate.server.stream.StreamClient.type;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.config.ConfigLoader;
import dev.lensgate.core.config.LensConfig;
import dev.lensgate.core.crypto.MasterKeys;
import dev.lensgate.core.keys.KeyHasher;
import dev.lensgate.core.keys.KeyRevocations;
import dev.lensgate.core.keys.PartnerSecretHasher;
import dev.lensgate.server.index.IndexRecord;
import dev.lensgate.server.store.ApiKeyService;
import java.time.Clock;
import dev.lensgate.server.sync.ChangeListener.ChangeEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5's acceptance on a real gateway over real WebSockets: two users with different rule
 * filters on one lens each receive exactly their rows' events (randomized), nothing after their
 * key is revoked (latency measured), token expiry, observe from the index, environment isolation
 * and a config push that narrows or removes the grant.
 */
class StreamGatewayTest {
  static final Duration WAIT = Duration.ofSeconds(30);
  static final String RULE = "has(claims.owner) ? {'filter': {'owner': claims.owner}} : false";
  static final String NARROWED = "has(claims.owner) ? {'filter': {'owner': claims.owner, 'status': 'open'}} : false";

  @TempDir static Path dir;
  static StreamGateway gw;
  static String envA;
  static String envB;

  static String yaml(String subscribeGrant) {
    return "stack: lensgate/v1\n"
        + "defaults:\n  grants: strict\n"
        + "sources:\n  main: { type: h2 }\n"
        + "lenses:\n"
        + "  orders:\n"
        + "    source: main\n"
        + "    table: orders\n"
        + "    primaryKey: id\n"
        + "    fields:\n"
        + "      id: { type: integer }\n"
        + "      owner: { type: string }\n"
        + "      status: { type: string }\n"
        + "      amount: { type: integer }\n"
        + (subscribeGrant == null ? "" : "    grants:\n      subscribe:\n        authenticated: true\n        rule: \"" + subscribeGrant + "\"\n");
  }

  @BeforeAll
  static void start() {
    gw = new StreamGateway(dir, Map.of());
    envA = gw.defaultEnv();
    envB = gw.createEnv("other");
    gw.push(envA, yaml(RULE) + gw.authYaml());
    gw.push(envB, yaml(RULE) + gw.authYaml());
  }

  @AfterAll
  static void stop() {
    if (gw != null) {
      gw.close();
    }
  }

  static Map<String, Object> row(long id, String owner, String status, long amount) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("id", id);
    r.put("owner", owner);
    r.put("status", status);
    r.put("amount", amount);
    return r;
  }

  /** A random insert/update/delete over {@code ids} records, applied to {@code model}. */
  static ChangeEvent randomChange(Random rnd, String env, Map<Long, Map<String, Object>> model, long firstId, int ids) {
    long id = firstId + rnd.nextInt(ids);
    String[] owners = {"a", "b", "c"};
    String[] statuses = {"open", "closed"};
    Map<String, Object> before = model.get(id);
    if (before != null && rnd.nextInt(6) == 0) {
      model.remove(id);
      return ChangeEvent.delete(env, "orders", Long.toString(id), before);
    }
    Map<String, Object> after = row(id, before != null && rnd.nextBoolean() ? (String) before.get("owner") : owners[rnd.nextInt(3)],
        statuses[rnd.nextInt(2)], rnd.nextInt(100));
    model.put(id, after);
    return ChangeEvent.upsert(env, "orders", Long.toString(id), Optional.ofNullable(before), after);
  }

  /** subscription id → record id → kinds, as the contract says each subscriber sees the changes. */
  static void expect(Map<String, Map<String, List<String>>> out, String sub, Predicate<Map<String, Object>> visible,
      ChangeEvent c) {
    boolean before = c.before().map(visible::test).orElse(false);
    boolean after = c.after().map(visible::test).orElse(false);
    String kind = before && after ? "update" : after ? "insert" : before ? "delete" : null;
    if (kind != null) {
      out.computeIfAbsent(sub, k -> new HashMap<>()).computeIfAbsent(c.id(), k -> new ArrayList<>()).add(kind);
    }
  }

  static int count(Map<String, Map<String, List<String>>> m) {
    return m.values().stream().flatMap(x -> x.values().stream()).mapToInt(List::size).sum();
  }

  /** Reads event frames until {@code expected} arrived; returns them grouped like {@link #expect}. */
  static Map<String, Map<String, List<String>>> receive(StreamClient c, int expected, List<JsonNode> all) {
    Map<String, Map<String, List<String>>> got = new HashMap<>();
    for (int i = 0; i < expected; i++) {
      JsonNode f = c.next(WAIT);
      all.add(f);
      assertThat(f.path("type").asText()).as("frame %s", f).isEqualTo("event");
      got.computeIfAbsent(f.path("id").asText(), k -> new HashMap<>())
          .computeIfAbsent(f.path("record").path("id").asText(), k -> new ArrayList<>()).add(f.path("kind").asText());
    }
    return got;
  }

  @Test
  void twoUsers_differentRuleFilters_eachReceiveExactlyTheirRowsEvents_andNoneAfterRevocation() {
    StreamGateway.Key keyA = gw.mint(KeyType.PK, envA);
    StreamGateway.Key keyB = gw.mint(KeyType.PK, envA);
    try (StreamClient alice = StreamClient.connect(gw.port(), keyA.plaintext(), gw.token("alice", Map.of("owner", "a")));
        StreamClient bob = StreamClient.connect(gw.port(), keyB.plaintext(), gw.token("bob", Map.of("owner", "b")))) {
      alice.subscribe("all", "orders", null);
      alice.subscribe("big", "orders", "{\"amount\":{\"$gte\":50}}");
      bob.subscribe("all", "orders", null);
      awaitLive(keyA.id(), 2);
      awaitLive(keyB.id(), 1);

      Random rnd = new Random();
      long seed = rnd.nextLong();
      rnd = new Random(seed);
      Map<Long, Map<String, Object>> model = new HashMap<>();
      Map<String, Map<String, List<String>>> expectA = new HashMap<>();
      Map<String, Map<String, List<String>>> expectB = new HashMap<>();
      for (int i = 0; i < 4_000; i++) {
        ChangeEvent c = randomChange(rnd, envA, model, 1, 150);
        gw.change(c);
        expect(expectA, "all", r -> "a".equals(r.get("owner")), c);
        expect(expectA, "big", r -> "a".equals(r.get("owner")) && (Long) r.get("amount") >= 50, c);
        expect(expectB, "all", r -> "b".equals(r.get("owner")), c);
      }
      gw.drained();
      List<JsonNode> aliceFrames = new ArrayList<>();
      List<JsonNode> bobFrames = new ArrayList<>();
      assertThat(receive(alice, count(expectA), aliceFrames)).as("seed %s", seed).isEqualTo(expectA);
      assertThat(receive(bob, count(expectB), bobFrames)).as("seed %s", seed).isEqualTo(expectB);
      assertThat(count(expectA)).isGreaterThan(1_000);
      assertThat(count(expectB)).isGreaterThan(1_000);
      // Declared fields only, always their own rows; a delete shows the key alone.
      for (JsonNode f : aliceFrames) {
        if (f.path("kind").asText().equals("delete")) {
          assertThat(f.path("record").size()).isEqualTo(1);
        } else {
          assertThat(f.path("record").path("owner").asText()).isEqualTo("a");
          assertThat(f.path("record").size()).isEqualTo(4);
        }
      }

      // Revoke Alice's key: closed{key_revoked} well within 1 s, then nothing more for her.
      long t0 = System.nanoTime();
      gw.gateway().keys().revoke(keyA.id());
      JsonNode closed = alice.await(type("closed"), WAIT);
      long latencyMicros = (System.nanoTime() - t0) / 1_000;
      System.out.println("stream revocation latency: " + latencyMicros + " µs");
      assertThat(closed.path("code").asText()).isEqualTo("key_revoked");
      assertThat(closed.has("id")).isFalse();
      assertThat(latencyMicros).as("revocation latency").isLessThan(1_000_000);
      assertThat(alice.awaitClosed(WAIT)).isIn(1008, -1);

      Map<String, Map<String, List<String>>> moreB = new HashMap<>();
      for (int i = 0; i < 500; i++) {
        ChangeEvent c = randomChange(rnd, envA, model, 1, 150);
        gw.change(c);
        expect(moreB, "all", r -> "b".equals(r.get("owner")), c);
      }
      gw.drained();
      assertThat(receive(bob, count(moreB), new ArrayList<>())).isEqualTo(moreB);
      assertThat(alice.drain()).noneMatch(type("event"));
      assertThat(gw.gateway().streamEndpoint().openSockets(keyA.id())).isZero();
      assertThat(gw.gateway().streamEndpoint().subscriptions(keyA.id())).isZero();
    }
  }

  @Test
  void revocationByAnotherProcess_reachesTheSocketThroughTheRevocationPoll_underOneSecond() {
    StreamGateway.Key key = gw.mint(KeyType.PK, envA);
    // Another process's key service: same store, but its revocations are not published to this gateway.
    ApiKeyService elsewhere = new ApiKeyService(gw.gateway().store().dataSource(),
        new KeyHasher(MasterKeys.load(dir.resolve("data"), Map.of())), PartnerSecretHasher.bcrypt(), new KeyRevocations(),
        Clock.systemUTC());
    try (StreamClient c = StreamClient.connect(gw.port(), key.plaintext(), gw.token("u", Map.of("owner", "a")))) {
      c.subscribe("s", "orders", null);
      awaitLive(key.id(), 1);
      long t0 = System.nanoTime();
      elsewhere.revoke(key.id());
      JsonNode closed = c.await(type("closed"), WAIT);
      long latencyMillis = (System.nanoTime() - t0) / 1_000_000;
      System.out.println("stream revocation latency through the poll: " + latencyMillis + " ms");
      assertThat(closed.path("code").asText()).isEqualTo("key_revoked");
      assertThat(latencyMillis).as("revocation latency").isLessThan(1_000);
    }
  }

  @Test
  void rotationWithoutGrace_closesWithKeyRevoked() {
    StreamGateway.Key key = gw.mint(KeyType.PK, envA);
    try (StreamClient c = StreamClient.connect(gw.port(), key.plaintext(), gw.token("u", Map.of("owner", "a")))) {
      c.subscribe("s", "orders", null);
      awaitLive(key.id(), 1);
      gw.gateway().keys().rotate(key.id(), Optional.empty());
      assertThat(c.await(type("closed"), WAIT).path("code").asText()).isEqualTo("key_revoked");
    }
  }

  @Test
  void userTokenExpiry_closesItsSubscriptions_withTokenExpired() {
    StreamGateway.Key key = gw.mint(KeyType.PK, envA);
    String shortToken = gw.tokenValidFor("short", Map.of("owner", "a"), Duration.ofSeconds(3));
    try (StreamClient c = StreamClient.connect(gw.port(), key.plaintext(), shortToken)) {
      c.subscribe("s", "orders", null);
      c.subscribe("t", "orders", "{\"status\":\"open\"}");
      awaitLive(key.id(), 2);
      gw.change(ChangeEvent.upsert(envA, "orders", "90001", Optional.empty(), row(90001, "a", "closed", 1)));
      assertThat(c.await(type("event"), WAIT).path("id").asText()).isEqualTo("s");
      List<String> closedIds = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        JsonNode f = c.await(type("closed"), WAIT);
        assertThat(f.path("code").asText()).isEqualTo("token_expired");
        closedIds.add(f.path("id").asText());
      }
      assertThat(closedIds).containsExactlyInAnyOrder("s", "t");
      assertThat(gw.gateway().streamEndpoint().subscriptions(key.id())).isZero();
      // The subscriptions ended, not the socket: the client is told why and may reconnect with a new token.
      assertThat(c.isClosed()).isFalse();
      c.subscribe("again", "orders", null);
      assertThat(c.await(type("error"), WAIT).path("code").asText()).isEqualTo("invalid_user_token");
    }
  }

  @Test
  void observe_sendsTheIndexedRecordFirst_nullWhenAbsentOrNotVisible_thenItsEvents() {
    LensConfig orders = ConfigLoader.parse(yaml(RULE), "t.yaml").config().orElseThrow().lens("orders").orElseThrow();
    gw.gateway().indexes().writer(envA, orders).upsert(List.of(
        new IndexRecord("70001", row(70001, "a", "open", 5), "", Optional.empty(), "h1"),
        new IndexRecord("70002", row(70002, "b", "open", 6), "", Optional.empty(), "h2")));
    StreamGateway.Key key = gw.mint(KeyType.PK, envA);
    try (StreamClient c = StreamClient.connect(gw.port(), key.plaintext(), gw.token("alice", Map.of("owner", "a")))) {
      c.observe("mine", "orders", "70001");
      JsonNode mine = c.next(WAIT);
      assertThat(mine.path("type").asText()).isEqualTo("record");
      assertThat(mine.path("record").path("amount").asLong()).isEqualTo(5);
      c.observe("theirs", "orders", "70002");
      JsonNode theirs = c.next(WAIT);
      c.observe("absent", "orders", "70003");
      JsonNode absent = c.next(WAIT);
      // Not visible and absent are the same answer.
      assertThat(theirs.path("record").isNull()).isTrue();
      assertThat(absent.path("record").isNull()).isTrue();
      assertThat(theirs.toString().replace("\"theirs\"", "X")).isEqualTo(absent.toString().replace("\"absent\"", "X"));

      gw.change(ChangeEvent.upsert(envA, "orders", "70002", Optional.of(row(70002, "b", "open", 6)), row(70002, "b", "open", 7)));
      gw.change(ChangeEvent.upsert(envA, "orders", "70001", Optional.of(row(70001, "a", "open", 5)), row(70001, "a", "open", 9)));
      JsonNode e = c.next(WAIT);
      assertThat(e.path("id").asText()).isEqualTo("mine");
      assertThat(e.path("kind").asText()).isEqualTo("update");
      assertThat(e.path("record").path("amount").asLong()).isEqualTo(9);
    }
  }

  @Test
  void environments_areIsolated() {
    StreamGateway.Key keyA = gw.mint(KeyType.PK, envA);
    StreamGateway.Key keyB = gw.mint(KeyType.PK, envB);
    try (StreamClient a = StreamClient.connect(gw.port(), keyA.plaintext(), gw.token("a", Map.of("owner", "a")));
        StreamClient b = StreamClient.connect(gw.port(), keyB.plaintext(), gw.token("a", Map.of("owner", "a")))) {
      a.subscribe("s", "orders", null);
      b.subscribe("s", "orders", null);
      awaitLive(keyA.id(), 1);
      awaitLive(keyB.id(), 1);
      gw.change(ChangeEvent.upsert(envA, "orders", "80001", Optional.empty(), row(80001, "a", "open", 1)));
      gw.change(ChangeEvent.upsert(envB, "orders", "80002", Optional.empty(), row(80002, "a", "open", 2)));
      gw.drained();
      assertThat(a.next(WAIT).path("record").path("id").asLong()).isEqualTo(80001);
      assertThat(b.next(WAIT).path("record").path("id").asLong()).isEqualTo(80002);
      gw.change(ChangeEvent.upsert(envA, "orders", "80003", Optional.empty(), row(80003, "a", "open", 3)));
      gw.drained();
      assertThat(a.next(WAIT).path("record").path("id").asLong()).isEqualTo(80003);
      assertThat(b.drain()).isEmpty();
    }
  }

  @Test
  void configPush_narrowingTheRule_refilters_andRemovingTheGrant_closesWithGrantRemoved() {
    String env = gw.createEnv("narrowing");
    gw.push(env, yaml(RULE) + gw.authYaml());
    StreamGateway.Key key = gw.mint(KeyType.PK, env);
    try (StreamClient c = StreamClient.connect(gw.port(), key.plaintext(), gw.token("a", Map.of("owner", "a")))) {
      c.subscribe("s", "orders", null);
      awaitLive(key.id(), 1);
      gw.push(env, yaml(NARROWED) + gw.authYaml());
      // Same record: open → closed → open. The old filter shows three updates; the narrowed one
      // shows the record leave (delete) and come back (insert). Repeat until the push is applied.
      long deadline = System.nanoTime() + WAIT.toNanos();
      List<String> kinds;
      long id = 60000;
      do {
        id++;
        gw.change(ChangeEvent.upsert(env, "orders", Long.toString(id), Optional.empty(), row(id, "a", "open", 1)));
        gw.change(ChangeEvent.upsert(env, "orders", Long.toString(id), Optional.of(row(id, "a", "open", 1)), row(id, "a", "closed", 1)));
        gw.change(ChangeEvent.upsert(env, "orders", Long.toString(id), Optional.of(row(id, "a", "closed", 1)), row(id, "a", "open", 1)));
        kinds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          kinds.add(c.next(WAIT).path("kind").asText());
        }
      } while (!kinds.equals(List.of("insert", "delete", "insert")) && System.nanoTime() < deadline);
      assertThat(kinds).containsExactly("insert", "delete", "insert");

      gw.push(env, yaml(null) + gw.authYaml());
      JsonNode closed = c.await(type("closed"), WAIT);
      assertThat(closed.path("id").asText()).isEqualTo("s");
      assertThat(closed.path("code").asText()).isEqualTo("grant_removed");
      assertThat(gw.gateway().streamEndpoint().subscriptions(key.id())).isZero();
    }
  }

  static void awaitLive(String keyId, int subscriptions) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (gw.gateway().streamEndpoint().subscriptions(keyId) < subscriptions) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("subscriptions of " + keyId + " not live");
      }
      Thread.onSpinWait();
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
