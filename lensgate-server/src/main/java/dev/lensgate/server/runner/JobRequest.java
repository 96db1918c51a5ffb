package dev.lensgate.server.runner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lensgate.core.runner.JobCredentials;
import dev.lensgate.core.runner.JobKind;
import dev.lensgate.core.runner.LensMapping;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One job to run on some runner of {@code orgId} named in {@code runnerNames}.
 *
 * @param spec the structured read ({@code ReadSpec.toJson()}), never SQL
 * @param credentials managed credentials, decrypted in memory; empty for runner-local sources
 * @param deadline how long to wait for the last result before {@code 504 upstream_timeout}
 */
public record JobRequest(String orgId, String envId, String source, List<String> runnerNames, JobKind kind,
    LensMapping lens, JsonNode spec, Optional<JobCredentials> credentials, Duration deadline) {
  public JobRequest {
    Objects.requireNonNull(orgId, "orgId");
    Objects.requireNonNull(envId, "envId");
    Objects.requireNonNull(source, "source");
    runnerNames = List.copyOf(runnerNames);
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(lens, "lens");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(credentials, "credentials");
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("deadline must be positive");
    }
  }

  @Override
  public String toString() {
    return "JobRequest[env=" + envId + ", source=" + source + ", kind=" + kind.wireName() + "]";
  }
}
