package dev.lensgate.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.server.runner.JobDispatch;
import dev.lensgate.server.runner.JobOutcome;
import dev.lensgate.server.runner.JobRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API node's {@link JobDispatch}: sends each runner job to the runner-facing node's
 * {@code POST /internal/dispatch} instead of to local runner sockets.
 *
 * <p>What crosses the link: the job without credentials ({@link JobRequest#credentials()} is never
 * read), the internal bearer, and back the outcome. Failures keep the local path's codes: the
 * runner-facing node's {@code no_runners_online}, {@code runner_failed}, {@code source_unreachable}
 * and {@code upstream_timeout} envelopes come back as the same {@link LensgateException}; the node
 * unreachable, a dropped connection, an oversized or malformed answer, or any other status (its
 * {@code 401} for a wrong token included — the caller's own key is not at fault) is
 * {@code 502 runner_failed}. The whole exchange, body included, is bounded by the job's deadline
 * plus {@code margin}; past it, {@code 504 upstream_timeout}.
 *
 * <p>{@link #stream} ({@code read} jobs, e.g. a sync) uses {@code POST /internal/dispatch/stream}
 * instead: rows arrive as NDJSON chunks and reach the consumer as they come, so a read is not
 * limited to the 10,000 rows of one collected answer.
 *
 * <p>Thread-safe.
 */
public final class InternalDispatchClient implements JobDispatch {
  private static final Logger LOG = LoggerFactory.getLogger(InternalDispatchClient.class);
  /** Envelope codes passed through as they are: the ones the local dispatcher produces. */
  private static final Set<ErrorCode> PASSED_THROUGH = EnumSet.of(ErrorCode.NO_RUNNERS_ONLINE,
      ErrorCode.RUNNER_FAILED, ErrorCode.SOURCE_UNREACHABLE, ErrorCode.UPSTREAM_TIMEOUT);
  private static final Pattern SAFE_CODE = Pattern.compile("[a-z][a-z0-9_]{0,63}");
  private static final int MAX_MESSAGE_CHARS = 300;
  /** Ten thousand rows of a wide lens fit; a runaway answer does not. */
  public static final long DEFAULT_MAX_RESPONSE_BYTES = 64L << 20;
  public static final Duration DEFAULT_MARGIN = Duration.ofSeconds(2);

  private final URI endpoint;
  private final SecretBytes token;
  private final Duration margin;
  private final long maxResponseBytes;
  private final HttpClient http;
  private final URI streamEndpoint;
  private final InternalJobCodec codec = new InternalJobCodec();
  private final InternalStreamCodec streamCodec = new InternalStreamCodec(codec);

  /**
   * @param endpoint the runner-facing node's {@code .../internal/dispatch} URL
   * @param token the internal bearer; kept by reference (the caller must not wipe it while in use)
   * @param margin added to each job's deadline for the whole HTTP exchange
   */
  public InternalDispatchClient(URI endpoint, SecretBytes token, Duration margin, long maxResponseBytes) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.streamEndpoint = URI.create(endpoint.toString() + "/stream");
    this.token = Objects.requireNonNull(token, "token");
    this.margin = Objects.requireNonNull(margin, "margin");
    if (margin.isNegative()) {
      throw new IllegalArgumentException("margin must not be negative");
    }
    if (maxResponseBytes < 1024) {
      throw new IllegalArgumentException("maxResponseBytes must be at least 1024");
    }
    this.maxResponseBytes = maxResponseBytes;
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  public URI endpoint() {
    return endpoint;
  }

  @Override
  public JobOutcome dispatch(JobRequest request) {
    Duration limit = request.deadline().plus(margin);
    HttpRequest req = HttpRequest.newBuilder(endpoint)
        .timeout(limit)
        .header("Authorization", "Bearer " + token.revealUtf8())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(codec.encodeJob(request)))
        .build();
    CompletableFuture<HttpResponse<byte[]>> pending = http.sendAsync(req, BoundedBody.handler(maxResponseBytes));
    HttpResponse<byte[]> resp;
    try {
      resp = pending.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      pending.cancel(true);
      throw timedOut();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LensgateException(ErrorCode.RUNNER_FAILED, "interrupted while waiting for the runner-facing node");
    } catch (ExecutionException e) {
      throw failed(e.getCause());
    }
    if (resp.statusCode() == 200) {
      return codec.decodeOutcome(resp.body());
    }
    throw fromEnvelope(resp.statusCode(), resp.body());
  }

  /**
   * Streams a {@code read} job from the runner-facing node's {@code POST /internal/dispatch/stream}:
   * its NDJSON lines are decoded one at a time and each chunk goes to {@code onChunk} in order on
   * this thread, so memory holds a few chunks, never the table. Errors map as {@link #dispatch}'s;
   * in addition an {@code error} line (the job failed after rows were sent) becomes the same
   * {@link LensgateException} its envelope would, and a stream that ends without its {@code done}
   * line, breaks, or carries a malformed line is {@code 502 runner_failed} — never a short result.
   * The whole stream is bounded by the job's deadline plus the margin ({@code 504 upstream_timeout}).
   *
   * @param maxRows most rows accepted; more fails with {@code 502 runner_failed} (checked here too,
   *     not only by the runner-facing node)
   * @return an outcome without rows whose {@code rowCount} is the total delivered
   * @throws LensgateException as described; a consumer's own exception propagates as is, after the
   *     stream was dropped (which cancels the job on the runner-facing node)
   */
  @Override
  public JobOutcome stream(JobRequest request, long maxRows, Consumer<List<JsonNode>> onChunk) {
    if (maxRows < 1) {
      throw new IllegalArgumentException("maxRows must be positive");
    }
    Duration limit = request.deadline().plus(margin);
    long endNanos = System.nanoTime() + limit.toNanos();
    HttpRequest req = HttpRequest.newBuilder(streamEndpoint)
        .timeout(limit)
        .header("Authorization", "Bearer " + token.revealUtf8())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(codec.encodeStreamJob(request, maxRows)))
        .build();
    NdjsonLines lines = new NdjsonLines(maxResponseBytes);
    CompletableFuture<HttpResponse<NdjsonLines>> pending = http.sendAsync(req, info -> lines);
    try {
      HttpResponse<NdjsonLines> resp;
      try {
        resp = pending.get(limit.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        pending.cancel(true);
        throw timedOut();
      } catch (ExecutionException e) {
        throw failed(e.getCause());
      }
      if (resp.statusCode() != 200) {
        NdjsonLines.Item first = lines.next(endNanos);
        throw fromEnvelope(resp.statusCode(), first instanceof NdjsonLines.Line l ? l.bytes() : new byte[0]);
      }
      return readStream(lines, endNanos, maxRows, onChunk);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LensgateException(ErrorCode.RUNNER_FAILED, "interrupted while waiting for the runner-facing node");
    } finally {
      lines.cancel();
    }
  }

  private JobOutcome readStream(NdjsonLines lines, long endNanos, long maxRows, Consumer<List<JsonNode>> onChunk)
      throws InterruptedException {
    long rows = 0;
    while (true) {
      NdjsonLines.Item item = lines.next(endNanos);
      if (item == null) {
        throw timedOut();
      }
      if (item instanceof NdjsonLines.Broken b) {
        throw failed(b.cause());
      }
      if (!(item instanceof NdjsonLines.Line line)) {
        LOG.warn("internal dispatch to {}: the stream ended without its outcome", streamEndpoint);
        throw new LensgateException(ErrorCode.RUNNER_FAILED, "the runner-facing node's stream ended early");
      }
      InternalStreamCodec.Line decoded = streamCodec.decode(line.bytes());
      if (decoded instanceof InternalStreamCodec.Rows chunk) {
        rows += chunk.rows().size();
        if (rows > maxRows) {
          throw new LensgateException(ErrorCode.RUNNER_FAILED, "the read exceeded its row cap");
        }
        if (!chunk.rows().isEmpty()) {
          onChunk.accept(chunk.rows());
        }
      } else if (decoded instanceof InternalStreamCodec.Done done) {
        if (done.rowCount() != rows) {
          throw new LensgateException(ErrorCode.RUNNER_FAILED, "the runner-facing node's row count does not match its rows");
        }
        return new JobOutcome(done.jobId(), done.runnerId(), List.of(), rows, Optional.empty());
      } else {
        InternalStreamCodec.Failed f = (InternalStreamCodec.Failed) decoded;
        throw passedThrough(f.code(), f.message(), -1);
      }
    }
  }

  private LensgateException failed(Throwable cause) {
    if (cause instanceof HttpConnectTimeoutException) {
      return unreachable(cause);
    }
    if (cause instanceof HttpTimeoutException) {
      return timedOut();
    }
    if (cause instanceof BoundedBody.TooLarge) {
      LOG.warn("internal dispatch to {}: answer over {} bytes", endpoint, maxResponseBytes);
      return new LensgateException(ErrorCode.RUNNER_FAILED, "the runner-facing node answered too much");
    }
    return unreachable(cause);
  }

  private LensgateException unreachable(Throwable cause) {
    LOG.warn("internal dispatch to {} failed: {}", endpoint, cause == null ? "unknown" : cause.getClass().getName());
    return new LensgateException(ErrorCode.RUNNER_FAILED, "the runner-facing node could not be reached", cause);
  }

  private static LensgateException timedOut() {
    return new LensgateException(ErrorCode.UPSTREAM_TIMEOUT, "the runner-facing node did not answer in time");
  }

  private LensgateException fromEnvelope(int status, byte[] body) {
    Optional<String[]> envelope = codec.errorEnvelope(body);
    if (envelope.isPresent()) {
      return passedThrough(envelope.get()[0], envelope.get()[1], status);
    }
    LOG.warn("internal dispatch to {} refused: status {}, code none", endpoint, status);
    return new LensgateException(ErrorCode.RUNNER_FAILED, "the runner-facing node refused the job");
  }

  /**
   * The local path's exception for {@code code} when it is one of {@link #PASSED_THROUGH} (and
   * {@code status} agrees; -1 for a stream's error line, which has no status of its own), else
   * {@code 502 runner_failed}.
   */
  private LensgateException passedThrough(String code, String text, int status) {
    for (ErrorCode c : PASSED_THROUGH) {
      if (c.code().equals(code) && (status == -1 || c.httpStatus() == status)) {
        return new LensgateException(c, message(text, c));
      }
    }
    String seen = SAFE_CODE.matcher(code).matches() ? code : "none";
    LOG.warn("internal dispatch to {} refused: status {}, code {}", endpoint, status, seen);
    return new LensgateException(ErrorCode.RUNNER_FAILED, "the runner-facing node refused the job");
  }

  /** The runner-facing node's own message when it is short, plain text; else a fixed one. */
  private static String message(String text, ErrorCode code) {
    if (text.isEmpty() || text.length() > MAX_MESSAGE_CHARS) {
      return code.code().replace('_', ' ');
    }
    for (int i = 0; i < text.length(); i++) {
      if (Character.isISOControl(text.charAt(i))) {
        return code.code().replace('_', ' ');
      }
    }
    return text;
  }

  @Override
  public String toString() {
    return "InternalDispatchClient[" + endpoint + "]";
  }
}
