package dev.lensgate.core.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.lensgate.core.plan.KeysetPosition;
import dev.lensgate.core.plan.ReadPage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResultChunksTest {
  private static JsonNode row(int id, int textChars) {
    return JsonNodeFactory.instance.objectNode().put("id", id).put("name", "x".repeat(textChars));
  }

  @Test
  void split_byRowCount_exactBoundary() {
    ResultChunks chunks = new ResultChunks(3, 64 * 1024);
    List<JsonNode> rows = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      rows.add(row(i, 1));
    }
    List<List<JsonNode>> parts = chunks.split(rows);
    assertThat(parts).extracting(List::size).containsExactly(3, 3, 1);
    assertThat(chunks.split(rows.subList(0, 6))).extracting(List::size).containsExactly(3, 3);
  }

  @Test
  void split_byBytes_everyChunkEncodesWithinTheCodecLimit() {
    RunnerFrameCodec codec = new RunnerFrameCodec(64 * 1024, 64, 1000);
    ResultChunks chunks = ResultChunks.of(codec);
    List<JsonNode> rows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      rows.add(row(i, 5_000 + i * 37));
    }
    List<List<JsonNode>> parts = chunks.split(rows);
    assertThat(parts.size()).isGreaterThan(1);
    int total = 0;
    for (List<JsonNode> part : parts) {
      assertThat(part).isNotEmpty();
      total += part.size();
      // encodes: would throw past maxFrameBytes
      codec.encode(new RunnerFrame.Result("job-1", part, false, Long.MAX_VALUE, Long.MAX_VALUE,
          Optional.of(JobPages.positionJson(new KeysetPosition(List.of("x".repeat(100)))))));
    }
    assertThat(total).isEqualTo(40);
  }

  @Test
  void split_multiByteText_countsUtf8Bytes() {
    ResultChunks chunks = new ResultChunks(1000, 16 * 1024);
    // 3000 chars of a 3-byte character: ~9 kB each, so two rows never share a 8 kB budget
    JsonNode wide = JsonNodeFactory.instance.objectNode().put("name", "\u20ac".repeat(2500));
    assertThat(chunks.split(List.of(wide, wide, wide))).hasSize(3);
  }

  @Test
  void split_oneRowOverTheFrame_refusedWithoutValue() {
    ResultChunks chunks = new ResultChunks(1000, 16 * 1024);
    assertThatThrownBy(() -> chunks.split(List.of(row(1, 20_000))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("xxx");
  }

  @Test
  void split_noRows_oneEmptyChunk() {
    assertThat(new ResultChunks(10, 16 * 1024).split(List.of())).containsExactly(List.of());
  }

  @Test
  void toResults_pageOverOneFrame_doneAndNextOnlyOnLastCountsCumulative() {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (long i = 1; i <= 5; i++) {
      rows.add(Map.of("id", i));
    }
    ReadPage page = new ReadPage(rows, Optional.of(new KeysetPosition(List.of(5L))));
    List<RunnerFrame.Result> frames = JobPages.toResults("j", page, 3, new ResultChunks(2, 16 * 1024));
    assertThat(frames).extracting(RunnerFrame.Result::done).containsExactly(false, false, true);
    assertThat(frames).extracting(RunnerFrame.Result::rowCount).containsExactly(2L, 4L, 5L);
    assertThat(frames.get(0).next()).isEmpty();
    assertThat(frames.get(2).next()).isPresent();
  }

  @Test
  void constructor_badBounds_refused() {
    assertThatThrownBy(() -> new ResultChunks(0, 64 * 1024)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ResultChunks(10, ResultChunks.FRAME_OVERHEAD_BYTES)).isInstanceOf(IllegalArgumentException.class);
  }
}
