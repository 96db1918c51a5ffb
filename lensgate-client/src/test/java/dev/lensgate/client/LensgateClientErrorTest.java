package dev.lensgate.client;

import static dev.lensgate.client.Fixtures.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every error status of the contract, and answers that are not the contract at all. */
class LensgateClientErrorTest {
  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

  private final ScriptedServer server = ScriptedServer.start();
  private final LensgateClient client = LensgateClient.builder()
      .baseUrl(server.uri()).apiKey(Fixtures.API_KEY).timeout(Duration.ofSeconds(5))
      .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();

  @AfterEach
  void stop() {
    server.close();
  }

  static Stream<Arguments> contractErrors() {
    return Stream.of(
        Arguments.of(400, "invalid_json", InvalidRequestException.class),
        Arguments.of(400, "invalid_request", InvalidRequestException.class),
        Arguments.of(400, "unknown_field", InvalidRequestException.class),
        Arguments.of(400, "unsupported_operator", InvalidRequestException.class),
        Arguments.of(400, "invalid_cursor", InvalidRequestException.class),
        Arguments.of(400, "too_many_changes", InvalidRequestException.class),
        Arguments.of(401, "missing_api_key", AuthenticationException.class),
        Arguments.of(401, "invalid_api_key", AuthenticationException.class),
        Arguments.of(401, "key_revoked", AuthenticationException.class),
        Arguments.of(401, "missing_user_token", AuthenticationException.class),
        Arguments.of(401, "invalid_user_token", AuthenticationException.class),
        Arguments.of(403, "key_type_not_allowed", PermissionDeniedException.class),
        Arguments.of(403, "operation_not_granted", PermissionDeniedException.class),
        Arguments.of(403, "claims_mismatch", PermissionDeniedException.class),
        Arguments.of(403, "rule_denied", PermissionDeniedException.class),
        Arguments.of(403, "scope_missing", PermissionDeniedException.class),
        Arguments.of(404, "lens_not_found", NotFoundException.class),
        Arguments.of(413, "payload_too_large", PayloadTooLargeException.class),
        Arguments.of(429, "rate_limited", RateLimitedException.class),
        Arguments.of(502, "runner_failed", UpstreamException.class),
        Arguments.of(502, "source_unreachable", UpstreamException.class),
        Arguments.of(502, "embedding_failed", UpstreamException.class),
        Arguments.of(503, "no_runners_online", UpstreamException.class),
        Arguments.of(504, "upstream_timeout", UpstreamException.class),
        Arguments.of(405, "method_not_allowed", LensgateApiException.class),
        Arguments.of(500, "internal_error", LensgateApiException.class));
  }

  @ParameterizedTest
  @MethodSource("contractErrors")
  void errorEnvelope_eachStatusAndCode_typedExceptionWithDetails(
      int status, String code, Class<? extends LensgateApiException> type) {
    server.json(status, q("{'error':{'code':'" + code + "','message':'Something about " + code
        + "','requestId':'req-" + code + "'}}"));

    LensgateApiException e = catchThrowableOfType(LensgateApiException.class,
        () -> client.query("products", Query.all()));

    assertThat(e).isExactlyInstanceOf(type);
    assertThat(e.status()).isEqualTo(status);
    assertThat(e.code()).isEqualTo(code);
    assertThat(e.errorMessage()).isEqualTo("Something about " + code);
    assertThat(e.requestId()).contains("req-" + code);
    assertThat(e.getMessage()).contains(String.valueOf(status), code, "req-" + code);
  }

  @Test
  void errorEnvelope_withoutRequestId_fallsBackToHeader() {
    server.json(404, q("{'error':{'code':'lens_not_found','message':'no such lens'}}"));
    NotFoundException e = catchThrowableOfType(NotFoundException.class,
        () -> client.query("nope", Query.all()));
    assertThat(e.requestId()).contains("req-server");
  }

  @Test
  void rateLimited_retryAfterSeconds_read() {
    server.then(ScriptedServer.reply(429, "application/json",
        q("{'error':{'code':'rate_limited','message':'slow down','requestId':'r'}}"),
        Map.of("Retry-After", "7")));
    RateLimitedException e = catchThrowableOfType(RateLimitedException.class,
        () -> client.query("products", Query.all()));
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
  }

  @Test
  void rateLimited_retryAfterHttpDate_measuredFromInjectedClock() {
    server.then(ScriptedServer.reply(429, "application/json",
        q("{'error':{'code':'rate_limited','message':'m'}}"),
        Map.of("Retry-After", "Sat, 01 Mar 2025 12:01:30 GMT")));
    RateLimitedException e = catchThrowableOfType(RateLimitedException.class,
        () -> client.query("products", Query.all()));
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(90));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Sat, 01 Mar 2025 11:00:00 GMT", "soon", "-5", "1.5"})
  void rateLimited_retryAfterPastOrUnreadable_zeroOrEmpty(String header) {
    server.then(ScriptedServer.reply(429, "application/json",
        q("{'error':{'code':'rate_limited','message':'m'}}"), Map.of("Retry-After", header)));
    RateLimitedException e = catchThrowableOfType(RateLimitedException.class,
        () -> client.query("products", Query.all()));
    if (header.endsWith("GMT")) {
      assertThat(e.retryAfter()).contains(Duration.ZERO);
    } else {
      assertThat(e.retryAfter()).isEmpty();
    }
  }

  @Test
  void rateLimited_noRetryAfterHeader_empty() {
    server.json(429, q("{'error':{'code':'rate_limited','message':'m'}}"));
    RateLimitedException e = catchThrowableOfType(RateLimitedException.class,
        () -> client.query("products", Query.all()));
    assertThat(e.retryAfter()).isEmpty();
  }

