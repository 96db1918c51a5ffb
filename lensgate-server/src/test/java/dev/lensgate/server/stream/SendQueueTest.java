package dev.lensgate.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SendQueueTest {
  @Test
  void offer_writesInOrder_oneAtATime() {
    FakeOutlet out = new FakeOutlet(false);
    SendQueue q = new SendQueue(out, 10, 10_000);
    assertThat(q.offer("a")).isTrue();
    assertThat(q.offer("b")).isTrue();
    assertThat(q.offer("c")).isTrue();
    assertThat(out.written()).containsExactly("a");
    assertThat(q.queuedFrames()).isEqualTo(2);
    out.completeOne();
    assertThat(out.written()).containsExactly("a", "b");
    out.completeOne();
    out.completeOne();
    assertThat(out.written()).containsExactly("a", "b", "c");
    assertThat(q.queuedFrames()).isZero();
    assertThat(q.queuedChars()).isZero();
  }

  @Test
  void offer_peerNotReading_refusesAtFrameCap_andMemoryStaysBounded() {
    FakeOutlet out = new FakeOutlet(false);
    SendQueue q = new SendQueue(out, 5, 1_000_000);
    int accepted = 0;
    for (int i = 0; i < 1_000; i++) {
      if (q.offer("frame-" + i)) {
        accepted++;
      }
    }
    // One in flight plus five waiting; everything else refused, nothing retained.
    assertThat(accepted).isEqualTo(6);
    assertThat(q.queuedFrames()).isEqualTo(5);
    assertThat(q.highWaterFrames()).isEqualTo(5);
  }

  @Test
  void offer_refusesAtCharCap() {
    FakeOutlet out = new FakeOutlet(false);
    SendQueue q = new SendQueue(out, 1_000, 10);
    assertThat(q.offer("0123456789")).isTrue(); // in flight
    assertThat(q.offer("01234")).isTrue();
    assertThat(q.offer("012345")).isFalse();
    assertThat(q.offer("01234")).isTrue();
    assertThat(q.offer("x")).isFalse();
    assertThat(q.queuedChars()).isEqualTo(10);
  }

  @Test
  void offer_synchronousCompletion_drainsWithoutRecursion() {
    FakeOutlet out = new FakeOutlet(false);
    SendQueue q = new SendQueue(out, 10_000, 100_000_000);
    q.offer("first");
    for (int i = 0; i < 5_000; i++) {
      q.offer("f" + i);
    }
    out.autoComplete(true);
    out.completeOne();
    assertThat(out.written()).hasSize(5_001);
    assertThat(out.maxDepth()).isLessThanOrEqualTo(1);
    assertThat(q.queuedFrames()).isZero();
  }

  @Test
  void closeWith_dropsQueue_writesLastFrame_andCloses() {
    FakeOutlet out = new FakeOutlet(false);
    SendQueue q = new SendQueue(out, 10, 10_000);
    q.offer("a");
    q.offer("b");
    q.closeWith("{\"type\":\"closed\"}", 1008, "key_revoked");
    assertThat(out.written()).containsExactly("a", "{\"type\":\"closed\"}");
    assertThat(out.closedStatus()).isEqualTo(1008);
    assertThat(out.closedReason()).isEqualTo("key_revoked");
    assertThat(q.offer("c")).isTrue();
    out.completeOne();
    assertThat(out.written()).doesNotContain("b", "c");
  }

  @Test
  void offer_concurrentProducers_everyAcceptedFrameWrittenOnce() throws Exception {
    FakeOutlet out = new FakeOutlet(true);
    SendQueue q = new SendQueue(out, 100_000, 100_000_000);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int n = t;
      threads.add(new Thread(() -> {
        for (int i = 0; i < 2_000; i++) {
          q.offer(n + ":" + i);
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    List<String> written = out.written();
    assertThat(written).hasSize(8_000).doesNotHaveDuplicates();
    for (int t = 0; t < 4; t++) {
      String prefix = t + ":";
      List<String> mine = written.stream().filter(s -> s.startsWith(prefix)).toList();
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 2_000; i++) {
        expected.add(prefix + i);
      }
      assertThat(mine).as("per-producer order").containsExactlyElementsOf(expected);
    }
  }
}
