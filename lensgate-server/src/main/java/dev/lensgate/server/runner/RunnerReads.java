package dev.lensgate.server.runner;

import dev.lensgate.core.config.CredentialsMode;
import dev.lensgate.core.config.LensConfig;
import dev.lensgate.core.config.SourceConfig;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.plan.ReadPage;
import dev.lensgate.core.plan.ReadSpec;
import dev.lensgate.core.runner.JobCredentials;
import dev.lensgate.core.runner.JobKind;
import dev.lensgate.core.runner.JobPages;
import dev.lensgate.core.runner.LensMapping;
import dev.lensgate.server.execute.RemoteReads;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The execute step for sources with {@code runners:}: ships the structured read (lens mapping +
 * read spec, never SQL) as a {@code query} job and rebuilds the page from the runner's rows,
 * re-checked against the gateway's own lens mapping. Managed credentials are decrypted in memory
 * per job, shipped inside it and wiped here after sending; {@code credentials: runner-local}
 * sources ship none.
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

  @Override
  public Optional<ReadPage> fetch(String envId, LensConfig lens, ReadSpec spec) {
    Optional<SourceConfig> source = sources.source(envId, lens.source());
    if (source.isEmpty() || !source.get().viaRunners()) {
      return Optional.empty();
    }
    SourceConfig sc = source.get();
    Optional<JobCredentials> creds = sc.credentials() == CredentialsMode.RUNNER_LOCAL
        ? Optional.empty() : credentials.credentials(envId, sc);
    JobOutcome outcome;
    try {
      outcome = dispatcher.dispatch(new JobRequest(orgs.orgOf(envId), envId, sc.name(), sc.runners(), JobKind.QUERY,
          LensMapping.of(lens.schema()), spec.toJson(), creds, deadline));
    } finally {
      creds.ifPresent(c -> c.password().wipe());
    }
    try {
      return Optional.of(JobPages.toPage(outcome.rows(), outcome.next(), spec, lens.schema()));
    } catch (IllegalArgumentException e) {
      throw new LensgateException(ErrorCode.RUNNER_FAILED, "the runner returned rows that do not fit the lens");
    }
  }
}
