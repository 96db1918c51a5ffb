package dev.lensgate.client;

import static dev.lensgate.client.Fixtures.API_KEY;
import static dev.lensgate.client.Fixtures.USER_TOKEN;
import static dev.lensgate.client.Fixtures.q;
import static dev.lensgate.client.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code subscribe} / {@code observe} against a scripted {@code /v1/stream} server: frames on the
 * wire, routing by id, reconnect and resubscribe, final close reasons, containment of bad frames
 * and bad listeners. Waits are polls with timeouts; nothing asserts on time.
 */
class LensgateClientStreamTest {
  private final ScriptedStreamServer server = new ScriptedStreamServer();
  private final LensgateClient client = LensgateClient.builder().baseUrl(server.httpUrl()).apiKey(API_KEY)
      .timeout(Duration.ofSeconds(5))
      // Short delays keep reconnect tests quick; a wrong redial would also show up quickly.
      .streamReconnectDelay(Duration.ofMillis(10), Duration.ofMillis(100))
      .build();

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void subscribe_sendsSubscribeFrameWithWhere_keyInHeaderNotUrl() throws Exception {
    Subscription sub = client.subscribe("orders", Where.and(Where.eq("status", "open"), Where.gt("total", 100)),
        new RecordingListener());

    ScriptedStreamServer.Conn conn = server.nextConnection();
    assertThat(conn.header("Authorization")).isEqualTo("Bearer " + API_KEY);
    assertThat(conn.header("X-User-Token")).isNull();
    assertThat(conn.queryString).satisfiesAnyOf(
        qs -> assertThat(qs).isNull(), qs -> assertThat(qs).doesNotContain("SENTINEL").doesNotContain("apiKey"));
    assertThat(conn.next()).isEqualTo(tree(q("{'op':'subscribe','id':'" + sub.id() + "','lens':'orders',"
        + "'where':{'$and':[{'status':{'$eq':'open'}},{'total':{'$gt':100}}]}}")));
    assertThat(sub.isOpen()).isTrue();
    assertThat(sub.lens()).isEqualTo("orders");
    assertThat(sub.toString()).doesNotContain("SENTINEL");
  }

  @Test
  void subscribe_withoutWhere_sendsNoWhere() throws Exception {
    Subscription sub = client.subscribe("orders", new RecordingListener());
    assertThat(server.nextConnection().next())
        .isEqualTo(tree(q("{'op':'subscribe','id':'" + sub.id() + "','lens':'orders'}")));
  }

  @Test
  void events_areDecodedAndRoutedById_onOneSharedSocket() throws Exception {
    RecordingListener a = new RecordingListener();
    RecordingListener b = new RecordingListener();
    Subscription subA = client.subscribe("orders", a);
    Subscription subB = client.subscribe("orders", Where.eq("status", "open"), b);
    ScriptedStreamServer.Conn conn = server.nextConnection();
    conn.next("subscribe");
    conn.next("subscribe");
    assertThat(subA.id()).isNotEqualTo(subB.id());

    conn.send("{'type':'event','id':'" + subB.id() + "','kind':'insert','record':{'id':7,'total':9.90,'status':'open'}}");
    conn.send("{'type':'event','id':'nobody','kind':'insert','record':{'id':8}}");
    conn.send("{'type':'event','id':'" + subA.id() + "','kind':'update','record':{'id':1,'total':3}}");
    conn.send("{'type':'event','id':'" + subA.id() + "','kind':'delete','record':{'id':1}}");

    ChangeEvent first = b.nextEvent();
    assertThat(first.kind()).isEqualTo(ChangeEvent.Kind.INSERT);
    assertThat(first.lens()).isEqualTo("orders");
    assertThat(first.record().getLong("id")).isEqualTo(7L);
    assertThat(first.record().getBigDecimal("total")).isEqualTo(new BigDecimal("9.90"));
    ChangeEvent update = a.nextEvent();
    assertThat(update.kind()).isEqualTo(ChangeEvent.Kind.UPDATE);
    assertThat(update.record().getLong("total")).isEqualTo(3L);
    ChangeEvent delete = a.nextEvent();
    assertThat(delete.kind()).isEqualTo(ChangeEvent.Kind.DELETE);
    assertThat(delete.record().asMap()).containsOnlyKeys("id");
    assertThat(a.calls).isEmpty();
    assertThat(b.calls).isEmpty();
    assertThat(server.connections()).isEqualTo(1);
  }

