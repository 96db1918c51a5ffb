package dev.lensgate.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lensgate.core.auth.KeyType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway pings open stream sockets from its own timers, and closing it leaves no thread behind. */
class StreamKeepaliveTest {
  @TempDir Path dir;

  @Test
  void openSocket_isPinged_andClosingTheGatewayLeavesNoNonDaemonPingThread() throws Exception {
    CountDownLatch pinged = new CountDownLatch(2);
    StreamGateway gw = new StreamGateway(dir, Map.of(StreamSettings.PING_SECONDS, "1"));
    try {
      StreamGateway.Key pk = gw.mint(KeyType.PK, gw.defaultEnv());
      WebSocket.Listener listener = new WebSocket.Listener() {
        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
          pinged.countDown();
          return WebSocket.Listener.super.onPing(webSocket, message);
        }
      };
      HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + pk.plaintext())
          .buildAsync(URI.create("ws://127.0.0.1:" + gw.port() + "/v1/stream"), listener).get(10, TimeUnit.SECONDS);

      assertThat(pinged.await(20, TimeUnit.SECONDS)).as("two pings at a 1 s interval").isTrue();
    } finally {
      gw.close();
    }
    // Javalin's enableAutomaticPings would have left a process-wide non-daemon thread running.
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.isAlive() && !t.isDaemon() && t.getName().contains("PingThread"));
  }
}
