package dev.lensgate.server.clientstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lensgate.client.ChangeEvent;
import dev.lensgate.client.CloseReason;
import dev.lensgate.client.LensgateClient;
import dev.lensgate.client.Row;
import dev.lensgate.client.Subscription;
import dev.lensgate.client.SubscriptionListener;
import dev.lensgate.client.Where;
import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.jwt.DevIssuer;
import dev.lensgate.server.Gateway;
import dev.lensgate.server.GatewaySettings;
import dev.lensgate.server.http.HttpSettings;
import dev.lensgate.server.sync.ChangeListener;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java client's {@code subscribe}/{@code observe} against the real {@code /v1/stream}: the
 * two sides of CONTRACT §6 agree on frames, auth headers, per-subscription errors and the final
 * close reasons (a revoked key, a refused upgrade).
 */
class JavaClientStreamEndToEndTest {
  static final long WAIT_SECONDS = 30;
  static final String ISSUER = "https://idp.client-stream.lensgate.test";
  static final String AUDIENCE = "lensgate-client-stream";

  @TempDir static Path dir;
  static final ShiftedClock issuerClock = new ShiftedClock();
  static Gateway gateway;
  static DevIssuer issuer;
  static String env;
  static String url;

  @BeforeAll
  static void start() throws Exception {
    GatewaySettings settings = new GatewaySettings(dir.resolve("data"), HttpSettings.plain("127.0.0.1", 0), Map.of(),
        0, 0, Duration.ZERO, "client-stream-test");
    gateway = Gateway.start(settings, Clock.systemUTC());
    issuer = DevIssuer.generate(ISSUER, AUDIENCE, issuerClock);
    Path jwks = dir.resolve("jwks.json");
    issuer.writeJwks(jwks);
    env = gateway.store().defaultEnvironment().id();
    String yaml = "stack: lensgate/v1\n"
        + "defaults:\n  grants: strict\n"
        + "sources:\n  main: { type: h2 }\n"
        + "lenses:\n  orders:\n    source: main\n    table: orders\n    primaryKey: id\n"
        + "    fields:\n      id: { type: integer }\n      owner: { type: string }\n      amount: { type: integer }\n"
        + "    grants:\n      subscribe:\n        authenticated: true\n"
        + "        rule: \"has(claims.owner) ? {'filter': {'owner': claims.owner}} : false\"\n"
        + "auth:\n  jwt:\n    jwksFile: " + jwks.toAbsolutePath() + "\n    issuer: " + ISSUER + "\n    audience: " + AUDIENCE + "\n";
    gateway.configs().push(env, yaml);
    gateway.refreshConfigs();
    url = "http://127.0.0.1:" + gateway.port();
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  /** The issuer's clock, set back to mint a token that is about to expire. */
  static final class ShiftedClock extends Clock {
    private volatile Duration shift = Duration.ZERO;

    void shift(Duration d) {
      shift = d;
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public java.time.Instant instant() {
      return java.time.Instant.now().plus(shift);
    }
  }

  /** Every callback, in order. */
  static final class Recording implements SubscriptionListener {
    final BlockingQueue<Object> calls = new LinkedBlockingQueue<>();

    @Override public void onEvent(ChangeEvent event) { calls.add(event); }

    @Override public void onRecord(Optional<Row> record) { calls.add(record); }

    @Override public void onClosed(CloseReason reason) { calls.add(reason); }

    <T> T next(Class<T> type) throws InterruptedException {
      Object o = calls.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(o).as("callback").isInstanceOf(type);
      return type.cast(o);
    }
  }

  static Map<String, Object> row(long id, String owner, long amount) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("id", id);
    r.put("owner", owner);
    r.put("amount", amount);
    return r;
  }

  static void upsert(Map<String, Object> before, Map<String, Object> after) {
    gateway.streamHub().changed(ChangeListener.ChangeEvent.upsert(env, "orders", after.get("id").toString(),
        Optional.ofNullable(before), after));
  }

  static void awaitLive(String keyId, int subscriptions) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (gateway.streamEndpoint().subscriptions(keyId) < subscriptions) {
      assertThat(System.nanoTime()).as("subscriptions live").isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  @Test
  void subscribe_receivesOnlyItsRuleAndWhereRows_thenKeyRevocationIsFinal() throws Exception {
    var created = gateway.keys().create(KeyType.PK, env, "client-stream", Set.of());
    try (LensgateClient client = LensgateClient.builder().baseUrl(url).apiKey(created.plaintext().revealUtf8()).build()) {
      LensgateClient alice = client.withUser(issuer.mint("alice", Map.of("owner", "a"), Duration.ofHours(1)));
      Recording big = new Recording();
      Recording all = new Recording();
      Subscription bigSub = alice.subscribe("orders", Where.gte("amount", 50), big);
      alice.subscribe("orders", all);
      awaitLive(created.id(), 2);

      upsert(null, row(1, "a", 10));   // alice's, small
      upsert(null, row(2, "b", 90));   // bob's: never reaches alice
      upsert(null, row(3, "a", 70));   // alice's, big
      upsert(row(3, "a", 70), row(3, "a", 20)); // leaves "big"

      ChangeEvent first = all.next(ChangeEvent.class);
      assertThat(first.kind()).isEqualTo(ChangeEvent.Kind.INSERT);
      assertThat(first.record().getLong("id")).isEqualTo(1L);
      assertThat(all.next(ChangeEvent.class).record().getLong("id")).isEqualTo(3L);
      assertThat(all.next(ChangeEvent.class).kind()).isEqualTo(ChangeEvent.Kind.UPDATE);
      ChangeEvent bigInsert = big.next(ChangeEvent.class);
      assertThat(bigInsert.record().getLong("amount")).isEqualTo(70L);
      ChangeEvent left = big.next(ChangeEvent.class);
      assertThat(left.kind()).isEqualTo(ChangeEvent.Kind.DELETE);
      assertThat(left.record().asMap()).containsOnlyKeys("id");

      gateway.keys().revoke(created.id());
      CloseReason reason = big.next(CloseReason.class);
      assertThat(reason.code()).isEqualTo("key_revoked");
      assertThat(reason.retryable()).isFalse();
      assertThat(all.next(CloseReason.class).code()).isEqualTo("key_revoked");
      assertThat(bigSub.isOpen()).isFalse();
    }
  }

  @Test
  void badWhere_andUnknownLens_failOnlyTheirSubscription() throws Exception {
    var created = gateway.keys().create(KeyType.PK, env, "client-stream", Set.of());
    try (LensgateClient client = LensgateClient.builder().baseUrl(url).apiKey(created.plaintext().revealUtf8()).build()) {
      LensgateClient bob = client.withUser(issuer.mint("bob", Map.of("owner", "b"), Duration.ofHours(1)));
      Recording good = new Recording();
      Recording badField = new Recording();
      Recording noLens = new Recording();
      bob.subscribe("orders", good);
      bob.subscribe("orders", Where.eq("nosuchfield", 1), badField);
      bob.subscribe("nolens", noLens);

      CloseReason field = badField.next(CloseReason.class);
      assertThat(field.code()).isEqualTo("unknown_field");
      assertThat(field.retryable()).isFalse();
      assertThat(noLens.next(CloseReason.class).code()).isEqualTo("lens_not_found");

      awaitLive(created.id(), 1);
      upsert(null, row(20, "b", 5));
      assertThat(good.next(ChangeEvent.class).record().getLong("id")).isEqualTo(20L);
    }
  }

  @Test
  void observe_deliversCurrentStateThenChanges() throws Exception {
    var created = gateway.keys().create(KeyType.PK, env, "client-stream", Set.of());
    try (LensgateClient client = LensgateClient.builder().baseUrl(url).apiKey(created.plaintext().revealUtf8()).build()) {
      LensgateClient carol = client.withUser(issuer.mint("carol", Map.of("owner", "c"), Duration.ofHours(1)));
      Recording watch = new Recording();
      carol.observe("orders", 30, watch);
      @SuppressWarnings("unchecked")
      Optional<Row> current = watch.next(Optional.class);
      assertThat(current).isEmpty(); // never indexed
      awaitLive(created.id(), 1);
      upsert(null, row(31, "c", 1)); // another record: not observed
      upsert(null, row(30, "c", 2));
      ChangeEvent e = watch.next(ChangeEvent.class);
      assertThat(e.record().getLong("id")).isEqualTo(30L);
      assertThat(e.kind()).isEqualTo(ChangeEvent.Kind.INSERT);
    }
  }

  @Test
  void expiringUserToken_endsTheStreamWithTokenExpired_andNoRetry() throws Exception {
    // Minted ten minutes in the past so that, with the verifier's 60 s skew, it lives ~5 s more.
    String token;
    issuerClock.shift(Duration.ofMinutes(-10));
    try {
      token = issuer.mint("dave", Map.of("owner", "d"), Duration.ofMinutes(10).minusSeconds(60).plusSeconds(5));
    } finally {
      issuerClock.shift(Duration.ZERO);
    }
    var created = gateway.keys().create(KeyType.PK, env, "client-stream", Set.of());
    try (LensgateClient client = LensgateClient.builder().baseUrl(url).apiKey(created.plaintext().revealUtf8()).build()) {
      Recording r = new Recording();
      client.withUser(token).subscribe("orders", r);
      CloseReason reason = r.next(CloseReason.class);
      // Normally the open stream is closed at exp; on a machine slow enough that the token expired
      // before the upgrade, the upgrade is refused instead. Final either way: no reconnect loop.
      assertThat(reason.code()).isIn("token_expired", "invalid_user_token", "http_401");
      assertThat(reason.retryable()).isFalse();
    }
  }

  @Test
  void unknownKey_upgradeRefused_isFinal() throws Exception {
    try (LensgateClient client = LensgateClient.builder().baseUrl(url)
        .apiKey("pk_nosuchkey_0000000000000000000000000000").build()) {
      Recording r = new Recording();
      Subscription s = client.subscribe("orders", r);
      CloseReason reason = r.next(CloseReason.class);
      assertThat(reason.code()).isIn("http_401", "invalid_api_key");
      assertThat(reason.retryable()).isFalse();
      assertThat(s.isOpen()).isFalse();
    }
  }
}
