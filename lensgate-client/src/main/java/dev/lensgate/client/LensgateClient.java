package dev.lensgate.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

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
  private final ClientWire wire;
  private final Credentials credentials;
  private final boolean root; // built by the builder, not by withUser

  private LensgateClient(ClientWire wire, Credentials credentials, boolean root) {
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
    ClientWire.Answer a = post("query", lens, query.toBody());
    return wire.decode(a.call(), () -> wire.decoder.query(a.body(), a.requestId()));
  }

  /** One page of rows, each mapped to {@code rowType} (see {@link TypedQueryResult}). */
  public <T> TypedQueryResult<T> query(String lens, Query query, Class<T> rowType) {
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(rowType, "rowType");
    ClientWire.Answer a = post("query", lens, query.toBody());
    return wire.decode(a.call(), () -> wire.decoder.typed(a.body(), rowType, a.requestId()));
  }

  /**
   * Every page of the query, following {@code nextCursor}. Lazy: a page is fetched only when the
   * stream needs it, so {@code .limit(n)} or {@code findFirst()} stop early. A failed page throws
   * from the stream operation that asked for it. Each page re-sends the same filter and order;
   * {@code offset} applies to the first page only.
   */
  public Stream<QueryResult> queryPages(String lens, Query query) {
    Objects.requireNonNull(query, "query");
    LensName.check(lens);
    return PageIterator.stream(query, q -> query(lens, q), QueryResult::nextCursor);
  }

  /** Every row of the query across all pages; see {@link #queryPages} for laziness and errors. */
  public Stream<Row> queryAll(String lens, Query query) {
    return queryPages(lens, query).flatMap(page -> page.rows().stream());
  }

  /** Every row of the query across all pages, mapped to {@code rowType}. */
  public <T> Stream<T> queryAll(String lens, Query query, Class<T> rowType) {
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(rowType, "rowType");
    LensName.check(lens);
    return PageIterator.stream(query, q -> query(lens, q, rowType), TypedQueryResult::nextCursor)
        .flatMap(page -> page.rows().stream());
  }

  /** Ranked results for a text query. */
  public SearchResult search(String lens, SearchRequest request) {
    Objects.requireNonNull(request, "request");
    ClientWire.Answer a = post("search", lens, request.toBody());
    return wire.decode(a.call(), () -> wire.decoder.search(a.body(), a.requestId()));
  }

  /** Rows like a given row, best first, the row itself excluded. */
  public SearchResult similar(String lens, SimilarRequest request) {
    Objects.requireNonNull(request, "request");
    ClientWire.Answer a = post("similar", lens, request.toBody());
    return wire.decode(a.call(), () -> wire.decoder.search(a.body(), a.requestId()));
  }

  /** Queues a sync job for the lens (needs an {@code sk_} or {@code ik_} key). */
  public IngestResult ingest(String lens, IngestRequest request) {
    Objects.requireNonNull(request, "request");
    ClientWire.Answer a = post("ingest", lens, request.toBody());
    return wire.decode(a.call(), () -> wire.decoder.ingest(a.body(), a.requestId()));
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
    LensName.check(lens);
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
    LensName.check(lens);
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
    ClientWire.Answer a = wire.call("GET", "/v1/health", null, null);
    return wire.decode(a.call(), () -> wire.decoder.health(a.body()));
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

  private ClientWire.Answer post(String operation, String lens, Map<String, Object> body) {
    return wire.post(operation, lens, body, credentials);
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
      this.baseUrl = BaseUrls.check(Objects.requireNonNull(baseUrl, "baseUrl"));
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
      BaseUrls.requireSecure(baseUrl, allowPlainHttp);
      HttpClient http = httpClient != null ? httpClient : HttpClient.newBuilder()
          .connectTimeout(timeout)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
      JsonTree json = new JsonTree();
      ClientWire wire = new ClientWire(baseUrl, timeout, new HttpTransport(http, baseUrl, timeout, maxResponseBytes),
          json, new ErrorDecoder(json, clock),
          new ResponseDecoder(rowMapper != null ? rowMapper : JsonTree.defaultRowMapper()),
          new StreamConnections(http, baseUrl, timeout, json, clock, streamReconnectBase, streamReconnectCap,
              streamPingInterval));
      return new LensgateClient(wire, new Credentials(apiKey, null), true);
    }
  }
}
