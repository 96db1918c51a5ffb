package dev.lensgate.server.runner;

import dev.lensgate.core.runner.RunnerFrame;
import dev.lensgate.core.runner.RunnerFrameCodec;
import dev.lensgate.server.store.RunnerInfo;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One connected runner socket: who it is (a verified {@link RunnerInfo}), when it was last heard
 * from, what it serves, how many jobs it holds. Sends are serialized here so frames from several
 * dispatching threads never interleave. Thread-safe.
 */
final class RunnerSession {
  /** Policy violation: revoked key, malformed frame, wrong-direction frame. */
  static final int CLOSE_POLICY = 1008;
  static final int CLOSE_GOING_AWAY = 1001;

  private final String sessionId;
  private final RunnerInfo runner;
  private final RunnerSocket socket;
  private final RunnerFrameCodec codec;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Instant lastSeen;
  private volatile List<String> sources = List.of();
  private volatile String version = "";

  RunnerSession(String sessionId, RunnerInfo runner, RunnerSocket socket, RunnerFrameCodec codec, Instant connectedAt) {
    this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
    this.runner = Objects.requireNonNull(runner, "runner");
    this.socket = Objects.requireNonNull(socket, "socket");
    this.codec = Objects.requireNonNull(codec, "codec");
    this.lastSeen = connectedAt;
  }

  String sessionId() { return sessionId; }

  RunnerInfo runner() { return runner; }

  Instant lastSeen() { return lastSeen; }

  List<String> sources() { return sources; }

  String version() { return version; }

  boolean isClosed() { return closed.get(); }

  /**
   * Whether this runner's last heartbeat allows sending it a job for {@code source}: nothing
   * announced → yes; the name announced → yes; {@code "*"} announced → yes unless the source is
   * runner-local (only a runner holding that source's environment can serve it, and it lists it).
   * Names compare as the runner's environment variables do: case-insensitive, {@code -}/{@code .}
   * as {@code _}. See {@link JobDispatcher}.
   */
  boolean announces(String source, boolean runnerLocal) {
    List<String> announced = sources;
    if (announced.isEmpty()) {
      return true;
    }
    String wanted = normalized(source);
    for (String a : announced) {
      if (RunnerFrame.Heartbeat.ANY_SOURCE.equals(a) ? !runnerLocal : normalized(a).equals(wanted)) {
        return true;
      }
    }
    return false;
  }

  private static String normalized(String source) {
    return source.toLowerCase(Locale.ROOT).replace('-', '_').replace('.', '_');
  }

  void heard(Instant at, String version, List<String> sources) {
    this.lastSeen = at;
    this.version = version;
    this.sources = List.copyOf(sources);
  }

  /** Takes one in-flight slot if fewer than {@code max} are taken. */
  boolean tryAcquire(int max) {
    while (true) {
      int n = inFlight.get();
      if (n >= max) {
        return false;
      }
      if (inFlight.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  void release() {
    inFlight.decrementAndGet();
  }

  int inFlight() { return inFlight.get(); }

  /** Sends {@code frame}; false if the session is closed or the send failed (the socket is then closed). */
  boolean send(RunnerFrame frame) {
    if (closed.get()) {
      return false;
    }
    String text = codec.encode(frame);
    synchronized (this) {
      try {
        socket.send(text);
        return true;
      } catch (RuntimeException e) {
        close(CLOSE_GOING_AWAY, "send failed");
        return false;
      }
    }
  }

  /** Sends {@code refused{code}} and closes the socket. Idempotent. */
  void refuse(String code) {
    if (closed.get()) {
      return;
    }
    send(new RunnerFrame.Refused(code));
    close(CLOSE_POLICY, code);
  }

  /** Closes the socket once; the endpoint's close handler then fails this session's jobs. */
  void close(int status, String reason) {
    if (closed.compareAndSet(false, true)) {
      synchronized (this) {
        try {
          socket.close(status, reason);
        } catch (RuntimeException e) {
          // Already gone; the close handler still runs.
        }
      }
    }
  }

  /** Marks closed without touching the socket (the peer closed it). */
  void markClosed() {
    closed.set(true);
  }
}
