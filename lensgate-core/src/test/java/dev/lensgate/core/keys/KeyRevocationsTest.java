package dev.lensgate.core.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lensgate.core.auth.KeyType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyRevocationsTest {
  private final KeyRevocation event = new KeyRevocation("k1", KeyType.PK, Instant.EPOCH);

  @Test
  void publish_listenerThrows_othersStillNotified() {
    KeyRevocations bus = new KeyRevocations();
    List<String> seen = new ArrayList<>();
    bus.subscribe(r -> { throw new IllegalStateException("boom"); });
    bus.subscribe(r -> seen.add(r.keyId()));
    bus.publish(event);
    assertThat(seen).containsExactly("k1");
  }

  @Test
  void subscription_closed_noLongerNotified() {
    KeyRevocations bus = new KeyRevocations();
    List<String> seen = new ArrayList<>();
    KeyRevocations.Subscription sub = bus.subscribe(r -> seen.add(r.keyId()));
    sub.close();
    bus.publish(event);
    assertThat(seen).isEmpty();
  }
}
