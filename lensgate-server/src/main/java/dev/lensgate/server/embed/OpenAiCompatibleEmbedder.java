package dev.lensgate.server.embed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lensgate.core.config.EmbedderConfig;
import dev.lensgate.core.config.EmbedderType;
import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.core.embed.Embedder;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An embedder behind an OpenAI-compatible {@code POST {url}/embeddings} (OpenAI, Azure-style
 * proxies, Ollama, vLLM, LiteLLM...). Sends {@code {model, input: [...]}} in batches of the
 * configured size, with {@code Authorization: Bearer <key>} when {@code apiKeyEnv} is set, and
 * {@code dimensions} only when the config sets it: models with a fixed size (text-embedding-ada-002,
 * most self-hosted ones) refuse the parameter. Without it the vector size is the model's own, taken
 * from the first answer ({@link #dimensions()} is 0 until then) and required of every later one.
 *
 * <p>Every answer is checked before use: HTTP 2xx, one {@code data} item per input with each
 * {@code index} exactly once, the expected number of finite floats each; results are put in input order
 * by {@code index} and normalized to unit length. Anything else, a timeout or a connection failure
 * is {@code EMBEDDING_FAILED}. The response body is read up to a bound derived from the batch, and
 * never quoted: services echo keys and inputs in their error bodies.
 *
 * <p>Security: the key is read from the environment once, at construction, into
 * {@link SecretBytes}; it appears only in the request header, never in a log line or an exception
 * message. Thread-safe.
 */
public final class OpenAiCompatibleEmbedder implements Embedder {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Room per float in a JSON answer ("-0.012345678901234567,") and per item. */
  private static final long BYTES_PER_FLOAT = 32;
  private static final long BYTES_OVERHEAD = 64 * 1024;

  private final URI endpoint;
  private final String model;
  /** The configured size, sent with every request; empty: the model's own size, learned. */
  private final Optional<Integer> requestedDimensions;
  /** The vector size: the configured one, or the first answer's (0 until then). */
  private final AtomicInteger dimensions = new AtomicInteger();
  private final int batchSize;
  private final Duration timeout;
  private final Optional<SecretBytes> apiKey;
  private final HttpClient http;
  private final String id;

  /**
   * @param env reads an environment variable ({@code System::getenv} in production)
   * @throws LensgateException {@code EMBEDDING_FAILED} when {@code apiKeyEnv} names a variable that
   *     is not set
   */
  public OpenAiCompatibleEmbedder(EmbedderConfig config, Function<String, String> env) {
    if (config.type() != EmbedderType.OPENAI) {
      throw new IllegalArgumentException("not an openai embedder: " + config.name());
    }
    URI base = config.url().orElseThrow();
    this.endpoint = URI.create(base + "/embeddings");
    this.model = config.model().orElseThrow();
    this.requestedDimensions = config.dimensions();
    requestedDimensions.ifPresent(dimensions::set);
    this.batchSize = config.batchSize();
    this.timeout = config.timeout();
    this.apiKey = config.apiKeyEnv().map(name -> {
      String value = env.apply(name);
      if (value == null || value.isBlank()) {
        throw new LensgateException(ErrorCode.EMBEDDING_FAILED,
            "embedder " + config.name() + ": environment variable " + name + " is not set");
      }
      return SecretBytes.fromUtf8(value.strip());
    });
    this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    this.id = "openai:" + base.getHost() + ":" + model + requestedDimensions.map(d -> ":" + d).orElse("");
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public int dimensions() {
    return dimensions.get();
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    List<float[]> out = new ArrayList<>(texts.size());
    for (int from = 0; from < texts.size(); from += batchSize) {
      out.addAll(embedBatch(texts.subList(from, Math.min(texts.size(), from + batchSize))));
    }
    return out;
  }

  private List<float[]> embedBatch(List<String> batch) {
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body(batch)));
    if (apiKey.isPresent()) {
      if (apiKey.get().isWiped()) {
        throw new LensgateException(ErrorCode.EMBEDDING_FAILED, "the embedder is closed");
      }
      request.header("Authorization", "Bearer " + apiKey.get().revealUtf8());
    }
    HttpResponse<InputStream> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpTimeoutException e) {
      throw failed("did not answer within " + timeout.toSeconds() + "s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failed("the request was interrupted");
    } catch (IOException e) {
      throw failed("could not be reached (" + e.getClass().getSimpleName() + ")");
    }
    try (InputStream in = response.body()) {
      if (response.statusCode() / 100 != 2) {
        throw failed("answered HTTP " + response.statusCode());
      }
      int expected = dimensions.get() > 0 ? dimensions.get() : EmbedderConfig.MAX_DIMENSIONS;
      long limit = BYTES_OVERHEAD + (long) batch.size() * expected * BYTES_PER_FLOAT;
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
      if (bytes.length > limit) {
        throw failed("answered more than " + limit + " bytes");
      }
      return parse(bytes, batch.size());
    } catch (HttpTimeoutException e) {
      throw failed("did not answer within " + timeout.toSeconds() + "s");
    } catch (IOException e) {
      throw failed("answer could not be read (" + e.getClass().getSimpleName() + ")");
    }
  }

  private byte[] body(List<String> batch) {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", model);
    ArrayNode input = body.putArray("input");
    for (String t : batch) {
      // An empty input is refused by OpenAI; a single space embeds as "nothing".
      input.add(t == null || t.isEmpty() ? " " : t);
    }
    requestedDimensions.ifPresent(d -> body.put("dimensions", d));
    try {
      return JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw failed("request could not be encoded");
    }
  }

  private List<float[]> parse(byte[] bytes, int expected) {
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (IOException e) {
      throw failed("answered malformed JSON");
    }
    JsonNode data = root == null ? null : root.get("data");
    if (data == null || !data.isArray()) {
      throw failed("answered without a data list");
    }
    if (data.size() != expected) {
      throw failed("answered " + data.size() + " embeddings for " + expected + " inputs");
    }
    int size = expectedSize(data);
    float[][] out = new float[expected][];
    for (JsonNode item : data) {
      JsonNode index = item.get("index");
      if (index == null || !index.isIntegralNumber() || index.asLong() < 0 || index.asLong() >= expected) {
        throw failed("answered an embedding with a missing or out-of-range index");
      }
      int i = index.asInt();
      if (out[i] != null) {
        throw failed("answered index " + i + " twice");
      }
      out[i] = vector(item.get("embedding"), size);
    }
    learn(size);
    return List.of(out);
  }

  private float[] vector(JsonNode embedding, int size) {
    if (embedding == null || !embedding.isArray()) {
      throw failed("answered an item without an embedding list");
    }
    if (embedding.size() != size) {
      throw failed("answered " + embedding.size() + " dimensions, expected " + size);
    }
    float[] v = new float[size];
    double norm = 0;
    for (int d = 0; d < size; d++) {
      JsonNode x = embedding.get(d);
      double value = x.isNumber() ? x.asDouble() : Double.NaN;
      if (!Double.isFinite(value) || !Float.isFinite((float) value)) {
        throw failed("answered a value that is not a finite number");
      }
      v[d] = (float) value;
      norm += value * value;
    }
    if (norm == 0 || !Double.isFinite(norm)) {
      throw failed("answered a zero vector");
    }
    double scale = 1.0 / Math.sqrt(norm);
    for (int d = 0; d < size; d++) {
      v[d] = (float) (v[d] * scale);
    }
    return v;
  }

  /** The size every vector of this answer must have: the known one, or the first item's. */
  private int expectedSize(JsonNode data) {
    int known = dimensions.get();
    if (known > 0) {
      return known;
    }
    JsonNode first = data.isEmpty() ? null : data.get(0).get("embedding");
    if (first == null || !first.isArray()) {
      throw failed("answered an item without an embedding list");
    }
    int size = first.size();
    if (size < 1 || size > EmbedderConfig.MAX_DIMENSIONS) {
      throw failed("answered " + size + " dimensions, expected 1.." + EmbedderConfig.MAX_DIMENSIONS);
    }
    return size;
  }

  /** Fixes the learned size once a whole answer passed its checks; a racing answer must agree. */
  private void learn(int size) {
    if (!dimensions.compareAndSet(0, size) && dimensions.get() != size) {
      throw failed("answered " + size + " dimensions, expected " + dimensions.get());
    }
  }

  private LensgateException failed(String what) {
    return new LensgateException(ErrorCode.EMBEDDING_FAILED, "the embedding service " + endpoint.getHost() + " " + what);
  }

  /** Wipes the key; further calls fail. */
  @Override
  public void close() {
    apiKey.ifPresent(SecretBytes::wipe);
  }
}
