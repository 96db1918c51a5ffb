package dev.lensgate.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code n} JDK WebSocket clients of {@code /v1/stream}, each with its own user token and its own
 * subscribe frames. The receive time is taken when a frame's last fragment arrives, before parsing;
 * latency = that time − the row's {@code sentNanos} ({@code System.nanoTime()} of the generator:
 * CLOCK_MONOTONIC, the same clock in every process of the machine). Only insert/update frames carry
 * the row, so only they are sampled; key-only deletes are counted. Thread-safe.
 */
final class SocketClients implements AutoCloseable {
  /** One socket to open: its user token and the lower bound of its price band (for its wheres). */
  record Spec(String userToken, int lo) { }

  /** What the clients saw; latencies sorted (ns). */
  record Result(long frames, long withRow, long deletes, long errors, long closedFrames, long socketCloses,
      long negative, long[] sortedNanos, Map<String, Long> codes) { }

  private static final JsonFactory JSON = new JsonFactory();

  private final ExecutorService executor;
  private final HttpClient http;
  private final List<WebSocket> open = new ArrayList<>();
  private final AtomicLong frames = new AtomicLong();
  private final AtomicLong withRow = new AtomicLong();
  private final AtomicLong deletes = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong closedFrames = new AtomicLong();
  private final AtomicLong socketCloses = new AtomicLong();
  private final AtomicLong negative = new AtomicLong();
  private final Map<String, Long> codes = new ConcurrentHashMap<>();
  private final LatencySamples samples = new LatencySamples();
  private volatile long windowStart = Long.MAX_VALUE;
  private volatile long windowEnd = Long.MAX_VALUE;

  SocketClients(int threads) {
    AtomicInteger ids = new AtomicInteger();
    this.executor = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "bench-ws-client-" + ids.getAndIncrement());
      t.setDaemon(true);
      return t;
    });
    this.http = HttpClient.newBuilder().executor(executor).connectTimeout(Duration.ofSeconds(30)).build();
  }

  /** Opens every socket (sequentially, so upgrades do not time out on a busy machine) and subscribes. */
  void open(URI stream, String apiKey, List<Spec> specs, int perSocket, int step) {
    for (Spec spec : specs) {
      WebSocket ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30))
          .header("Authorization", "Bearer " + apiKey).header("X-User-Token", spec.userToken())
          .buildAsync(stream, new Receiver()).join();
      synchronized (open) {
        open.add(ws);
      }
      // One send at a time per socket (the JDK WebSocket allows no overlapping sendText).
      CompletableFuture<WebSocket> chain = CompletableFuture.completedFuture(ws);
      for (int j = 0; j < perSocket; j++) {
        String frame = TicketSockets.subscribeFrame(spec.lo(), j, step);
        chain = chain.thenCompose(w -> w.sendText(frame, true));
      }
      chain.join();
    }
  }

  void window(long startNanos, long endNanos) {
    windowStart = startNanos;
    windowEnd = endNanos;
  }

  long frames() { return frames.get(); }

  /** Waits until {@code expected} event frames arrived or nothing arrived for {@code quiet}. */
  void await(long expected, Duration quiet, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    long last = -1;
    long lastChange = System.nanoTime();
    while (frames.get() < expected && System.nanoTime() < deadline) {
      long now = frames.get();
      if (now != last) {
        last = now;
        lastChange = System.nanoTime();
      } else if (System.nanoTime() - lastChange > quiet.toNanos()) {
        return;
      }
      Thread.sleep(20);
    }
  }

  Result result() {
    long[] sorted;
    synchronized (samples) {
      sorted = LatencySamples.mergeSorted(List.of(samples));
    }
    return new Result(frames.get(), withRow.get(), deletes.get(), errors.get(), closedFrames.get(), socketCloses.get(),
        negative.get(), sorted, Map.copyOf(codes));
  }

  @Override
  public void close() {
    List<CompletableFuture<WebSocket>> closing = new ArrayList<>();
    synchronized (open) {
      for (WebSocket ws : open) {
        closing.add(ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").toCompletableFuture());
      }
    }
    try {
      CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Best effort: the gateway is about to stop anyway.
    }
    executor.shutdownNow();
  }

  private void onFrame(long receivedNanos, String text) {
    String type = null;
    String kind = null;
    String code = null;
    long sent = Long.MIN_VALUE;
    try (JsonParser p = JSON.createParser(text)) {
      p.nextToken();
      int depth = 0;
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
          depth++;
        } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
          depth--;
        } else if (t == JsonToken.FIELD_NAME) {
          String name = p.getCurrentName();
          JsonToken v = p.nextToken();
          if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
            depth++;
          } else if (depth == 0 && "type".equals(name)) {
            type = p.getText();
          } else if (depth == 0 && "kind".equals(name)) {
            kind = p.getText();
          } else if (depth == 0 && "code".equals(name)) {
            code = p.getText();
          } else if (depth == 1 && TicketSockets.SENT_FIELD.equals(name) && v == JsonToken.VALUE_NUMBER_INT) {
            sent = p.getLongValue();
          }
        }
      }
    } catch (IOException e) {
      errors.incrementAndGet();
      codes.merge("unparsable", 1L, Long::sum);
      return;
    }
    if ("event".equals(type)) {
      frames.incrementAndGet();
      if ("delete".equals(kind)) {
        deletes.incrementAndGet();
      } else {
        withRow.incrementAndGet();
      }
      if (sent != Long.MIN_VALUE && sent >= windowStart && sent < windowEnd) {
        long latency = receivedNanos - sent;
        if (latency < 0) {
          negative.incrementAndGet();
        }
        synchronized (samples) {
          samples.add(latency);
        }
      }
    } else if ("error".equals(type)) {
      errors.incrementAndGet();
      codes.merge("error:" + code, 1L, Long::sum);
    } else if ("closed".equals(type)) {
      closedFrames.incrementAndGet();
      codes.merge("closed:" + code, 1L, Long::sum);
    }
  }

  /** Per socket; the JDK calls one socket's listener serially. */
  private final class Receiver implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      if (!last) {
        partial.append(data);
      } else {
        long now = System.nanoTime();
        String text;
        if (partial.length() == 0) {
          text = data.toString();
        } else {
          text = partial.append(data).toString();
          partial.setLength(0);
        }
        onFrame(now, text);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
      socketCloses.incrementAndGet();
      codes.merge("socket-close:" + status, 1L, Long::sum);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      socketCloses.incrementAndGet();
      codes.merge("socket-error:" + error.getClass().getSimpleName(), 1L, Long::sum);
    }
  }
}