  @Test
  void observe_sendsRecordId_thenDeliversRecordAndEvents() throws Exception {
    RecordingListener byNumber = new RecordingListener();
    RecordingListener byText = new RecordingListener();
    Subscription n = client.observe("orders", 42, byNumber);
    Subscription t = client.observe("orders", "ord-9", byText);
    ScriptedStreamServer.Conn conn = server.nextConnection();
    assertThat(conn.next()).isEqualTo(tree(q("{'op':'observe','id':'" + n.id() + "','lens':'orders','recordId':42}")));
    assertThat(conn.next()).isEqualTo(tree(q("{'op':'observe','id':'" + t.id() + "','lens':'orders','recordId':'ord-9'}")));

    conn.send("{'type':'record','id':'" + n.id() + "','record':{'id':42,'status':'open'}}");
    conn.send("{'type':'record','id':'" + t.id() + "','record':null}");
    conn.send("{'type':'event','id':'" + n.id() + "','kind':'update','record':{'id':42,'status':'paid'}}");

    Optional<Row> current = byNumber.nextRecord();
    assertThat(current).isPresent();
    assertThat(current.get().getString("status")).isEqualTo("open");
    assertThat(byNumber.nextEvent().record().getString("status")).isEqualTo("paid");
    assertThat(byText.nextRecord()).isEmpty();
  }

  @Test
  void close_sendsUnsubscribe_andTheLastCloseClosesTheSocket() throws Exception {
    RecordingListener a = new RecordingListener();
    RecordingListener b = new RecordingListener();
    Subscription subA = client.subscribe("orders", a);
    Subscription subB = client.subscribe("orders", b);
    ScriptedStreamServer.Conn conn = server.nextConnection();
    conn.next("subscribe");
    conn.next("subscribe");

    subA.close();
    assertThat(conn.next()).isEqualTo(tree(q("{'op':'unsubscribe','id':'" + subA.id() + "'}")));
    CloseReason reason = a.nextClosed();
    assertThat(reason.code()).isEqualTo(CloseReason.UNSUBSCRIBED);
    assertThat(reason.byClient()).isTrue();
    assertThat(subA.isOpen()).isFalse();
    assertThat(subA.closeReason()).contains(reason);
    subA.close(); // idempotent: no second frame, no second callback

    // The socket stays for B.
    conn.send("{'type':'event','id':'" + subB.id() + "','kind':'insert','record':{'id':1}}");
    assertThat(b.nextEvent().record().getLong("id")).isEqualTo(1L);

    subB.close();
    assertThat(conn.next()).isEqualTo(tree(q("{'op':'unsubscribe','id':'" + subB.id() + "'}")));
    assertThat(conn.awaitClosed()).isEqualTo(1000);
    assertThat(b.nextClosed().code()).isEqualTo(CloseReason.UNSUBSCRIBED);
    assertThat(a.calls).isEmpty();
    assertThat(conn.frames).isEmpty();

    // A later subscription opens a fresh socket.
    Subscription again = client.subscribe("orders", new RecordingListener());
    assertThat(server.nextConnection().next("subscribe").path("id").asText()).isEqualTo(again.id());
  }

