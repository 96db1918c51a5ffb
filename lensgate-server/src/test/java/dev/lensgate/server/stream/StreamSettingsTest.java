package dev.lensgate.server.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamSettingsTest {
  @Test
  void defaults_areTheDocumentedOnes() {
    StreamSettings s = StreamSettings.defaults();
    assertThat(s.maxSubscriptionsPerSocket()).isEqualTo(100);
    assertThat(s.maxSubscriptionsPerKey()).isEqualTo(1_000);
    assertThat(s.maxLiveSubscriptionsPerLens()).isEqualTo(10_000);
    assertThat(s.maxQueuedFrames()).isEqualTo(1_024);
    assertThat(s.maxQueuedChars()).isEqualTo(4L * 1024 * 1024);
    assertThat(s.maxFrameBytes()).isEqualTo(64 * 1024);
    assertThat(s.pingInterval()).isEqualTo(Duration.ofSeconds(25));
  }

  @Test
  void from_readsOverrides() {
    StreamSettings s = StreamSettings.from(Map.of(StreamSettings.MAX_PER_SOCKET, "7", StreamSettings.MAX_PER_KEY, " 9 ",
        StreamSettings.MAX_PER_LENS, "11", StreamSettings.MAX_QUEUED_FRAMES, "13", StreamSettings.MAX_QUEUED_CHARS, "70000",
        StreamSettings.PING_SECONDS, "3"));
    assertThat(s.maxSubscriptionsPerSocket()).isEqualTo(7);
    assertThat(s.maxSubscriptionsPerKey()).isEqualTo(9);
    assertThat(s.maxLiveSubscriptionsPerLens()).isEqualTo(11);
    assertThat(s.maxQueuedFrames()).isEqualTo(13);
    assertThat(s.maxQueuedChars()).isEqualTo(70_000);
    assertThat(s.pingInterval()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void from_badValues_failAtStart() {
    assertThatThrownBy(() -> StreamSettings.from(Map.of(StreamSettings.MAX_PER_KEY, "lots")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(StreamSettings.MAX_PER_KEY);
    assertThatThrownBy(() -> StreamSettings.from(Map.of(StreamSettings.MAX_PER_SOCKET, "0")))
        .isInstanceOf(IllegalArgumentException.class);
    // The queue must hold at least one full frame.
    assertThatThrownBy(() -> StreamSettings.from(Map.of(StreamSettings.MAX_QUEUED_CHARS, "1000")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StreamSettings.from(Map.of(StreamSettings.PING_SECONDS, "0")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
