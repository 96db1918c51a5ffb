package dev.lensgate.server.internal;

import dev.lensgate.core.config.CredentialsMode;
import dev.lensgate.core.config.SourceConfig;
import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.runner.JobCredentials;
import dev.lensgate.server.http.JsonBodies;
import dev.lensgate.server.http.RequestContext;
import dev.lensgate.server.http.Route;
import dev.lensgate.server.http.SafeThrowables;
import dev.lensgate.server.runner.JobDispatch;
import dev.lensgate.server.runner.JobOutcome;
import dev.lensgate.server.runner.JobRequest;
import dev.lensgate.server.runner.RunnerReads;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /internal/dispatch} on the runner-facing node: runs an API node's job on this node's
 * runner sockets and answers the outcome, or the error envelope with the code the local path would
 * give ({@code 503 no_runners_online}, {@code 502 runner_failed}/{@code source_unreachable},
 * {@code 504 upstream_timeout}). {@code POST /internal/dispatch/stream} runs a {@code read} job
 * through the local dispatcher's stream and answers NDJSON ({@link InternalStreamCodec}), one
 * flushed line per runner chunk, so neither node holds more than a few chunks of a large table.
 *
 * <p>Order, so nothing is read or dispatched for a stranger: the bearer first (only the internal
 * token, compared in constant time over SHA-256 digests so even its length is not timed; any
 * customer key — {@code sk_ pk_ ik_ rk_ lp_} — is just a wrong token: {@code 401
 * invalid_api_key}; no header: {@code 401 missing_api_key}); then the bounded body ({@code 413},
 * {@code 400 invalid_json}/{@code invalid_request}); then this node's own view of the job: the
 * environment must belong to the job's organization, the source must be one this node's config
 * reads through runners, and the job goes only to runners that both the job and this node's config
 * name for it. Managed credentials are looked up and decrypted here, in memory, for this one job and
 * wiped after it: they never cross the internal link.
 *
 * <p>Thread-safe (stateless per request).
 */
public final class InternalDispatchRoute {
  public static final String PATH = "/internal/dispatch";
  public static final String STREAM_PATH = PATH + "/stream";
  private static final Logger LOG = LoggerFactory.getLogger(InternalDispatchRoute.class);
  private static final String SCHEME = "Bearer ";
  private static final int MAX_HEADER_CHARS = 512;

  private final SecretBytes tokenDigest;
  private final JsonBodies bodies;
  private final InternalJobCodec codec = new InternalJobCodec();
  private final InternalStreamCodec streamCodec = new InternalStreamCodec(codec);
  private final JobDispatch dispatcher;
  private final RunnerReads.Sources sources;
  private final RunnerReads.Credentials credentials;
  private final RunnerReads.Orgs orgs;

  /**
   * @param token the internal bearer; only its digest is kept, so the caller may wipe it
   * @param dispatcher this node's own dispatcher (its runner sockets)
   */
  public InternalDispatchRoute(SecretBytes token, JsonBodies bodies, JobDispatch dispatcher, RunnerReads.Sources sources,
      RunnerReads.Credentials credentials, RunnerReads.Orgs orgs) {
    byte[] raw = token.reveal();
    try {
      this.tokenDigest = SecretBytes.copyOf(sha256(raw));
    } finally {
      java.util.Arrays.fill(raw, (byte) 0);
    }
    this.bodies = Objects.requireNonNull(bodies, "bodies");
    this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
    this.sources = Objects.requireNonNull(sources, "sources");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.orgs = Objects.requireNonNull(orgs, "orgs");
  }

  /** {@code POST /internal/dispatch}: one collected outcome. */
  public Route route() {
    return Route.post(PATH, this::handle);
  }

  /** {@code POST /internal/dispatch/stream}: a streamed {@code read}, answered as NDJSON. */
  public Route streamRoute() {
    return Route.post(STREAM_PATH, this::handleStream);
  }

  /** Both routes of the internal listener. */
  public List<Route> routes() {
    return List.of(route(), streamRoute());
  }

  private void handle(Context ctx) {
    authenticate(ctx);
    JobRequest job = localJob(codec.decodeJob(bodies.readObject(ctx)));
    JobOutcome outcome;
    try {
      outcome = dispatcher.dispatch(job);
    } finally {
      job.credentials().ifPresent(c -> c.password().wipe());
    }
    ctx.status(200);
    ctx.contentType("application/json");
    ctx.result(codec.encodeOutcome(outcome));
  }