  @Test
  void serverDrop_reconnectsWithBackoff_andResubscribesEverything() throws Exception {
    RecordingListener a = new RecordingListener();
    RecordingListener o = new RecordingListener();
    Subscription sub = client.subscribe("orders", Where.eq("status", "open"), a);
    Subscription obs = client.observe("orders", 42, o);
    ScriptedStreamServer.Conn first = server.nextConnection();
    JsonNode subscribeFrame = first.next("subscribe");
    JsonNode observeFrame = first.next("observe");
    first.send("{'type':'record','id':'" + obs.id() + "','record':{'id':42,'v':1}}");
    assertThat(o.nextRecord()).isPresent();

    first.drop();

    ScriptedStreamServer.Conn second = server.nextConnection();
    List<JsonNode> resent = new ArrayList<>(List.of(second.next(), second.next()));
    assertThat(resent).containsExactlyInAnyOrder(subscribeFrame, observeFrame);
    assertThat(second.header("Authorization")).isEqualTo("Bearer " + API_KEY);

    CloseReason why = (CloseReason) a.next("reconnecting").value();
    assertThat(why.code()).isEqualTo(CloseReason.CONNECTION_LOST);
    assertThat(why.retryable()).isTrue();
    a.next("resumed");
    o.next("reconnecting");
    o.next("resumed");

    second.send("{'type':'event','id':'" + sub.id() + "','kind':'insert','record':{'id':5}}");
    second.send("{'type':'record','id':'" + obs.id() + "','record':{'id':42,'v':2}}");
    assertThat(a.nextEvent().record().getLong("id")).isEqualTo(5L);
    assertThat(o.nextRecord().orElseThrow().getLong("v")).isEqualTo(2L);
    assertThat(sub.isOpen()).isTrue();
  }

  @Test
  void slowConsumerClose_isRetried() throws Exception {
    RecordingListener a = new RecordingListener();
    Subscription sub = client.subscribe("orders", a);
    ScriptedStreamServer.Conn first = server.nextConnection();
    first.next("subscribe");

    closedThenResubscribed(first, sub, "slow_consumer", 1008);
    CloseReason why = (CloseReason) a.next("reconnecting").value();
    assertThat(why.code()).isEqualTo(CloseReason.SLOW_CONSUMER);
    assertThat(why.retryable()).isTrue();
  }

  @Test
  void gatewayShutdown_orAnUnknownCode_isRetried() throws Exception {
    RecordingListener a = new RecordingListener();
    Subscription sub = client.subscribe("orders", a);
    ScriptedStreamServer.Conn first = server.nextConnection();
    first.next("subscribe");
    ScriptedStreamServer.Conn second = closedThenResubscribed(first, sub, "shutdown", 1001);
    assertThat(((CloseReason) a.next("reconnecting").value()).code()).isEqualTo("shutdown");
    a.next("resumed");

    closedThenResubscribed(second, sub, "some_future_code", 0);
    assertThat(sub.isOpen()).isTrue();
  }

  /**
   * The gateway sends a socket-wide {@code closed{code}} on {@code conn} (then closes it with
   * {@code status}, unless 0); the client reconnects and resubscribes {@code sub}: that connection.
   */
  private ScriptedStreamServer.Conn closedThenResubscribed(ScriptedStreamServer.Conn conn, Subscription sub,
      String code, int status) throws Exception {
    conn.send("{'type':'closed','code':'" + code + "'}");
    if (status != 0) {
      conn.closeWith(status, code);
    }
    ScriptedStreamServer.Conn next = server.nextConnection();
    assertThat(next.next("subscribe").path("id").asText()).isEqualTo(sub.id());
    return next;
  }

  @Test
  void perSubscriptionRetryableClose_resubscribesThatOneOnTheSameSocket() throws Exception {
    RecordingListener a = new RecordingListener();
    RecordingListener b = new RecordingListener();
    Subscription subA = client.subscribe("orders", Where.eq("status", "open"), a);
    Subscription subB = client.subscribe("orders", b);
    ScriptedStreamServer.Conn conn = server.nextConnection();
    JsonNode openA = conn.next("subscribe");
    conn.next("subscribe");

    conn.send("{'type':'closed','id':'" + subA.id() + "','code':'overloaded'}");

    assertThat(conn.next("subscribe")).isEqualTo(openA);
    assertThat(((CloseReason) a.next("reconnecting").value()).code()).isEqualTo("overloaded");
    a.next("resumed");
    conn.send("{'type':'event','id':'" + subA.id() + "','kind':'insert','record':{'id':4}}");
    assertThat(a.nextEvent().record().getLong("id")).isEqualTo(4L);
    assertThat(b.calls).isEmpty();
    assertThat(subB.isOpen()).isTrue();
    assertThat(server.connections()).isEqualTo(1);
  }

