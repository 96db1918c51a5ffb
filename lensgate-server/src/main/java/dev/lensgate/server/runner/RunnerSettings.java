package dev.lensgate.server.runner;

import dev.lensgate.server.EnvironmentValues;
import java.time.Duration;
import java.util.Map;

/**
 * Runner-gateway tunables, read from the gateway's environment (no config-file surface yet).
 *
 * @param heartbeatInterval sent to runners in {@code hello}; a runner silent for two intervals is unhealthy
 * @param jobDeadline how long a request waits for a runner's answer
 * @param maxInFlightPerSocket jobs one runner socket may hold at once
 */
public record RunnerSettings(Duration heartbeatInterval, Duration jobDeadline, int maxInFlightPerSocket) {
  public static final String HEARTBEAT_SECONDS = "LENSGATE_RUNNER_HEARTBEAT_SECONDS";
  public static final String JOB_DEADLINE_MILLIS = "LENSGATE_RUNNER_JOB_DEADLINE_MS";
  public static final String MAX_IN_FLIGHT = "LENSGATE_RUNNER_MAX_IN_FLIGHT";

  public RunnerSettings {
    if (heartbeatInterval.toSeconds() < 1 || heartbeatInterval.toSeconds() > 3600) {
      throw new IllegalArgumentException("runner heartbeat interval must be 1..3600 s");
    }
    if (jobDeadline.toMillis() < 1 || jobDeadline.toMillis() > 3_600_000) {
      throw new IllegalArgumentException("runner job deadline must be 1 ms..1 h");
    }
    if (maxInFlightPerSocket < 1) {
      throw new IllegalArgumentException("runner max in-flight jobs must be positive");
    }
  }

  /** Defaults (25 s, 30 s, 1024) overridden by the named environment variables. */
  public static RunnerSettings from(Map<String, String> env) {
    return new RunnerSettings(
        Duration.ofSeconds(EnvironmentValues.wholeNumber(env, HEARTBEAT_SECONDS, 25)),
        Duration.ofMillis(EnvironmentValues.wholeNumber(env, JOB_DEADLINE_MILLIS, 30_000)),
        (int) EnvironmentValues.wholeNumber(env, MAX_IN_FLIGHT, JobDispatcher.DEFAULT_MAX_IN_FLIGHT_PER_SOCKET));
  }
}