  static Stream<Arguments> foreignBodies() {
    return Stream.of(
        Arguments.of(502, "text/html", "<html><body>Bad Gateway SECRETPAGE</body></html>",
            UpstreamException.class),
        Arguments.of(401, "text/plain", "Unauthorized SECRETPAGE", AuthenticationException.class),
        Arguments.of(403, "application/json", "", PermissionDeniedException.class),
        Arguments.of(400, "application/json", "{'message':'SECRETPAGE'}", InvalidRequestException.class),
        Arguments.of(400, "application/json", "{'error':'SECRETPAGE'}", InvalidRequestException.class),
        Arguments.of(413, "application/json", "{'error':{'code':'payl", PayloadTooLargeException.class),
        Arguments.of(503, "application/json", "[1,2,3]", UpstreamException.class),
        Arguments.of(429, "text/html", "<h1>Too many SECRETPAGE</h1>", RateLimitedException.class));
  }

  @ParameterizedTest
  @MethodSource("foreignBodies")
  void nonEnvelopeBody_typedExceptionWithHttpCodeAndNoBodyText(
      int status, String contentType, String body, Class<? extends LensgateApiException> type) {
    server.then(ScriptedServer.reply(status, contentType, q(body), Map.of("X-Request-Id", "req-h")));
    LensgateApiException e = catchThrowableOfType(LensgateApiException.class,
        () -> client.query("products", Query.all()));
    assertThat(e).isExactlyInstanceOf(type);
    assertThat(e.status()).isEqualTo(status);
    assertThat(e.code()).isEqualTo("http_" + status);
    assertThat(e.requestId()).contains("req-h");
    assertThat(e.getMessage()).doesNotContain("SECRETPAGE");
  }

  @Test
  void hugeErrorPage_readOnlyUpToLimitAndStillTyped() {
    String page = "<html>" + "x".repeat(2_000_000) + "</html>";
    server.then(ScriptedServer.reply(503, "text/html", page, Map.of()));
    UpstreamException e = catchThrowableOfType(UpstreamException.class,
        () -> client.query("products", Query.all()));
    assertThat(e.code()).isEqualTo("http_503");
  }

  @Test
  void errorMessage_controlCharactersAndLength_sanitised() {
    server.json(400, q("{'error':{'code':'invalid_request','message':'line1\\nline2\\u0007"
        + "y".repeat(5000) + "'}}"));
    InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class,
        () -> client.query("products", Query.all()));
    assertThat(e.errorMessage()).startsWith("line1 line2 ").hasSizeLessThanOrEqualTo(1000);
    assertThat(e.getMessage()).doesNotContain("\n");
  }

  @Test
  void redirect_notFollowed_reportedAsApiException() {
    server.then(ScriptedServer.reply(307, "text/plain", "",
        Map.of("Location", "http://127.0.0.1:1/elsewhere")));
    LensgateApiException e = catchThrowableOfType(LensgateApiException.class,
        () -> client.query("products", Query.all()));
    assertThat(e).isExactlyInstanceOf(LensgateApiException.class);
    assertThat(e.status()).isEqualTo(307);
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void connectionRefused_transportExceptionNotTimeout() {
    ScriptedServer gone = ScriptedServer.start();
    LensgateClient toNowhere = Fixtures.client(gone);
    gone.close();
    LensgateTransportException e = catchThrowableOfType(LensgateTransportException.class,
        () -> toNowhere.query("products", Query.all()));
    assertThat(e.isTimeout()).isFalse();
    assertThat(e.getMessage()).contains("POST /v1/query/products", "connection failed");
    assertThat(e.getCause()).isNotNull();
  }

  @Test
  void serverNeverAnswers_timeoutTransportException() {
    server.then(ex -> server.hold());
    LensgateClient impatient = Fixtures.client(server, Duration.ofMillis(300));
    LensgateTransportException e = catchThrowableOfType(LensgateTransportException.class,
        () -> impatient.query("products", Query.all()));
    assertThat(e.isTimeout()).isTrue();
    assertThat(e.getMessage()).contains("PT0.3S");
  }

  @Test
  void serverStallsMidBody_deadlineCoversBodyToo() {
    server.then(ex -> {
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(200, 10_000);
      ex.getResponseBody().write(q("{'rows':[").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      ex.getResponseBody().flush();
      server.hold();
    });
    LensgateClient impatient = Fixtures.client(server, Duration.ofMillis(500));
    LensgateTransportException e = catchThrowableOfType(LensgateTransportException.class,
        () -> impatient.query("products", Query.all()));
    assertThat(e.isTimeout()).isTrue();
  }

  @Test
  void successBodyOverLimit_transportException() {
    String rows = "{'id':1,'name':'" + "n".repeat(100) + "'},";
    String big = q("{'rows':[" + rows.repeat(100) + "{'id':0}],'meta':{'lens':'p','count':101}}");
    server.then(ScriptedServer.reply(200, "application/json", big, Map.of()));
    LensgateClient small = LensgateClient.builder().baseUrl(server.uri()).apiKey(Fixtures.API_KEY)
        .maxResponseBytes(4096).build();
    assertThatThrownBy(() -> small.query("p", Query.all()))
        .isInstanceOf(LensgateTransportException.class)
        .hasMessageContaining("larger than 4096");
  }

  @Test
  void interruptedCaller_transportExceptionAndInterruptFlagKept() {
    server.then(ex -> server.hold());
    Thread.currentThread().interrupt();
    try {
      LensgateTransportException e = catchThrowableOfType(LensgateTransportException.class,
          () -> client.query("products", Query.all()));
      assertThat(e.getMessage()).contains("interrupted");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