  @Test
  void halfOpenSocket_thatNeverAnswersPings_isReconnected() throws Exception {
    try (SilentStreamServer silent = new SilentStreamServer();
         LensgateClient pinging = LensgateClient.builder().baseUrl(silent.httpUrl()).apiKey(API_KEY)
             .streamPingInterval(Duration.ofMillis(100))
             .streamReconnectDelay(Duration.ofMillis(10), Duration.ofMillis(50))
             .build()) {
      RecordingListener a = new RecordingListener();
      Subscription sub = pinging.subscribe("orders", a);
      assertThat(silent.nextUpgrade()).contains("Bearer " + API_KEY);

      // No pong ever comes: the client gives the socket up and dials again by itself.
      CloseReason why = (CloseReason) a.next("reconnecting").value();
      assertThat(why.code()).isEqualTo(CloseReason.CONNECTION_LOST);
      assertThat(why.message()).contains("ping");
      silent.nextUpgrade();
      a.next("resumed");
      assertThat(sub.isOpen()).isTrue();
    }
  }

  @Test
  void keyRevoked_endsEverySubscriptionForGood_withoutReconnect() throws Exception {
    RecordingListener a = new RecordingListener();
    RecordingListener b = new RecordingListener();
    Subscription subA = client.subscribe("orders", a);
    client.observe("orders", 1, b);
    ScriptedStreamServer.Conn conn = server.nextConnection();
    conn.next("subscribe");
    conn.next("observe");

    conn.send("{'type':'closed','code':'key_revoked'}");
    conn.send("{'type':'event','id':'" + subA.id() + "','kind':'insert','record':{'id':1}}"); // after the end
    conn.closeWith(1008, "key_revoked");

    CloseReason reason = a.nextClosed();
    assertThat(reason.code()).isEqualTo("key_revoked");
    assertThat(reason.retryable()).isFalse();
    assertThat(reason.byClient()).isFalse();
    assertThat(b.nextClosed().code()).isEqualTo("key_revoked");
    assertThat(subA.isOpen()).isFalse();
    assertThat(subA.closeReason()).contains(reason);
    // Nothing came after onClosed, and the old subscriptions are never sent again: the next
    // socket carries only a new subscription.
    Subscription fresh = client.subscribe("orders", new RecordingListener());
    ScriptedStreamServer.Conn next = server.nextConnection();
    assertThat(next.next().path("id").asText()).isEqualTo(fresh.id());
    assertThat(server.connections()).isEqualTo(2);
    assertThat(a.calls).isEmpty();
    assertThat(b.calls).isEmpty();
  }

  @Test
  void tokenExpiredCloseStatus_withoutClosedFrame_isFinal() throws Exception {
    RecordingListener a = new RecordingListener();
    client.withUser(USER_TOKEN).subscribe("orders", a);
    ScriptedStreamServer.Conn conn = server.nextConnection();
    conn.next("subscribe");
    conn.closeWith(1008, "token_expired");
    CloseReason reason = a.nextClosed();
    assertThat(reason.code()).isEqualTo("token_expired");
    assertThat(reason.retryable()).isFalse();
  }

