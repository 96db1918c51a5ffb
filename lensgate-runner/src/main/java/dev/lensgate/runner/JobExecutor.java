package dev.lensgate.runner;

import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.lens.LensSchema;
import dev.lensgate.core.plan.JdbcReadExecutor;
import dev.lensgate.core.plan.ReadPage;
import dev.lensgate.core.plan.ReadSpec;
import dev.lensgate.core.runner.JobCredentials;
import dev.lensgate.core.runner.JobKind;
import dev.lensgate.core.runner.JobPages;
import dev.lensgate.core.runner.RunnerFrame;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
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
 *
 * <p>Each job gets exactly one answer: a final {@code result} or an {@code error} whose message is
 * fixed text (never driver text, which can quote values), except a cancelled job, which gets none.
 * Jobs run on a bounded pool; a full queue refuses the job instead of growing. Thread-safe.
 */
public final class JobExecutor implements JobHandler, AutoCloseable {
  public static final String JOB_REFUSED = "job_refused";
  private static final Logger LOG = LoggerFactory.getLogger(JobExecutor.class);

  private final LocalSources localSources;
  private final AllowList allowList;
  private final SourcePools pools;
  private final Clock clock;
  private final ThreadPoolExecutor workers;
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
    this.pools = new SourcePools(threads, Duration.ofSeconds(5));
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

  /** Names of the runner-local sources (for heartbeats and {@code runner doctor}). */
  public List<String> localSourceNames() {
    return List.copyOf(localSources.names());
  }

  @Override
  public void submit(RunnerFrame.Job job, Consumer<RunnerFrame> reply) {
    Instant received = clock.instant();
    Running r = new Running();
    if (running.putIfAbsent(job.jobId(), r) != null) {
      reply.accept(new RunnerFrame.Error(job.jobId(), JOB_REFUSED, "a job with this id is already running"));
      return;
    }
    try {
      r.task = workers.submit(() -> runAndReply(job, received, r, reply));
    } catch (RejectedExecutionException e) {
      running.remove(job.jobId(), r);
      reply.accept(new RunnerFrame.Error(job.jobId(), JOB_REFUSED, "the runner is at capacity"));
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

  private void runAndReply(RunnerFrame.Job job, Instant received, Running r, Consumer<RunnerFrame> reply) {
    RunnerFrame answer;
    try {
      answer = run(job, received, r);
    } catch (RuntimeException e) {
      // Contain anything unexpected: the job fails cleanly, the runner stays up.
      LOG.warn("job {} failed unexpectedly: {}", job.jobId(), e.getClass().getSimpleName());
      answer = new RunnerFrame.Error(job.jobId(), ErrorCode.SOURCE_UNREACHABLE.code(), "the source query failed");
    } finally {
      running.remove(job.jobId(), r);
    }
    if (!r.cancelled) {
      reply.accept(answer);
    }
  }

  private RunnerFrame run(RunnerFrame.Job job, Instant received, Running r) {
    String id = job.jobId();
    LensSchema schema;
    try {
      schema = job.lens().toSchema();
    } catch (IllegalArgumentException e) {
      return new RunnerFrame.Error(id, ErrorCode.INVALID_REQUEST.code(), "the job's lens mapping is invalid");
    }
    if (!allowList.allows(job.source(), schema.schema(), schema.table())) {
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
    Duration remaining = Duration.ofMillis(job.deadlineMillis()).minus(Duration.between(received, clock.instant()));
    if (remaining.toMillis() < 1) {
      return timeout(id);
    }
    if (job.kind() == JobKind.TEST) {
      return test(job, credentials.get(), received, remaining);
    }
    if (job.kind() != JobKind.QUERY) {
      return new RunnerFrame.Error(id, JOB_REFUSED, "this runner does not run " + job.kind().wireName() + " jobs");
    }
    ReadSpec spec;
    try {
      spec = ReadSpec.fromJson(job.spec(), schema);
    } catch (LensgateException e) {
      return new RunnerFrame.Error(id, e.code().code(), "the job's read spec is invalid");
    }
    try (Connection c = pools.connect(job.source(), credentials.get())) {
      ReadPage page = new JdbcReadExecutor(dialect).fetch(c, spec, schema, remaining, s -> r.statement = s);
      return JobPages.toResult(id, page, elapsedMillis(received));
    } catch (SQLException e) {
      return unreachable(id);
    } catch (LensgateException e) {
      return e.code() == ErrorCode.UPSTREAM_TIMEOUT ? timeout(id) : unreachable(id);
    }
  }

  private RunnerFrame test(RunnerFrame.Job job, JobCredentials credentials, Instant received, Duration remaining) {
    try (Connection c = pools.connect(job.source(), credentials)) {
      int seconds = (int) Math.max(1, Math.min(3600, remaining.toSeconds()));
      if (!c.isValid(seconds)) {
        return unreachable(job.jobId());
      }
      return new RunnerFrame.Result(job.jobId(), List.of(), true, 0, elapsedMillis(received), Optional.empty());
    } catch (SQLException e) {
      return unreachable(job.jobId());
    }
  }

  private long elapsedMillis(Instant since) {
    return Math.max(0, Duration.between(since, clock.instant()).toMillis());
  }

  private static RunnerFrame unreachable(String jobId) {
    return new RunnerFrame.Error(jobId, ErrorCode.SOURCE_UNREACHABLE.code(), "the source query failed");
  }

  private static RunnerFrame timeout(String jobId) {
    return new RunnerFrame.Error(jobId, ErrorCode.UPSTREAM_TIMEOUT.code(), "the source did not answer in time");
  }

  @Override
  public void close() {
    cancelAll();
    workers.shutdownNow();
    pools.close();
  }
}
