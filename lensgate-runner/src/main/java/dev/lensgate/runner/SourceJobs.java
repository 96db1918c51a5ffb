package dev.lensgate.runner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.lens.LensSchema;
import dev.lensgate.core.plan.JdbcReadExecutor;
import dev.lensgate.core.plan.ReadPage;
import dev.lensgate.core.plan.ReadSpec;
import dev.lensgate.core.runner.JobPages;
import dev.lensgate.core.runner.ResultChunks;
import dev.lensgate.core.runner.RunnerFrame;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The data kinds of one validated job, on one connection: {@code query} (one page, split into
 * frames that fit the codec), {@code count} ({@code SELECT COUNT(*)} of the spec's filter, answered
 * as a rowless result whose {@code rowCount} is the count) and {@code read} (the whole lens in
 * keyset order, page after page, each page streamed as {@code done:false} chunks, then a final
 * {@code done:true} result with the total). All SQL comes from {@link JdbcReadExecutor}: the same
 * {@code where} compiler as direct mode, bound values, the job's remaining deadline as timeout.
 *
 * <p>A {@code read} checks the cancel flag before every page and every chunk, and waits for each
 * chunk to reach the socket before reading on ({@link JobHandler.Replies#sendPaced}); after a
 * {@code cancel} it stops reading and sends nothing more. One instance per job; not shared.
 */
final class SourceJobs {
  static final String RESULT_TOO_LARGE = "result_too_large";
  private static final long CANCEL_CHECK_MILLIS = 50;

  private final String jobId;
  private final JdbcReadExecutor executor;
  private final LensSchema schema;
  private final ReadSpec spec;
  private final Clock clock;
  private final Instant received;
  private final Instant deadline;
  private final Consumer<Statement> onStatement;
  private final BooleanSupplier cancelled;
  private final JobHandler.Replies reply;
  private final ResultChunks chunks;

  SourceJobs(String jobId, JdbcReadExecutor executor, LensSchema schema, ReadSpec spec, Clock clock, Instant received,
      Instant deadline, Consumer<Statement> onStatement, BooleanSupplier cancelled, JobHandler.Replies reply,
      ResultChunks chunks) {
    this.jobId = jobId;
    this.executor = executor;
    this.schema = schema;
    this.spec = spec;
    this.clock = clock;
    this.received = received;
    this.deadline = deadline;
    this.onStatement = onStatement;
    this.cancelled = cancelled;
    this.reply = reply;
    this.chunks = chunks;
  }

  /** One page; every frame but the returned last one is sent here. */
  RunnerFrame query(Connection c) {
    Duration remaining = remaining();
    if (remaining.toMillis() < 1) {
      return timeout(jobId);
    }
    ReadPage page = executor.fetch(c, spec, schema, remaining, onStatement);
    List<RunnerFrame.Result> frames;
    try {
      frames = JobPages.toResults(jobId, page, elapsedMillis(), chunks);
    } catch (IllegalArgumentException e) {
      return tooLarge(jobId);
    }
    for (int i = 0; i < frames.size() - 1; i++) {
      reply.send(frames.get(i));
    }
    return frames.get(frames.size() - 1);
  }

  RunnerFrame count(Connection c) {
    Duration remaining = remaining();
    if (remaining.toMillis() < 1) {
      return timeout(jobId);
    }
    long n = executor.count(c, spec, schema, remaining, onStatement);
    return new RunnerFrame.Result(jobId, List.of(), true, n, elapsedMillis(), Optional.empty());
  }

  /** The whole lens in the spec's keyset order; null when cancelled or the socket is gone. */
  RunnerFrame read(Connection c) {
    if (spec.offset() != 0) {
      return new RunnerFrame.Error(jobId, ErrorCode.INVALID_REQUEST.code(), "a read job pages by keyset, not offset");
    }
    ReadSpec current = spec;
    long total = 0;
    while (true) {
      if (cancelled.getAsBoolean()) {
        return null;
      }
      Duration remaining = remaining();
      if (remaining.toMillis() < 1) {
        return timeout(jobId);
      }
      ReadPage page = executor.fetch(c, current, schema, remaining, onStatement);
      List<List<JsonNode>> parts;
      try {
        parts = chunks.split(JobPages.rows(page));
      } catch (IllegalArgumentException e) {
        return tooLarge(jobId);
      }
      for (List<JsonNode> part : parts) {
        if (part.isEmpty()) {
          continue;
        }
        total += part.size();
        RunnerFrame.Result chunk = new RunnerFrame.Result(jobId, part, false, total, elapsedMillis(), Optional.empty());
        if (cancelled.getAsBoolean() || !sent(chunk)) {
          return null;
        }
      }
      if (page.next().isEmpty()) {
        return new RunnerFrame.Result(jobId, List.of(), true, total, elapsedMillis(), Optional.empty());
      }
      current = current.withAfter(page.next().get());
    }
  }

  /** Waits for {@code chunk} to reach the socket: false when the socket failed, the job was cancelled or its deadline passed. */
  private boolean sent(RunnerFrame.Result chunk) {
    CompletableFuture<?> done = reply.sendPaced(chunk).toCompletableFuture();
    while (true) {
      long left = remaining().toMillis();
      if (left < 1 || cancelled.getAsBoolean()) {
        return false;
      }
      try {
        done.get(Math.min(left, CANCEL_CHECK_MILLIS), TimeUnit.MILLISECONDS);
        return true;
      } catch (TimeoutException e) {
        // check the cancel flag and the deadline again
      } catch (ExecutionException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  private Duration remaining() {
    return Duration.between(clock.instant(), deadline);
  }

  private long elapsedMillis() {
    return Math.max(0, Duration.between(received, clock.instant()).toMillis());
  }

  static RunnerFrame unreachable(String jobId) {
    return new RunnerFrame.Error(jobId, ErrorCode.SOURCE_UNREACHABLE.code(), "the source query failed");
  }

  static RunnerFrame timeout(String jobId) {
    return new RunnerFrame.Error(jobId, ErrorCode.UPSTREAM_TIMEOUT.code(), "the source did not answer in time");
  }

  static RunnerFrame tooLarge(String jobId) {
    return new RunnerFrame.Error(jobId, RESULT_TOO_LARGE, "a row exceeds the frame limit");
  }
}