  @Test
  void perSubscriptionClosed_endsOnlyThatSubscription() throws Exception {
    RecordingListener a = new RecordingListener();
    RecordingListener b = new RecordingListener();
    Subscription subA = client.subscribe("orders", a);
    Subscription subB = client.subscribe("orders", b);
    ScriptedStreamServer.Conn conn = server.nextConnection();
    conn.next("subscribe");
    conn.next("subscribe");

    conn.send("{'type':'closed','id':'" + subA.id() + "','code':'grant_removed'}");
    conn.send("{'type':'event','id':'" + subB.id() + "','kind':'insert','record':{'id':3}}");

    assertThat(a.nextClosed().code()).isEqualTo("grant_removed");
    assertThat(b.nextEvent().record().getLong("id")).isEqualTo(3L);
    assertThat(subB.isOpen()).isTrue();
    assertThat(server.connections()).isEqualTo(1);
  }

  @Test
  void handshakeRefused401_isFinal_andTheKeyIsNotInTheUrl() throws Exception {
    server.refuseUpgrades(401);
    RecordingListener a = new RecordingListener();
    Subscription sub = client.subscribe("orders", a);

    assertThat(server.nextRefusedQuery()).doesNotContain("SENTINEL").doesNotContain("apiKey");
    CloseReason reason = a.nextClosed();
    // The JDK may or may not hand over the refusal's body; either way the code is final.
    assertThat(reason.code()).isIn("key_revoked", "http_401");
    assertThat(reason.retryable()).isFalse();
    assertThat(reason.toString()).doesNotContain("SENTINEL");
    assertThat(sub.isOpen()).isFalse();
  }

  @Test
  void handshakeRefused403_isFinal() throws Exception {
    server.refuseUpgrades(403);
    RecordingListener a = new RecordingListener();
    client.subscribe("orders", a);
    CloseReason reason = a.nextClosed();
    assertThat(reason.code()).isIn("key_revoked", "http_403");
    assertThat(reason.retryable()).isFalse();
  }

  @Test
  void errorFrame_failsThatSubscriptionOnly() throws Exception {
    RecordingListener bad = new RecordingListener();
    RecordingListener good = new RecordingListener();
    Subscription badSub = client.subscribe("orders", Where.eq("nosuchfield", 1), bad);
    Subscription goodSub = client.subscribe("orders", good);
    ScriptedStreamServer.Conn conn = server.nextConnection();
    conn.next("subscribe");
    conn.next("subscribe");

    conn.send("{'type':'error','id':'" + badSub.id() + "','code':'unknown_field',"
        + "'message':'unknown field nosuchfield (key " + API_KEY + ")'}");
    conn.send("{'type':'error','code':'invalid_json','message':'not for anyone'}");
    conn.send("{'type':'event','id':'" + goodSub.id() + "','kind':'insert','record':{'id':1}}");

    CloseReason reason = bad.nextClosed();
    assertThat(reason.code()).isEqualTo("unknown_field");
    assertThat(reason.retryable()).isFalse();
    assertThat(reason.messageText()).hasValueSatisfying(m -> assertThat(m)
        .contains("nosuchfield").doesNotContain(API_KEY).contains(Secret.REDACTED));
    assertThat(good.nextEvent().record().getLong("id")).isEqualTo(1L);
    assertThat(goodSub.isOpen()).isTrue();
    assertThat(server.connections()).isEqualTo(1);
  }

  @Test
  void malformedServerFrames_areIgnored_andTheSocketCarriesOn() throws Exception {
    RecordingListener a = new RecordingListener();
    Subscription sub = client.subscribe("orders", a);
    ScriptedStreamServer.Conn conn = server.nextConnection();
    conn.next("subscribe");

    String id = sub.id();
    conn.sendRaw("not json at all");
    conn.sendRaw("[1,2,3]");
    conn.sendRaw("{}");
    conn.send("{'type':'teleport','id':'" + id + "'}");
    conn.send("{'type':'event','id':'" + id + "','kind':'explode','record':{'id':1}}");
    conn.send("{'type':'event','id':'" + id + "','kind':'insert','record':[1]}");
    conn.send("{'type':'event','id':'" + id + "','kind':'insert'}");
    conn.send("{'type':'event','id':7,'kind':'insert','record':{'id':1}}");
    conn.send("{'type':'record','id':'" + id + "','record':'text'}");
    conn.send("{'type':'closed','id':'" + id + "'}");
    conn.send("{'type':'error','id':'" + id + "','code':''}");
    conn.send("{'type':'event','id':'" + id + "','kind':'insert','record':{'id':99}}");

    // Only the one good frame reaches the listener; the subscription and the socket live on.
    assertThat(a.nextEvent().record().getLong("id")).isEqualTo(99L);
    assertThat(a.calls).isEmpty();
    assertThat(sub.isOpen()).isTrue();
    assertThat(server.connections()).isEqualTo(1);
  }

