package dev.lensgate.core.runner;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits rows into chunks that each fit one {@link RunnerFrame.Result} frame: at most
 * {@code maxRows} rows and at most {@code maxFrameBytes} minus a fixed allowance for the frame's
 * own fields, counting each row's encoded UTF-8 size plus its separator. A sender (the runner)
 * uses it so that a page of wide rows becomes several frames instead of one the codec refuses.
 * Order is kept; no chunk is empty unless there are no rows at all (then one empty chunk).
 *
 * <p>Immutable and thread-safe.
 */
public final class ResultChunks {
  /** Room for {@code type}, {@code jobId}, {@code done}, {@code rowCount}, {@code durationMs}, {@code next}. */
  static final int FRAME_OVERHEAD_BYTES = 8 * 1024;

  private final int maxRows;
  private final long maxRowBytes;

  /**
   * @param maxRows most rows per chunk (the codec's {@code maxRows})
   * @param maxFrameBytes the codec's {@code maxFrameBytes}; must leave room for the frame's fields
   */
  public ResultChunks(int maxRows, int maxFrameBytes) {
    if (maxRows < 1) {
      throw new IllegalArgumentException("maxRows must be positive");
    }
    if (maxFrameBytes <= FRAME_OVERHEAD_BYTES) {
      throw new IllegalArgumentException("maxFrameBytes must exceed " + FRAME_OVERHEAD_BYTES);
    }
    this.maxRows = maxRows;
    this.maxRowBytes = maxFrameBytes - (long) FRAME_OVERHEAD_BYTES;
  }

  /** Bounds of {@code codec}. */
  public static ResultChunks of(RunnerFrameCodec codec) {
    return new ResultChunks(codec.maxRows(), codec.maxFrameBytes());
  }

  public int maxRows() { return maxRows; }

  /**
   * @throws IllegalArgumentException if a single row does not fit a frame (the message names no value)
   */
  public List<List<JsonNode>> split(List<JsonNode> rows) {
    List<List<JsonNode>> out = new ArrayList<>();
    List<JsonNode> current = new ArrayList<>();
    long bytes = 0;
    for (JsonNode row : rows) {
      long rowBytes = RunnerFrameCodec.utf8Length(row.toString()) + 1;
      if (rowBytes > maxRowBytes) {
        throw new IllegalArgumentException("a row exceeds the frame limit");
      }
      if (current.size() == maxRows || bytes + rowBytes > maxRowBytes) {
        out.add(current);
        current = new ArrayList<>();
        bytes = 0;
      }
      current.add(row);
      bytes += rowBytes;
    }
    out.add(current);
    return out;
  }
}
