package dev.lensgate.runner;

import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.lens.LensSchema;
import dev.lensgate.core.plan.JdbcReadExecutor;
import dev.lensgate.core.plan.ReadSpec;
import dev.lensgate.core.runner.JobCredentials;
import dev.lensgate.core.runner.JobKind;
import dev.lensgate.core.runner.ResultChunks;
import dev.lensgate.core.runner.RunnerFrame;
import dev.lensgate.core.runner.RunnerFrameCodec;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jooq.SQLDialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs gateway jobs against the runner's sources. For each job, in this order: the lens mapping is
 * re-validated ({@link dev.lensgate.core.runner.LensMapping#toSchema()}), the runner's own
 * {@link AllowList} is checked, the spec is parsed against that schema ({@link ReadSpec#fromJson}),
 * credentials are chosen (runner-local environment first — the gateway cannot redirect a local
 * source — else the job's managed credentials), and the SQL is compiled here by
 * {@link JdbcReadExecutor} with bound values, under the job's remaining deadline as query timeout.
 * The kinds themselves ({@code query}, {@code count}, {@code read}) run in {@link SourceJobs};
 * {@code test} only checks a connection.
 *
 * <p>Each job ends with exactly one final frame: a {@code done:true} result or an {@code error}
 * whose message is fixed text (never driver text, which can quote values), except a cancelled job,
 * which gets none. Before it, a job may send {@code done:false} chunks (a query page too large for
 * one frame; every page of a {@code read}). Jobs run on a bounded pool; a full queue refuses the
 * job instead of growing. Thread-safe.
 */
public final class JobExecutor implements JobHandler, AutoCloseable {
  public static final String JOB_REFUSED = "job_refused";
  private static final Logger LOG = LoggerFactory.getLogger(JobExecutor.class);
  /** The longest a connection attempt may take (a refused connection fails at once, see {@link SourcePools}). */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private final LocalSources localSources;
  private final AllowList allowList;
  private final SourcePools pools;
  private final Clock clock;
  private final ThreadPoolExecutor workers;
  private final ResultChunks chunks = ResultChunks.of(RunnerFrameCodec.withDefaults());
  private final Map<String, Running> running = new ConcurrentHashMap<>();

  /** A job in flight: its queued task, and its statement once it runs. */
  private static final class Running {
    volatile Future<?> task;
    volatile Statement statement;
    volatile boolean cancelled;
  }

  /**
   * @param threads jobs executing at once (also the most pooled connections per source)
   * @param queueCapacity jobs waiting beyond those; more are refused
   */
  public JobExecutor(LocalSources localSources, AllowList allowList, Clock clock, int threads, int queueCapacity) {
    this.localSources = localSources;
    this.allowList = allowList;
    this.clock = clock;
    this.pools = new SourcePools(threads, CONNECT_TIMEOUT);
    AtomicInteger n = new AtomicInteger();
    this.workers = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queueCapacity), r -> {
      Thread t = new Thread(r, "lensgate-runner-job-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.workers.allowCoreThreadTimeOut(true);
  }

  public static JobExecutor fromEnvironment(Map<String, String> env, Clock clock) {
    return new JobExecutor(LocalSources.fromEnvironment(env), AllowList.fromEnvironment(env), clock, 16, 2048);
  }

  /** Names of the runner-local sources (for {@code runner doctor}). */
  public List<String> localSourceNames() {
    return List.copyOf(localSources.names());
  }

  /**
   * What this runner announces in its heartbeats ({@link RunnerFrame.Heartbeat}): with an
   * allow-list, exactly the sources it names (nothing else will be served, local or not); without
   * one, {@link RunnerFrame.Heartbeat#ANY_SOURCE} (any managed source) plus its runner-local sources.
   */
  public List<String> announcedSources() {
    Set<String> out = new TreeSet<>();
    Optional<Set<String>> allowed = allowList.sources();
    if (allowed.isPresent()) {
      out.addAll(allowed.get());
    } else {
      out.add(RunnerFrame.Heartbeat.ANY_SOURCE);
      out.addAll(localSources.names());
    }
    return List.copyOf(out);
  }

  @Override
  public void submit(RunnerFrame.Job job, Replies reply) {
    Instant received = clock.instant();
    Running r = new Running();
    if (running.putIfAbsent(job.jobId(), r) != null) {
      reply.send(new RunnerFrame.Error(job.jobId(), JOB_REFUSED, "a job with this id is already running"));
      return;
    }
    try {
      r.task = workers.submit(() -> runAndReply(job, received, r, reply));
    } catch (RejectedExecutionException e) {
      running.remove(job.jobId(), r);
      reply.send(new RunnerFrame.Error(job.jobId(), JOB_REFUSED, "the runner is at capacity"));
    }
  }

  @Override
  public void cancel(String jobId) {
    Running r = running.remove(jobId);
    if (r != null) {
      stop(r);
    }
  }

  @Override
  public void cancelAll() {
    for (String id : List.copyOf(running.keySet())) {
      cancel(id);
    }
  }

  private static void stop(Running r) {
    r.cancelled = true;
    Future<?> task = r.task;
    if (task != null) {
      task.cancel(false);
    }
    Statement s = r.statement;
    if (s != null) {
      try {
        s.cancel();
      } catch (SQLException | RuntimeException e) {
        LOG.debug("statement cancel failed: {}", e.getClass().getSimpleName());
      }
    }
  }

  /** Jobs currently queued or running. */
  int inFlight() {
    return running.size();
  }

  private void runAndReply(RunnerFrame.Job job, Instant received, Running r, Replies reply) {
    RunnerFrame answer;
    try {
      answer = run(job, received, r, reply);
    } catch (RuntimeException e) {
      // Contain anything unexpected: the job fails cleanly, the runner stays up.
      LOG.warn("job {} failed unexpectedly: {}", job.jobId(), e.getClass().getSimpleName());
      answer = new RunnerFrame.Error(job.jobId(), ErrorCode.SOURCE_UNREACHABLE.code(), "the source query failed");
    } finally {
      running.remove(job.jobId(), r);
    }
    if (answer != null && !r.cancelled) {
      reply.send(answer);
    }
  }

  /** The job's final frame, or null when there is nothing more to send (cancelled, socket gone). */
  private RunnerFrame run(RunnerFrame.Job job, Instant received, Running r, Replies reply) {
    String id = job.jobId();
    LensSchema schema;
    try {
      schema = job.lens().toSchema();
    } catch (IllegalArgumentException e) {
      return new RunnerFrame.Error(id, ErrorCode.INVALID_REQUEST.code(), "the job's lens mapping is invalid");
    }
    boolean allowed = job.kind() == JobKind.TEST
        ? allowList.allowsSource(job.source()) : allowList.allows(job.source(), schema.schema(), schema.table());
    if (!allowed) {
      LOG.info("job {} refused: source {} table {} is outside this runner's allow-list", id, job.source(), schema.table());
      return new RunnerFrame.Error(id, JOB_REFUSED, "the source or table is not allowed on this runner");
    }
    Optional<JobCredentials> credentials = localSources.find(job.source()).or(job::credentials);
    if (credentials.isEmpty()) {
      return new RunnerFrame.Error(id, JOB_REFUSED, "this runner does not know the source");
    }
    SQLDialect dialect;
    try {
      dialect = SourcePools.dialectOf(credentials.get().url());
    } catch (IllegalArgumentException e) {
      return new RunnerFrame.Error(id, JOB_REFUSED, "the source's database is not supported");
    }
    Instant deadline = received.plusMillis(job.deadlineMillis());
    if (remaining(deadline).toMillis() < 1) {
      return SourceJobs.timeout(id);
    }
    if (job.kind() == JobKind.TEST) {
      return test(job, credentials.get(), received, deadline);
    }
    ReadSpec spec;
    try {
      spec = ReadSpec.fromJson(job.spec(), schema);
    } catch (LensgateException e) {
      return new RunnerFrame.Error(id, e.code().code(), "the job's read spec is invalid");
    }
    SourceJobs jobs = new SourceJobs(id, new JdbcReadExecutor(dialect), schema, spec, clock, received, deadline,
        s -> r.statement = s, () -> r.cancelled, reply, chunks);
    try (Connection c = pools.connect(job.source(), credentials.get(), remaining(deadline))) {
      switch (job.kind()) {
        case QUERY:
          return jobs.query(c);
        case COUNT:
          return jobs.count(c);
        case READ:
          return jobs.read(c);
        default:
          return new RunnerFrame.Error(id, JOB_REFUSED, "this runner does not run " + job.kind().wireName() + " jobs");
      }
    } catch (SQLException e) {
      return failedConnect(id, deadline);
    } catch (LensgateException e) {
      return e.code() == ErrorCode.UPSTREAM_TIMEOUT ? SourceJobs.timeout(id) : SourceJobs.unreachable(id);
    }
  }

  private RunnerFrame test(RunnerFrame.Job job, JobCredentials credentials, Instant received, Instant deadline) {
    try (Connection c = pools.connect(job.source(), credentials, remaining(deadline))) {
      int seconds = (int) Math.max(1, Math.min(3600, remaining(deadline).toSeconds()));
      if (!c.isValid(seconds)) {
        return SourceJobs.unreachable(job.jobId());
      }
      long ms = Math.max(0, Duration.between(received, clock.instant()).toMillis());
      return new RunnerFrame.Result(job.jobId(), List.of(), true, 0, ms, Optional.empty());
    } catch (SQLException e) {
      return failedConnect(job.jobId(), deadline);
    }
  }

  /** A connection that failed only after the deadline is reported as the timeout the gateway already answered. */
  private RunnerFrame failedConnect(String jobId, Instant deadline) {
    return remaining(deadline).isNegative() ? SourceJobs.timeout(jobId) : SourceJobs.unreachable(jobId);
  }

  private Duration remaining(Instant deadline) {
    return Duration.between(clock.instant(), deadline);
  }

  @Override
  public void close() {
    cancelAll();
    workers.shutdownNow();
    pools.close();
  }
}
