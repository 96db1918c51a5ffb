package dev.lensgate.server.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.lensgate.core.config.CredentialsMode;
import dev.lensgate.core.config.LensConfig;
import dev.lensgate.core.config.SourceConfig;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.lens.LensSchema;
import dev.lensgate.core.plan.ReadPage;
import dev.lensgate.core.plan.QueryRequest;
import dev.lensgate.core.plan.ReadSpec;
import dev.lensgate.core.plan.SortKey;
import dev.lensgate.core.runner.JobCredentials;
import dev.lensgate.core.runner.JobKind;
import dev.lensgate.core.runner.JobPages;
import dev.lensgate.core.runner.LensMapping;
import dev.lensgate.core.where.Filter;
import dev.lensgate.server.execute.RemoteReads;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The execute step for sources with {@code runners:}: ships the structured read (lens mapping +
 * read spec, never SQL) as a {@code query} job and rebuilds the page from the runner's rows,
 * re-checked against the gateway's own lens mapping. Also the other job kinds: {@link #count},
 * {@link #readAll} (a streamed full read, for sync) and {@link #test}. Managed credentials are
 * decrypted in memory per job, shipped inside it and wiped here once the job ended;
 * {@code credentials: runner-local} sources ship none.
 */
public final class RunnerReads implements RemoteReads {
  /** The source config of a lens's source in an environment. */
  public interface Sources {
    Optional<SourceConfig> source(String envId, String sourceName);
  }

  /** Decrypted managed credentials of a source, or its config URL with no secret; empty if none. */
  public interface Credentials {
    Optional<JobCredentials> credentials(String envId, SourceConfig source);
  }

  /** The organization owning an environment. */
  public interface Orgs {
    String orgOf(String envId);
  }

  /** Rows one {@link #readAll} may stream. */
  public static final long READ_MAX_ROWS = 50_000_000L;
  /** How long one {@link #readAll} may take in total. */
  public static final Duration READ_DEADLINE = Duration.ofMinutes(30);
  /** {@code test} jobs carry no lens; the frame still needs a valid mapping, which the runner ignores. */
  private static final LensMapping TEST_LENS = new LensMapping("source_test", Optional.empty(), "source_test", "id",
      List.of(new LensMapping.Field("id", "id", "integer")));

  private final JobDispatch dispatcher;
  private final Sources sources;
  private final Credentials credentials;
  private final Orgs orgs;
  private final Duration deadline;

  public RunnerReads(JobDispatch dispatcher, Sources sources, Credentials credentials, Orgs orgs, Duration deadline) {
    this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
    this.sources = Objects.requireNonNull(sources, "sources");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.orgs = Objects.requireNonNull(orgs, "orgs");
    this.deadline = Objects.requireNonNull(deadline, "deadline");
  }

  /**
   * The rows of {@code lens} matching {@code spec}'s filter, counted by a runner ({@code count}
   * job: {@code SELECT COUNT(*)} compiled on the runner by the same {@code where} compiler as
   * direct mode's {@code JdbcReadExecutor.count}); empty when the lens's source has no runners.
   *
   * @throws LensgateException as {@link JobDispatch#dispatch}
   */
  public OptionalLong count(String envId, LensConfig lens, ReadSpec spec) {
    Optional<SourceConfig> source = viaRunners(envId, lens.source());
    if (source.isEmpty()) {
      return OptionalLong.empty();
    }
    JobOutcome outcome = run(envId, source.get(), JobKind.COUNT, LensMapping.of(lens.schema()), spec.toJson(), deadline,
        request -> dispatcher.dispatch(request));
    return OptionalLong.of(outcome.rowCount());
  }

  /**
   * Streams every row of {@code lens} matching {@code filter} — all declared fields, in primary-key
   * order — to {@code onChunk}, chunk by chunk on the calling thread ({@code read} job, at most
   * {@value #READ_MAX_ROWS} rows, within {@link #READ_DEADLINE}). Rows are typed and checked
   * against the gateway's own lens mapping before the consumer sees them. On failure the consumer
   * may have seen some chunks; treat them as incomplete.
   *
   * @return the number of rows delivered; empty when the lens's source has no runners
   * @throws LensgateException as {@link JobDispatch#dispatch}, or {@code RUNNER_FAILED} when the
   *     runner's rows do not fit the lens; a consumer's own exception is rethrown after the job
   *     was cancelled
   */
  public OptionalLong readAll(String envId, LensConfig lens, Filter filter, Consumer<List<Map<String, Object>>> onChunk) {
    Optional<SourceConfig> source = viaRunners(envId, lens.source());
    if (source.isEmpty()) {
      return OptionalLong.empty();
    }
    LensSchema schema = lens.schema();
    ReadSpec spec = new ReadSpec(schema.name(), filter, List.of(SortKey.asc(schema.primaryKey())), QueryRequest.MAX_LIMIT,
        0, Optional.empty(), List.copyOf(schema.fields().keySet()));
    Consumer<List<JsonNode>> typed = rows -> onChunk.accept(typedRows(rows, spec, schema));
    JobOutcome outcome = run(envId, source.get(), JobKind.READ, LensMapping.of(schema), spec.toJson(), READ_DEADLINE,
        request -> dispatcher.stream(request, READ_MAX_ROWS, typed));
    return OptionalLong.of(outcome.rowCount());
  }

  /**
   * Checks that a runner can reach {@code sourceName} ({@code test} job: a connection and a
   * validity check, no rows).
   *
   * @return empty when it can, else the stable error code ({@code source_unreachable},
   *     {@code upstream_timeout}, {@code runner_failed}, {@code no_runners_online})
   * @throws LensgateException {@code INVALID_REQUEST} when the source is unknown or has no runners
   */
  public Optional<ErrorCode> test(String envId, String sourceName) {
    SourceConfig sc = viaRunners(envId, sourceName).orElseThrow(() -> new LensgateException(ErrorCode.INVALID_REQUEST,
        "the source is unknown or is not read through runners"));
    try {
      run(envId, sc, JobKind.TEST, TEST_LENS, JsonNodeFactory.instance.objectNode(), deadline,
          request -> dispatcher.dispatch(request));
      return Optional.empty();
    } catch (LensgateException e) {
      return Optional.of(e.code());
    }
  }

  private Optional<SourceConfig> viaRunners(String envId, String sourceName) {
    return sources.source(envId, sourceName).filter(SourceConfig::viaRunners);
  }

  /** Builds and runs one job; managed credentials are wiped once it ended. */
  private JobOutcome run(String envId, SourceConfig sc, JobKind kind, LensMapping mapping, JsonNode spec, Duration limit,
      Function<JobRequest, JobOutcome> how) {
    Optional<JobCredentials> creds = sc.credentials() == CredentialsMode.RUNNER_LOCAL
        ? Optional.empty() : credentials.credentials(envId, sc);
    try {
      return how.apply(new JobRequest(orgs.orgOf(envId), envId, sc.name(), sc.runners(), kind, mapping, spec, creds, limit));
    } finally {
      creds.ifPresent(c -> c.password().wipe());
    }
  }

  private static List<Map<String, Object>> typedRows(List<JsonNode> rows, ReadSpec spec, LensSchema schema) {
    try {
      return JobPages.toPage(rows, Optional.empty(), spec, schema).rows();
    } catch (IllegalArgumentException e) {
      throw new LensgateException(ErrorCode.RUNNER_FAILED, "the runner returned rows that do not fit the lens");
    }
  }

  @Override
  public Optional<ReadPage> fetch(String envId, LensConfig lens, ReadSpec spec) {
    Optional<SourceConfig> source = sources.source(envId, lens.source());
    if (source.isEmpty() || !source.get().viaRunners()) {
      return Optional.empty();
    }
    JobOutcome outcome = run(envId, source.get(), JobKind.QUERY, LensMapping.of(lens.schema()), spec.toJson(), deadline,
        request -> dispatcher.dispatch(request));
    try {
      return Optional.of(JobPages.toPage(outcome.rows(), outcome.next(), spec, lens.schema()));
    } catch (IllegalArgumentException e) {
      throw new LensgateException(ErrorCode.RUNNER_FAILED, "the runner returned rows that do not fit the lens");
    }
  }
}
