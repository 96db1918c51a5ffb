package dev.lensgate.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP server on 127.0.0.1, port 0, answering from a per-test script: each request takes
 * the next scripted {@link Responder} (or, when none is left, a 599 so a test notices). Every
 * request is recorded. {@link #hold()} gives a latch that hanging responders wait on; close()
 * releases it, so no test sleeps and no thread outlives its test.
 */
final class ScriptedServer implements AutoCloseable {

  interface Responder {
    void respond(HttpExchange exchange) throws IOException;
  }

  /** What the client sent. Header names lower-cased; values of a repeated header joined by ','. */
  record Recorded(String method, String path, String rawPath, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final BlockingQueue<Responder> script = new LinkedBlockingQueue<>();
  private final List<Recorded> requests = java.util.Collections.synchronizedList(new ArrayList<>());
  private final CountDownLatch released = new CountDownLatch(1);

  private ScriptedServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  static ScriptedServer start() {
    try {
      return new ScriptedServer();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  ScriptedServer then(Responder r) {
    script.add(r);
    return this;
  }

  /** Scripts a JSON answer with an X-Request-Id, like the gateway. */
  ScriptedServer json(int status, String body) {
    return then(reply(status, "application/json", body, Map.of("X-Request-Id", "req-server")));
  }

  static Responder reply(int status, String contentType, String body, Map<String, String> headers) {
    return ex -> {
      headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
      ex.getResponseHeaders().set("Content-Type", contentType);
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    };
  }

  /** Blocks the handling thread until the server is closed. */
  void hold() {
    try {
      released.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  List<Recorded> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  Recorded only() {
    List<Recorded> all = requests();
    if (all.size() != 1) {
      throw new AssertionError("expected exactly one request, got " + all.size());
    }
    return all.get(0);
  }

  private void handle(HttpExchange ex) throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    ex.getRequestHeaders().forEach(
        (k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    requests.add(new Recorded(ex.getRequestMethod(), ex.getRequestURI().getPath(),
        ex.getRequestURI().getRawPath(), headers, body));
    Responder next = script.poll();
    try {
      if (next == null) {
        reply(599, "text/plain", "no scripted answer", Map.of()).respond(ex);
      } else {
        next.respond(ex);
      }
    } finally {
      ex.close();
    }
  }

  @Override
  public void close() {
    released.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
