package dev.lensgate.core.runner;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One frame of the runner protocol (CONTRACT §7), in either direction. Frames are plain values;
 * {@link RunnerFrameCodec} turns them into JSON text with a {@code type} discriminator and back,
 * enforcing the protocol's bounds. Records validate only non-nullness here; wire bounds (lengths,
 * counts, depth) are the codec's job so that a frame built in code and a frame read from a peer
 * obey the same limits when they cross the wire.
 *
 * <p>Gateway → runner: {@link Hello}, {@link Job}, {@link Cancel}, {@link Refused}.
 * Runner → gateway: {@link Heartbeat}, {@link Result}, {@link Error}.
 *
 * <p>{@link JsonNode} members ({@code spec}, {@code rows}, {@code next}) are treated as immutable
 * by convention: nobody mutates a frame's tree after building or decoding it.
 */
public sealed interface RunnerFrame {

  /** The wire value of the {@code type} discriminator. */
  String type();

  /** Sent once after the gateway accepted the runner's token. */
  record Hello(String runnerId, String sessionId, int heartbeatSeconds) implements RunnerFrame {
    public Hello {
      Objects.requireNonNull(runnerId, "runnerId");
      Objects.requireNonNull(sessionId, "sessionId");
    }

    @Override
    public String type() { return "hello"; }
  }

  /**
   * A structured job, never SQL. The runner validates {@code lens} ({@link LensMapping#toSchema()})
   * and {@code spec} ({@code ReadSpec.fromJson(spec, schema)}) itself before compiling anything.
   *
   * @param source the source name the runner must know
   * @param spec the read spec's wire form ({@code ReadSpec.toJson()}); an empty object for {@code test}
   * @param credentials managed credentials, empty for runner-local sources
   * @param deadlineMillis how long the gateway waits for the last result, from dispatch
   */
  record Job(String jobId, JobKind kind, String source, LensMapping lens, JsonNode spec,
      Optional<JobCredentials> credentials, long deadlineMillis) implements RunnerFrame {
    public Job {
      Objects.requireNonNull(jobId, "jobId");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(lens, "lens");
      Objects.requireNonNull(spec, "spec");
      Objects.requireNonNull(credentials, "credentials");
    }

    @Override
    public String type() { return "job"; }

    /** Never shows the credentials or the spec's values. */
    @Override
    public String toString() {
      return "Job[jobId=" + jobId + ", kind=" + kind.wireName() + ", source=" + source
          + ", lens=" + lens.name() + ", credentials=" + (credentials.isPresent() ? "managed" : "none")
          + ", deadlineMillis=" + deadlineMillis + "]";
    }
  }

  /** The gateway gave up on a job (deadline, client gone): the runner cancels its statement. */
  record Cancel(String jobId) implements RunnerFrame {
    public Cancel {
      Objects.requireNonNull(jobId, "jobId");
    }

    @Override
    public String type() { return "cancel"; }
  }

  /** The gateway refuses this runner (e.g. {@code key_revoked}) and closes the socket. */
  record Refused(String code) implements RunnerFrame {
    public Refused {
      Objects.requireNonNull(code, "code");
    }

    @Override
    public String type() { return "refused"; }
  }

  /**
   * Liveness plus what the runner serves.
   *
   * <p>{@code sources} announces which jobs the runner will take: the names of the sources it may
   * serve (its allow-list's sources when it has one, plus its runner-local sources), and
   * {@link #ANY_SOURCE} when it has no allow-list and so takes any managed source. An empty list
   * announces nothing (an older runner): the gateway then treats it as unrestricted.
   *
   * @param version the runner's version
   * @param sources source names, and/or {@link #ANY_SOURCE}
   */
  record Heartbeat(String version, List<String> sources) implements RunnerFrame {
    /** "Any managed source": the runner has no allow-list. */
    public static final String ANY_SOURCE = "*";

    public Heartbeat {
      Objects.requireNonNull(version, "version");
      sources = List.copyOf(sources);
    }

    @Override
    public String type() { return "heartbeat"; }
  }

  /**
   * One chunk of a job's rows; the last chunk has {@code done = true}.
   *
   * @param rows JSON objects, one per row, keyed by lens field name, scalar values only
   * @param rowCount rows in this job so far including this chunk (for {@code count}: the count)
   * @param next the keyset position after the last row when more rows exist (a JSON array of
   *     text/null values, as {@code ReadSpec}'s {@code after}); the gateway signs it into a cursor
   */
  record Result(String jobId, List<JsonNode> rows, boolean done, long rowCount, long durationMs,
      Optional<JsonNode> next) implements RunnerFrame {
    public Result {
      Objects.requireNonNull(jobId, "jobId");
      rows = List.copyOf(rows);
      Objects.requireNonNull(next, "next");
    }

    @Override
    public String type() { return "result"; }

    /** Never shows row values. */
    @Override
    public String toString() {
      return "Result[jobId=" + jobId + ", rows=" + rows.size() + ", done=" + done
          + ", rowCount=" + rowCount + ", durationMs=" + durationMs + "]";
    }
  }

  /**
   * A job failed on the runner, or (without a job id) the runner could not use a gateway frame.
   *
   * @param code a stable code such as {@code source_unreachable}, {@code upstream_timeout},
   *     {@code invalid_request}, {@code source_not_allowed}
   * @param message a safe message: never a value, a credential or SQL
   */
  record Error(Optional<String> jobId, String code, String message) implements RunnerFrame {
    public Error {
      Objects.requireNonNull(jobId, "jobId");
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
    }

    public Error(String jobId, String code, String message) {
      this(Optional.of(jobId), code, message);
    }

    @Override
    public String type() { return "error"; }
  }
}