  /**
   * Streams the job's rows as they arrive. A failure before the first line is the usual status and
   * envelope; after it, the last line is {@code {"error":...}} with the code the envelope would
   * have carried, so the API node never mistakes a cut stream for a short one.
   */
  private void handleStream(Context ctx) {
    authenticate(ctx);
    InternalJobCodec.StreamJob sent = codec.decodeStreamJob(bodies.readObject(ctx));
    JobRequest job = localJob(sent.request());
    NdjsonAnswer answer = new NdjsonAnswer(ctx, streamCodec);
    try {
      answer.done(dispatcher.stream(job, sent.maxRows(), answer::rows));
    } catch (NdjsonAnswer.ClientGone e) {
      // The job was already cancelled on the runner (the consumer failed); nobody is left to tell.
      LOG.info("internal dispatch request {}: the API node stopped reading the stream",
          RequestContext.of(ctx).requestId());
    } catch (LensgateException e) {
      if (!answer.started()) {
        throw e;
      }
      endWithError(ctx, answer, e.code(), e.getMessage());
    } catch (RuntimeException e) {
      if (!answer.started()) {
        throw e;
      }
      LOG.error("internal dispatch request {} failed mid-stream: {}", RequestContext.of(ctx).requestId(),
          SafeThrowables.describe(e));
      endWithError(ctx, answer, ErrorCode.INTERNAL, "internal error");
    } finally {
      job.credentials().ifPresent(c -> c.password().wipe());
    }
  }

  private static void endWithError(Context ctx, NdjsonAnswer answer, ErrorCode code, String message) {
    try {
      answer.error(code, message);
    } catch (NdjsonAnswer.ClientGone gone) {
      LOG.info("internal dispatch request {}: the API node left before the stream's error ({})",
          RequestContext.of(ctx).requestId(), code.code());
    }
  }

  /** This node's own view of a job an API node sent, with the credentials it decrypts itself. */
  private JobRequest localJob(JobRequest sent) {
    SourceConfig source = checkedSource(sent);
    List<String> runners = new ArrayList<>(sent.runnerNames());
    runners.retainAll(source.runners());
    if (runners.isEmpty()) {
      throw new LensgateException(ErrorCode.INVALID_REQUEST,
          "the job names no runner that this node's config assigns to the source");
    }
    Optional<JobCredentials> creds = source.credentials() == CredentialsMode.RUNNER_LOCAL
        ? Optional.empty() : credentials.credentials(sent.envId(), source);
    return new JobRequest(sent.orgId(), sent.envId(), source.name(), runners, sent.kind(), sent.lens(), sent.spec(),
        creds, sent.deadline());
  }

  private SourceConfig checkedSource(JobRequest sent) {
    String org;
    try {
      org = orgs.orgOf(sent.envId());
    } catch (LensgateException e) {
      throw new LensgateException(ErrorCode.INVALID_REQUEST, "the job's environment is unknown to this node");
    }
    if (!org.equals(sent.orgId())) {
      throw new LensgateException(ErrorCode.INVALID_REQUEST, "the job's environment is not in the job's organization");
    }
    return sources.source(sent.envId(), sent.source())
        .filter(SourceConfig::viaRunners)
        .orElseThrow(() -> new LensgateException(ErrorCode.INVALID_REQUEST,
            "the job's source is not read through runners in this node's config"));
  }

  private void authenticate(Context ctx) {
    try {
      authenticate(ctx.header("Authorization"));
    } catch (LensgateException e) {
      // Only the outcome and the request id: never the presented value.
      LOG.warn("internal dispatch request {} refused: {}", RequestContext.of(ctx).requestId(), e.code().code());
      throw e;
    }
  }

  private void authenticate(String header) {
    if (header == null || header.isBlank()) {
      throw new LensgateException(ErrorCode.MISSING_API_KEY, "missing internal bearer");
    }
    if (header.length() > MAX_HEADER_CHARS || header.length() <= SCHEME.length()
        || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      throw invalid();
    }
    byte[] presented = header.substring(SCHEME.length()).strip().getBytes(StandardCharsets.UTF_8);
    boolean same;
    try (SecretBytes digest = SecretBytes.copyOf(sha256(presented))) {
      same = tokenDigest.equalsConstantTime(digest);
    } finally {
      java.util.Arrays.fill(presented, (byte) 0);
    }
    if (!same) {
      throw invalid();
    }
  }

  private static LensgateException invalid() {
    return new LensgateException(ErrorCode.INVALID_API_KEY, "invalid internal bearer");
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required", e);
    }
  }
}
