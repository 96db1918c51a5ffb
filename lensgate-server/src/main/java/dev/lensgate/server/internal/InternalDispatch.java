package dev.lensgate.server.internal;

import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.server.audit.RequestLog;
import dev.lensgate.server.http.JsonBodies;
import dev.lensgate.server.runner.JobDispatch;
import dev.lensgate.server.runner.RunnerReads;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's part in internal dispatch, as {@link InternalDispatchSettings} decide it; the one
 * thing the composition root talks to. Off: the local dispatcher, local credentials, no listener.
 * API node: jobs go to the runner-facing node and nothing is decrypted here. Runner-facing node:
 * an internal listener in front of the local dispatcher.
 *
 * <p>Closing stops the listener and wipes the token. Wired and started by one thread (the
 * composition root); the dispatch and credentials objects it hands out are thread-safe.
 */
public final class InternalDispatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InternalDispatch.class);
  private final InternalDispatchSettings settings;
  private InternalDispatchServer server;

  private InternalDispatch(InternalDispatchSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * @throws IllegalArgumentException naming the variable when the environment's settings are invalid
   *     (e.g. a token shorter than {@value InternalDispatchSettings#MIN_TOKEN_CHARS} characters)
   */
  public static InternalDispatch from(Map<String, String> environment) {
    return new InternalDispatch(InternalDispatchSettings.from(environment));
  }

  public InternalDispatchSettings settings() {
    return settings;
  }

  /**
   * Whether this is the runner-facing node of a split pair. Such a node keeps no search indexes:
   * syncs and live streams belong to the API node, whose index serves search, so a sync claimed here
   * would update an index nobody reads and a subscriber here would hear nothing.
   */
  public boolean runnerFacing() {
    return settings.listens();
  }

  /** Where runner jobs go: the runner-facing node on an API node, else {@code local}. */
  public JobDispatch dispatch(JobDispatch local) {
    if (settings.remote().isEmpty()) {
      return Objects.requireNonNull(local, "local");
    }
    return new InternalDispatchClient(settings.remote().get(), settings.token().get(),
        InternalDispatchClient.DEFAULT_MARGIN, InternalDispatchClient.DEFAULT_MAX_RESPONSE_BYTES);
  }

  /** On an API node no credentials are decrypted (the runner-facing node does it); else {@code local}. */
  public RunnerReads.Credentials credentials(RunnerReads.Credentials local) {
    if (settings.remote().isEmpty()) {
      return Objects.requireNonNull(local, "local");
    }
    return (envId, source) -> Optional.empty();
  }

  /** Builds the internal listener when this is a runner-facing node; {@link #start()} opens it. */
  public void serve(JobDispatch local, RunnerReads.Sources sources, RunnerReads.Credentials credentials,
      RunnerReads.Orgs orgs, RequestLog requestLog, Clock clock) {
    if (!settings.listens() || server != null) {
      return;
    }
    SecretBytes token = settings.token().get();
    InternalDispatchRoute route = new InternalDispatchRoute(token, new JsonBodies(InternalDispatchServer.MAX_BODY_BYTES),
        local, sources, credentials, orgs);
    server = new InternalDispatchServer(settings.listenHost().get(), settings.listenPort(), route, requestLog, clock);
  }

  /** Opens the internal listener, if any. */
  public void start() {
    if (server != null) {
      server.start();
      LOG.info("internal dispatch listening on {}:{}", settings.listenHost().get(), server.port());
      if (!settings.listensOnLoopbackOnly()) {
        LOG.warn("internal dispatch listener is bound to non-loopback address {}: it speaks plain HTTP, so keep "
            + "that address on a private network reachable only by the API nodes", settings.listenHost().get());
      }
    }
  }

  /** The internal listener's bound port, or -1 when this node has none. */
  public int port() {
    return server == null ? -1 : server.port();
  }

  @Override
  public void close() {
    try {
      if (server != null) {
        server.close();
      }
    } finally {
      settings.token().ifPresent(SecretBytes::wipe);
    }
  }
}
