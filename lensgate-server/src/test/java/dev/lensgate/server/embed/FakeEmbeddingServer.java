package dev.lensgate.server.embed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A local OpenAI-compatible {@code POST /v1/embeddings} on port 0. Each request is recorded (body
 * and Authorization header); the answer comes from a replaceable function of the parsed request.
 */
final class FakeEmbeddingServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What to answer: status and raw body. */
  record Answer(int status, String body, long delayMillis) {
    static Answer ok(String body) {
      return new Answer(200, body, 0);
    }
  }

  record Seen(JsonNode body, String authorization) {}

  private final HttpServer server;
  final List<Seen> requests = new CopyOnWriteArrayList<>();
  volatile Function<JsonNode, Answer> answer = FakeEmbeddingServer::wellBehaved;

  FakeEmbeddingServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fake-embeddings");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/v1/embeddings", this::handle);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      JsonNode body = JSON.readTree(ex.getRequestBody().readAllBytes());
      requests.add(new Seen(body, ex.getRequestHeaders().getFirst("Authorization")));
      Answer a = answer.apply(body);
      if (a.delayMillis() > 0) {
        try {
          Thread.sleep(a.delayMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(a.status(), bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      } catch (IOException clientGone) {
        // The client timed out and closed the connection.
      }
    }
  }

  /** Deterministic vectors: item i of the request gets [len(text_i), i+1, 1, 0, ...] (not unit length). */
  static Answer wellBehaved(JsonNode request) {
    return Answer.ok(data(request, false));
  }

  static String data(JsonNode request, boolean reversed) {
    int dims = request.path("dimensions").asInt(4);
    StringBuilder b = new StringBuilder("{\"object\":\"list\",\"data\":[");
    int n = request.get("input").size();
    for (int k = 0; k < n; k++) {
      int i = reversed ? n - 1 - k : k;
      if (k > 0) {
        b.append(',');
      }
      b.append("{\"object\":\"embedding\",\"index\":").append(i).append(",\"embedding\":[");
      for (int d = 0; d < dims; d++) {
        if (d > 0) {
          b.append(',');
        }
        double v = d == 0 ? request.get("input").get(i).asText().length() : d == 1 ? i + 1 : d == 2 ? 1 : 0;
        b.append(v);
      }
      b.append("]}");
    }
    return b.append("],\"model\":\"m\",\"usage\":{\"prompt_tokens\":1,\"total_tokens\":1}}").toString();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