  @Test
  void throwingListener_doesNotKillTheSocket_andCallbacksRunOnClientThreads() throws Exception {
    RecordingListener thrower = new RecordingListener() {
      @Override
      public void onEvent(ChangeEvent event) {
        super.onEvent(event);
        if (event.record().getLong("id") == 1L) {
          throw new IllegalStateException("listener bug quoting row data SENTINEL");
        }
      }
    };
    RecordingListener other = new RecordingListener();
    Subscription t = client.subscribe("orders", thrower);
    Subscription o = client.subscribe("orders", other);
    ScriptedStreamServer.Conn conn = server.nextConnection();
    conn.next("subscribe");
    conn.next("subscribe");

    conn.send("{'type':'event','id':'" + t.id() + "','kind':'insert','record':{'id':1}}");
    conn.send("{'type':'event','id':'" + t.id() + "','kind':'insert','record':{'id':2}}");
    conn.send("{'type':'event','id':'" + o.id() + "','kind':'insert','record':{'id':3}}");

    RecordingListener.Call firstCall = thrower.next("event");
    assertThat(thrower.nextEvent().record().getLong("id")).isEqualTo(2L);
    assertThat(other.nextEvent().record().getLong("id")).isEqualTo(3L);
    assertThat(firstCall.thread()).startsWith("lensgate-stream-listener");
    assertThat(server.connections()).isEqualTo(1);
    assertThat(t.isOpen()).isTrue();
  }

  @Test
  void eventsOfOneSubscription_arriveInOrder() throws Exception {
    RecordingListener a = new RecordingListener();
    Subscription sub = client.subscribe("orders", a);
    ScriptedStreamServer.Conn conn = server.nextConnection();
    conn.next("subscribe");
    for (int i = 0; i < 500; i++) {
      conn.send("{'type':'event','id':'" + sub.id() + "','kind':'update','record':{'id':1,'seq':" + i + "}}");
    }
    for (int i = 0; i < 500; i++) {
      assertThat(a.nextEvent().record().getLong("seq")).isEqualTo((long) i);
    }
  }

