package dev.lensgate.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The Lensgate HTTP API for applications: {@code query}, {@code search}, {@code similar}, {@code
 * ingest} and {@code health}.
 *
 * <pre>{@code
 * LensgateClient lensgate = LensgateClient.builder()
 *     .baseUrl("https://lensgate.example.com")
 *     .apiKey(System.getenv("LENSGATE_KEY"))
 *     .build();
 * QueryResult page = lensgate.withUser(userJwt)
 *     .query("orders", Query.where(Where.eq("status", "open")).limit(50));
 * }</pre>
 *
 * <p><b>Thread safety:</b> immutable; one instance serves any number of threads. {@link
 * #withUser} returns a new client sharing the same connection pool, so a per-request user client
 * is cheap.
 *
 * <p><b>Live streams:</b> {@link #subscribe} and {@link #observe} share one WebSocket per key and
 * user token, opened by the first subscription and closed after the last; it reconnects with
 * backoff and subscribes again by itself (see {@link CloseReason} for what ends a stream for
 * good). {@link #close()} ends streams; the HTTP calls need no closing.
 *
 * <p><b>Failures:</b> every call either returns a complete, shape-checked answer or throws a
 * {@link LensgateClientException}: a {@link LensgateApiException} subclass for an error status,
 * {@link LensgateTransportException} when no usable answer arrived in time. Calls are not retried.
 *
 * <p><b>Security:</b> the key travels as {@code Authorization: Bearer}, the user token as {@code
 * X-User-Token}; neither appears in {@code toString()} or any exception message. Plain {@code
 * http} is accepted only for loopback addresses unless {@link Builder#unsafeAllowPlainHttp()} is
 * called, and redirects are not followed (they would carry the key elsewhere).
 */
public final class LensgateClient implements AutoCloseable {
  private final Wire wire;
  private final Credentials credentials;
  private final boolean root; // built by the builder, not by withUser

  private LensgateClient(Wire wire, Credentials credentials, boolean root) {
    this.wire = wire;
    this.credentials = credentials;
    this.root = root;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * A client that acts for the end user of {@code userToken} (a JWT from the configured issuer),
   * sent as {@code X-User-Token}. Replaces any user this client already had. Grants marked
   * {@code authenticated}, claims checks and row rules then apply to that user.
   */
  public LensgateClient withUser(String userToken) {
    return new LensgateClient(wire, credentials.withUser(Secret.of(userToken, "userToken")), false);
  }

  /** One page of rows. */
  public QueryResult query(String lens, Query query) {
    Objects.requireNonNull(query, "query");
    Answer a = post("query", lens, query.toBody());
    return wire.decode(a.call, () -> wire.decoder.query(a.body, a.requestId));
  }

  /** One page of rows, each mapped to {@code rowType} (see {@link TypedQueryResult}). */
  public <T> TypedQueryResult<T> query(String lens, Query query, Class<T> rowType) {
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(rowType, "rowType");
    Answer a = post("query", lens, query.toBody());
    return wire.decode(a.call, () -> wire.decoder.typed(a.body, rowType, a.requestId));
  }

  /**
   * Every page of the query, following {@code nextCursor}. Lazy: a page is fetched only when the
   * stream needs it, so {@code .limit(n)} or {@code findFirst()} stop early. A failed page throws
   * from the stream operation that asked for it. Each page re-sends the same filter and order;
   * {@code offset} applies to the first page only.
   */
  public Stream<QueryResult> queryPages(String lens, Query query) {
    Objects.requireNonNull(query, "query");
    checkLens(lens);
    return pages(query, q -> query(lens, q), QueryResult::nextCursor);
  }

  /** Every row of the query across all pages; see {@link #queryPages} for laziness and errors. */
  public Stream<Row> queryAll(String lens, Query query) {
    return queryPages(lens, query).flatMap(page -> page.rows().stream());
  }

  /** Every row of the query across all pages, mapped to {@code rowType}. */
  public <T> Stream<T> queryAll(String lens, Query query, Class<T> rowType) {
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(rowType, "rowType");
    checkLens(lens);
    return pages(query, q -> query(lens, q, rowType), TypedQueryResult::nextCursor)
        .flatMap(page -> page.rows().stream());
  }

  /** Ranked results for a text query. */
  public SearchResult search(String lens, SearchRequest request) {
    Objects.requireNonNull(request, "request");
    Answer a = post("search", lens, request.toBody());
    return wire.decode(a.call, () -> wire.decoder.search(a.body, a.requestId));
  }

  /** Rows like a given row, best first, the row itself excluded. */
  public SearchResult similar(String lens, SimilarRequest request) {
    Objects.requireNonNull(request, "request");
    Answer a = post("similar", lens, request.toBody());
    return wire.decode(a.call, () -> wire.decoder.search(a.body, a.requestId));
  }

  /** Queues a sync job for the lens (needs an {@code sk_} or {@code ik_} key). */
  public IngestResult ingest(String lens, IngestRequest request) {
    Objects.requireNonNull(request, "request");
    Answer a = post("ingest", lens, request.toBody());
    return wire.decode(a.call, () -> wire.decoder.ingest(a.body, a.requestId));
  }

  /**
   * Every insert, update and delete of the lens's records this client may see and {@code where}
   * (null: all) matches, as they happen ({@code subscribe} grant). Returns at once; the
   * subscription opens on the shared socket in the background, and a refusal (unknown lens, bad
   * filter, no grant) arrives as {@link SubscriptionListener#onClosed} with the gateway's code.
   *
   * @throws IllegalStateException if this client family was {@link #close() closed}
   */
  public Subscription subscribe(String lens, Where where, SubscriptionListener listener) {
    checkLens(lens);
    Objects.requireNonNull(listener, "listener");
    return wire.streams.open(credentials, lens, o -> o.frames().subscribe(o.id(), lens, where), listener);
  }

  /** {@link #subscribe(String, Where, SubscriptionListener)} without a filter. */
  public Subscription subscribe(String lens, SubscriptionListener listener) {
    return subscribe(lens, null, listener);
  }

  /**
   * One record: its current state ({@link SubscriptionListener#onRecord}, empty when absent or
   * not visible), then every change to it. After a reconnect the current state comes again.
   */
  public Subscription observe(String lens, String recordId, SubscriptionListener listener) {
    Objects.requireNonNull(recordId, "recordId");
    return observeId(lens, recordId, listener);
  }

  /** {@link #observe(String, String, SubscriptionListener)} for an integer primary key. */
  public Subscription observe(String lens, long recordId, SubscriptionListener listener) {
    return observeId(lens, recordId, listener);
  }

  private Subscription observeId(String lens, Object recordId, SubscriptionListener listener) {
    checkLens(lens);
    Objects.requireNonNull(listener, "listener");
    return wire.streams.open(credentials, lens, o -> o.frames().observe(o.id(), lens, recordId), listener);
  }

  /**
   * Ends live streams with {@link CloseReason#CLIENT_CLOSED}. On the client {@link
   * Builder#build()} returned: every stream of it and of its {@link #withUser} copies, and no new
   * ones may open. On a {@code withUser} copy: the streams of that user only. Idempotent.
   */
  @Override
  public void close() {
    if (root) {
      wire.streams.closeAll();
    } else {
      wire.streams.close(credentials);
    }
  }

  /** The gateway's status and version. Sent without credentials: the endpoint needs none. */
  public Health health() {
    Answer a = wire.call("GET", "/v1/health", null, null);
    return wire.decode(a.call, () -> wire.decoder.health(a.body));
  }

  /** The gateway address this client talks to. */
  public URI baseUrl() {
    return wire.baseUrl;
  }

  /** True if calls carry a user token ({@link #withUser}). */
  public boolean hasUser() {
    return credentials.hasUser();
  }

  @Override
  public String toString() {
    return "LensgateClient[baseUrl=" + wire.baseUrl + ", timeout=" + wire.timeout
        + ", apiKey=" + Secret.REDACTED + ", user=" + credentials.hasUser() + "]";
  }

  private Answer post(String operation, String lens, Map<String, Object> body) {
    return wire.call("POST", "/v1/" + operation + "/" + checkLens(lens), wire.json.write(body), credentials);
  }

  private static <P> Stream<P> pages(Query first, Function<Query, P> fetch,
      Function<P, java.util.Optional<String>> next) {
    Iterator<P> pages = new PageIterator<>(first, fetch, next);
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(pages, Spliterator.ORDERED | Spliterator.NONNULL), false);
  }

  /** Validates the lens name and returns it encoded as one path segment. */
  private static String checkLens(String lens) {
    Objects.requireNonNull(lens, "lens");
    if (lens.isBlank() || lens.length() > 256 || lens.equals(".") || lens.equals("..")) {
      throw new IllegalArgumentException("lens name must be 1 to 256 characters and not '.' or '..'");
    }
    return PathSegment.encode(lens);
  }

  /** A successful answer, parsed. */
  private record Answer(String call, JsonNode body, String requestId) {}

  /** What every client derived from one builder shares: transport, codecs, settings. */
  private static final class Wire {
    final URI baseUrl;
    final Duration timeout;
    final HttpTransport transport;
    final JsonTree json;
    final ErrorDecoder errors;
    final ResponseDecoder decoder;
    final StreamConnections streams;

    Wire(URI baseUrl, Duration timeout, HttpTransport transport, JsonTree json, ErrorDecoder errors,
        ResponseDecoder decoder, StreamConnections streams) {
      this.baseUrl = baseUrl;
      this.timeout = timeout;
      this.transport = transport;
      this.json = json;
      this.errors = errors;
      this.decoder = decoder;
      this.streams = streams;
    }

    Answer call(String method, String path, byte[] body, Credentials credentials) {
      String call = method + " " + path;
      HttpTransport.Reply reply = transport.send(method, path, body, credentials);
      if (!reply.ok()) {
        throw errors.decode(reply, credentials);
      }
      try {
        return new Answer(call, json.read(reply.body()), reply.requestId());
      } catch (IOException e) {
        throw LensgateTransportException.failed(call, "answer is not JSON", e);
      }
    }

    <R> R decode(String call, java.util.function.Supplier<R> decoding) {
      try {
        return decoding.get();
      } catch (ResponseDecoder.Malformed e) {
        throw LensgateTransportException.failed(call, "unexpected answer: " + e.getMessage(), e);
      }
    }
  }

  /**
   * Builds a {@link LensgateClient}. Required: {@link #baseUrl} and {@link #apiKey}. Settings are
   * checked when set and again in {@link #build()}; a bad setting fails there, never silently.
   */
  public static final class Builder {
    /** Default limit on a successful answer's size: 1,000 rows of generous width. */
    public static final long DEFAULT_MAX_RESPONSE_BYTES = 64L * 1024 * 1024;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_STREAM_PING_INTERVAL = Duration.ofSeconds(30);

    private URI baseUrl;
    private Secret apiKey;
    private Duration timeout = DEFAULT_TIMEOUT;
    private HttpClient httpClient;
    private ObjectMapper rowMapper;
    private long maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
    private Clock clock = Clock.systemUTC();
    private boolean allowPlainHttp;
    private Duration streamReconnectBase = StreamBackoff.DEFAULT_BASE;
    private Duration streamReconnectCap = StreamBackoff.DEFAULT_CAP;
    private Duration streamPingInterval = DEFAULT_STREAM_PING_INTERVAL;

    private Builder() {}

    /** The gateway, e.g. {@code https://lensgate.example.com} (a path prefix is kept). */
    public Builder baseUrl(URI baseUrl) {
      this.baseUrl = checkBaseUrl(Objects.requireNonNull(baseUrl, "baseUrl"));
      return this;
    }

    public Builder baseUrl(String baseUrl) {
      Objects.requireNonNull(baseUrl, "baseUrl");
      try {
        return baseUrl(new URI(baseUrl));
      } catch (java.net.URISyntaxException e) {
        throw new IllegalArgumentException("baseUrl is not a valid URI", e);
      }
    }

    /** The API key ({@code sk_}, {@code pk_}, {@code ik_} or {@code lp_}); kept redacted. */
    public Builder apiKey(String apiKey) {
      this.apiKey = Secret.of(apiKey, "apiKey");
      return this;
    }

    /** Budget for a whole call: connect, request, answer. Positive; default 30 s. */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive");
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Your own {@link HttpClient} (proxy, TLS settings, executor). It should not follow
     * redirects; the default client does not.
     */
    public Builder httpClient(HttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    /** The mapper for typed rows, e.g. one with the JSR-310 module registered. */
    public Builder rowMapper(ObjectMapper rowMapper) {
      this.rowMapper = Objects.requireNonNull(rowMapper, "rowMapper");
      return this;
    }

    /** Largest successful answer to read; larger ones fail with a transport exception. */
    public Builder maxResponseBytes(long maxResponseBytes) {
      if (maxResponseBytes < 1024) {
        throw new IllegalArgumentException("maxResponseBytes must be at least 1024");
      }
      this.maxResponseBytes = maxResponseBytes;
      return this;
    }

    /** The clock that turns an HTTP-date {@code Retry-After} into a wait. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Bounds of the stream socket's reconnect delay: attempt {@code n} waits a random time up to
     * {@code min(max, min * 2^n)}. Defaults 250 ms and 30 s; {@code min} at least 10 ms, so a
     * dead gateway is never hammered.
     */
    public Builder streamReconnectDelay(Duration min, Duration max) {
      Objects.requireNonNull(min, "min");
      Objects.requireNonNull(max, "max");
      if (min.toMillis() < 10 || max.compareTo(min) < 0) {
        throw new IllegalArgumentException("stream reconnect delay needs 10 ms <= min <= max");
      }
      this.streamReconnectBase = min;
      this.streamReconnectCap = max;
      return this;
    }

    /**
     * How often the stream socket pings the gateway. A socket that stays silent for two intervals
     * (no frame, ping or pong) counts as dropped and is reconnected: that is how a half-open
     * connection is noticed. Default 30 s; at least 50 ms.
     */
    public Builder streamPingInterval(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.toMillis() < 50) {
        throw new IllegalArgumentException("stream ping interval must be at least 50 ms");
      }
      this.streamPingInterval = interval;
      return this;
    }

    /**
     * Allows {@code http://} to non-loopback hosts. The API key then crosses the network in clear
     * text; only for a trusted private network.
     */
    public Builder unsafeAllowPlainHttp() {
      this.allowPlainHttp = true;
      return this;
    }

    public LensgateClient build() {
      if (baseUrl == null) {
        throw new IllegalStateException("baseUrl is required");
      }
      if (apiKey == null) {
        throw new IllegalStateException("apiKey is required");
      }
      if (baseUrl.getScheme().equalsIgnoreCase("http") && !allowPlainHttp && !isLoopback(baseUrl.getHost())) {
        throw new IllegalStateException(
            "refusing plain http to " + baseUrl.getHost() + ": use https, or unsafeAllowPlainHttp()");
      }
      HttpClient http = httpClient != null ? httpClient : HttpClient.newBuilder()
          .connectTimeout(timeout)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
      JsonTree json = new JsonTree();
      Wire wire = new Wire(baseUrl, timeout, new HttpTransport(http, baseUrl, timeout, maxResponseBytes),
          json, new ErrorDecoder(json, clock),
          new ResponseDecoder(rowMapper != null ? rowMapper : JsonTree.defaultRowMapper()),
          new StreamConnections(http, baseUrl, timeout, json, clock, streamReconnectBase, streamReconnectCap,
              streamPingInterval));
      return new LensgateClient(wire, new Credentials(apiKey, null), true);
    }

    private static URI checkBaseUrl(URI url) {
      String scheme = url.getScheme();
      if (scheme == null || !(scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http"))) {
        throw new IllegalArgumentException("baseUrl must be an http(s) URL");
      }
      if (url.getHost() == null) {
        throw new IllegalArgumentException("baseUrl has no host");
      }
      if (url.getRawUserInfo() != null) {
        // Credentials in a URL end up in logs and proxies; the key goes in the header.
        throw new IllegalArgumentException("baseUrl must not contain user info");
      }
      if (url.getRawQuery() != null || url.getRawFragment() != null) {
        throw new IllegalArgumentException("baseUrl must not have a query or fragment");
      }
      return url;
    }

    private static boolean isLoopback(String host) {
      String h = host.toLowerCase(Locale.ROOT);
      // Literal addresses only: a name like 127.example.com must not count as loopback.
      return h.equals("localhost") || h.equals("[::1]")
          || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }
  }
}
