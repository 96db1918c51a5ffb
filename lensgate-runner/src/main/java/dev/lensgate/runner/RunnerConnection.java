package dev.lensgate.runner;

import dev.lensgate.core.runner.MalformedFrameException;
import dev.lensgate.core.runner.RunnerFrame;
import dev.lensgate.core.runner.RunnerFrameCodec;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner's one outbound connection: dials {@code /v1/runner/connect} (TLS per
 * {@link GatewayTls}), waits for {@code hello}, then heartbeats and serves {@code job} /
 * {@code cancel} frames through a {@link JobHandler}, many jobs in flight on the one socket.
 * When the socket ends it reconnects after a {@link Backoff} delay (reset by every session that
 * reached {@code hello}); a {@code refused} for a revoked or invalid key switches to one long
 * delay, so a dead key does not hammer the gateway.
 *
 * <p>Security: the upgrade URL holds the token, so neither it nor any exception text from the
 * HTTP client is logged — only exception class names. Malformed gateway frames are answered with
 * an {@code error} frame and never crash the runner. Thread-safe; {@link #stop()} is idempotent.
 */
public final class RunnerConnection implements AutoCloseable {
  public static final Duration DEFAULT_REFUSED_DELAY = Duration.ofMinutes(10);
  private static final Logger LOG = LoggerFactory.getLogger(RunnerConnection.class);
  private static final Set<String> KEY_REFUSALS = Set.of("key_revoked", "invalid_api_key");
  private static final Duration DIAL_TIMEOUT = Duration.ofSeconds(15);

  /** Observes the connection's life (CLI output, tests). Called from connection threads. */
  public interface Listener {
    default void onHello(RunnerFrame.Hello hello) {}

    default void onRefused(String code) {}

    /** The session ended or could not start; the next attempt comes after {@code retryIn}. */
    default void onDisconnected(Duration retryIn) {}
  }

  private final RunnerSettings settings;
  private final JobHandler jobs;
  private final Supplier<List<String>> sources;
  private final String version;
  private final Backoff backoff;
  private final Duration refusedDelay;
  private final Listener listener;
  private final RunnerFrameCodec codec = RunnerFrameCodec.withDefaults();
  private final HttpClient client;
  private final ScheduledExecutorService heartbeats;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Thread loop;
  private volatile Session current;

  public RunnerConnection(RunnerSettings settings, JobHandler jobs, Supplier<List<String>> sources, String version,
      Backoff backoff, Duration refusedDelay, Listener listener) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.jobs = Objects.requireNonNull(jobs, "jobs");
    this.sources = Objects.requireNonNull(sources, "sources");
    this.version = Objects.requireNonNull(version, "version");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.refusedDelay = Objects.requireNonNull(refusedDelay, "refusedDelay");
    this.listener = Objects.requireNonNull(listener, "listener");
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(DIAL_TIMEOUT);
    if (settings.usesTls()) {
      GatewayTls tls = GatewayTls.of(settings);
      b.sslContext(tls.context()).sslParameters(tls.parameters());
    }
    this.client = b.build();
    this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "lensgate-runner-heartbeat");
      t.setDaemon(true);
      return t;
    });
    this.loop = new Thread(this::run, "lensgate-runner-connection");
  }

  /** Starts dialing in the background. */
  public void start() {
    loop.start();
  }

  /** Blocks until {@link #stop()} is called (the {@code lensgate runner} main thread). */
  public void awaitStop() throws InterruptedException {
    stopped.await();
    loop.join();
  }

  private void run() {
    while (stopped.getCount() > 0) {
      Session s = dial();
      if (s != null) {
        current = s;
        // stop() may have run after the socket opened but before current was set (hello can
        // arrive first): it then saw no session to close, so close it here or join() never returns.
        if (stopped.getCount() == 0) {
          s.close();
        }
        s.closed.join();
        current = null;
        s.end();
      }
      Duration delay;
      if (s != null && s.refusedCode != null && KEY_REFUSALS.contains(s.refusedCode)) {
        delay = refusedDelay;
        LOG.error("the gateway refused this runner's token ({}); check LENSGATE_RUNNER_TOKEN. Next attempt in {} s",
            s.refusedCode, delay.toSeconds());
      } else {
        if (s != null && s.hello != null) {
          backoff.reset();
        }
        delay = backoff.next();
        LOG.info("gateway connection {}; next attempt in {} ms", s == null ? "failed" : "closed", delay.toMillis());
      }
      listener.onDisconnected(delay);
      try {
        if (stopped.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
          break;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
  }

  /** One upgrade attempt; null when it failed (never logs the token header). */
  private Session dial() {
    Session s = new Session();
    try {
      client.newWebSocketBuilder().connectTimeout(DIAL_TIMEOUT)
          .header("Authorization", settings.authorizationHeader())
          .buildAsync(settings.connectUri(), s)
          .get(DIAL_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
      LOG.info("connected to {}", settings.gatewayUrl());
      return s;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof WebSocketHandshakeException) {
        int status = ((WebSocketHandshakeException) cause).getResponse().statusCode();
        LOG.warn("the gateway did not accept the upgrade (HTTP {})", status);
        if (status == 401 || status == 403) {
          s.refusedCode = "invalid_api_key";
          return s.endedBeforeOpen();
        }
      } else {
        LOG.warn("cannot reach the gateway at {} ({})", settings.gatewayUrl(), rootName(e));
      }
    } catch (TimeoutException e) {
      LOG.warn("cannot reach the gateway at {} (timeout)", settings.gatewayUrl());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return null;
  }

  private static String rootName(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName();
  }

  /** Closes the socket, stops in-flight jobs and the loop; waits for the loop to end. */
  public void stop() {
    stopped.countDown();
    Session s = current;
    if (s != null) {
      s.close();
    }
    if (loop.isAlive() && Thread.currentThread() != loop) {
      try {
        loop.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    heartbeats.shutdownNow();
    jobs.cancelAll();
  }

  @Override
  public void close() {
    stop();
  }

  /** One WebSocket session: receive side (the JDK listener), serialized send side, heartbeats. */
  private final class Session implements WebSocket.Listener {
    final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile WebSocket socket;
    private CompletableFuture<?> sendChain = CompletableFuture.completedFuture(null);
    private ScheduledFuture<?> heartbeat;
    volatile RunnerFrame.Hello hello;
    volatile String refusedCode;
    private final JobHandler.Replies replies = new JobHandler.Replies() {
      @Override
      public void send(RunnerFrame frame) {
        Session.this.send(frame);
      }

      @Override
      public CompletionStage<?> sendPaced(RunnerFrame frame) {
        return Session.this.send(frame);
      }
    };

    Session endedBeforeOpen() {
      closed.complete(null);
      return this;
    }

    @Override
    public void onOpen(WebSocket ws) {
      socket = ws;
      ws.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      if (partial.length() + data.length() > codec.maxFrameBytes()) {
        LOG.warn("gateway frame exceeds {} bytes; closing", codec.maxFrameBytes());
        partial.setLength(0);
        ws.sendClose(1009, "frame too large");
        ws.abort();
        closed.complete(null);
        return null;
      }
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        handle(text);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, java.nio.ByteBuffer data, boolean last) {
      if (last) {
        send(new RunnerFrame.Error(Optional.empty(), "invalid_request", "binary frames are not part of the protocol"));
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      closed.complete(null);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      LOG.warn("gateway connection failed ({})", rootName(error));
      closed.complete(null);
    }

    private void handle(String text) {
      RunnerFrame frame;
      try {
        frame = codec.decode(text);
      } catch (MalformedFrameException e) {
        LOG.warn("malformed frame from the gateway: {}", e.getMessage());
        send(new RunnerFrame.Error(Optional.empty(), "invalid_request", "malformed frame"));
        return;
      }
      if (frame instanceof RunnerFrame.Hello) {
        onHello((RunnerFrame.Hello) frame);
      } else if (frame instanceof RunnerFrame.Job) {
        RunnerFrame.Job job = (RunnerFrame.Job) frame;
        if (hello == null) {
          send(new RunnerFrame.Error(job.jobId(), "invalid_request", "job before hello"));
        } else {
          jobs.submit(job, replies);
        }
      } else if (frame instanceof RunnerFrame.Cancel) {
        jobs.cancel(((RunnerFrame.Cancel) frame).jobId());
      } else if (frame instanceof RunnerFrame.Refused) {
        refusedCode = ((RunnerFrame.Refused) frame).code();
        listener.onRefused(refusedCode);
        close();
      } else {
        send(new RunnerFrame.Error(Optional.empty(), "invalid_request", "unexpected " + frame.type() + " frame"));
      }
    }

    private void onHello(RunnerFrame.Hello h) {
      if (hello != null) {
        send(new RunnerFrame.Error(Optional.empty(), "invalid_request", "duplicate hello"));
        return;
      }
      hello = h;
      long intervalMillis = settings.heartbeatInterval().toMillis();
      if (h.heartbeatSeconds() > 0) {
        intervalMillis = Math.min(intervalMillis, h.heartbeatSeconds() * 1000L);
      }
      LOG.info("gateway accepted runner {} (session {})", h.runnerId(), h.sessionId());
      synchronized (this) {
        heartbeat = heartbeats.scheduleAtFixedRate(
            () -> send(new RunnerFrame.Heartbeat(version, sources.get())), 0, intervalMillis, TimeUnit.MILLISECONDS);
      }
      listener.onHello(h);
    }

    /**
     * Sends are chained: the JDK WebSocket allows one outstanding send at a time. The returned
     * stage completes when this frame was written, exceptionally when it could not be.
     */
    synchronized CompletableFuture<?> send(RunnerFrame frame) {
      WebSocket ws = socket;
      if (ws == null || closed.isDone()) {
        return CompletableFuture.failedFuture(new IllegalStateException("the gateway connection is closed"));
      }
      String text;
      try {
        text = codec.encode(frame);
      } catch (IllegalArgumentException e) {
        if (!(frame instanceof RunnerFrame.Result)) {
          LOG.warn("cannot encode a {} frame", frame.type());
          return CompletableFuture.failedFuture(e);
        }
        text = codec.encode(new RunnerFrame.Error(((RunnerFrame.Result) frame).jobId(), "source_unreachable",
            "the result exceeds the frame limit"));
      }
      String payload = text;
      CompletableFuture<?> sent = sendChain.handle((v, e) -> null).thenCompose(v -> ws.sendText(payload, true));
      sendChain = sent;
      return sent;
    }

    void close() {
      WebSocket ws = socket;
      if (ws != null) {
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(2, TimeUnit.SECONDS)
            .whenComplete((v, e) -> ws.abort());
      }
      closed.complete(null);
    }

    synchronized void end() {
      if (heartbeat != null) {
        heartbeat.cancel(false);
      }
      WebSocket ws = socket;
      if (ws != null && !ws.isInputClosed()) {
        ws.abort();
      }
      jobs.cancelAll();
    }
  }
}