  @Test
  void listenerThatFallsTooFarBehind_losesItsSubscription_othersCarryOn() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger seen = new AtomicInteger();
    RecordingListener stuck = new RecordingListener() {
      @Override
      public void onEvent(ChangeEvent event) {
        seen.incrementAndGet();
        try {
          release.await(ScriptedStreamServer.WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    RecordingListener other = new RecordingListener();
    Subscription slow = client.subscribe("orders", stuck);
    Subscription fine = client.subscribe("orders", other);
    ScriptedStreamServer.Conn conn = server.nextConnection();
    conn.next("subscribe");
    conn.next("subscribe");

    int sent = LiveSubscription.MAX_PENDING_CALLBACKS + 50;
    for (int i = 0; i < sent; i++) {
      conn.send("{'type':'event','id':'" + slow.id() + "','kind':'update','record':{'id':1,'seq':" + i + "}}");
    }
    assertThat(conn.next("unsubscribe").path("id").asText()).isEqualTo(slow.id());
    conn.send("{'type':'event','id':'" + fine.id() + "','kind':'insert','record':{'id':2}}");
    assertThat(other.nextEvent().record().getLong("id")).isEqualTo(2L);

    release.countDown();
    CloseReason reason = stuck.nextClosed();
    assertThat(reason.code()).isEqualTo(CloseReason.LISTENER_OVERFLOW);
    assertThat(reason.retryable()).isFalse();
    assertThat(seen.get()).isEqualTo(LiveSubscription.MAX_PENDING_CALLBACKS);
    assertThat(fine.isOpen()).isTrue();
  }

  @Test
  void withUser_getsItsOwnSocket_sharedByClientsOfTheSameUser() throws Exception {
    Subscription asKey = client.subscribe("orders", new RecordingListener());
    ScriptedStreamServer.Conn keyConn = server.nextConnection();
    assertThat(keyConn.next("subscribe").path("id").asText()).isEqualTo(asKey.id());

    Subscription asUser = client.withUser(USER_TOKEN).subscribe("orders", new RecordingListener());
    ScriptedStreamServer.Conn userConn = server.nextConnection();
    assertThat(userConn.header("Authorization")).isEqualTo("Bearer " + API_KEY);
    assertThat(userConn.header("X-User-Token")).isEqualTo(USER_TOKEN);
    assertThat(userConn.queryString).satisfiesAnyOf(
        qs -> assertThat(qs).isNull(), qs -> assertThat(qs).doesNotContain("SENTINEL"));
    assertThat(userConn.next("subscribe").path("id").asText()).isEqualTo(asUser.id());

    // Another client for the same user rides the same socket.
    Subscription sameUser = client.withUser(USER_TOKEN).observe("orders", 5, new RecordingListener());
    assertThat(userConn.next("observe").path("id").asText()).isEqualTo(sameUser.id());
    assertThat(server.connections()).isEqualTo(2);
    assertThat(keyConn.frames).isEmpty();
  }

  @Test
  void closingAUserClient_closesOnlyThatUsersSocket() throws Exception {
    RecordingListener keyListener = new RecordingListener();
    RecordingListener userListener = new RecordingListener();
    Subscription asKey = client.subscribe("orders", keyListener);
    ScriptedStreamServer.Conn keyConn = server.nextConnection();
    keyConn.next("subscribe");
    LensgateClient user = client.withUser(USER_TOKEN);
    user.subscribe("orders", userListener);
    ScriptedStreamServer.Conn userConn = server.nextConnection();
    userConn.next("subscribe");

    user.close();
    assertThat(userListener.nextClosed().code()).isEqualTo(CloseReason.CLIENT_CLOSED);
    userConn.awaitClosed();
    keyConn.send("{'type':'event','id':'" + asKey.id() + "','kind':'insert','record':{'id':1}}");
    assertThat(keyListener.nextEvent().record().getLong("id")).isEqualTo(1L);
  }

  @Test
  void clientClose_endsEveryStream_andRefusesNewOnes() throws Exception {
    RecordingListener a = new RecordingListener();
    RecordingListener u = new RecordingListener();
    client.subscribe("orders", a);
    ScriptedStreamServer.Conn keyConn = server.nextConnection();
    keyConn.next("subscribe");
    client.withUser(USER_TOKEN).subscribe("orders", u);
    ScriptedStreamServer.Conn userConn = server.nextConnection();
    userConn.next("subscribe");

    client.close();

    assertThat(a.nextClosed().code()).isEqualTo(CloseReason.CLIENT_CLOSED);
    assertThat(u.nextClosed().code()).isEqualTo(CloseReason.CLIENT_CLOSED);
    keyConn.awaitClosed();
    userConn.awaitClosed();
    assertThatThrownBy(() -> client.subscribe("orders", new RecordingListener()))
        .isInstanceOf(IllegalStateException.class);
    client.close(); // idempotent
  }

  @Test
  void badArguments_failBeforeAnySocketOpens() {
    RecordingListener l = new RecordingListener();
    assertThatThrownBy(() -> client.subscribe("", l)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.subscribe("..", l)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.subscribe("orders", null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> client.observe("orders", (String) null, l)).isInstanceOf(NullPointerException.class);
    assertThat(server.connections()).isZero();
  }
}
