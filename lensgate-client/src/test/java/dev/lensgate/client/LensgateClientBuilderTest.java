package dev.lensgate.client;

import static dev.lensgate.client.Fixtures.API_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class LensgateClientBuilderTest {

  @Test
  void build_missingBaseUrlOrKey_fails() {
    assertThatThrownBy(() -> LensgateClient.builder().apiKey(API_KEY).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("baseUrl");
    assertThatThrownBy(() -> LensgateClient.builder().baseUrl("https://lensgate.example").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("apiKey");
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://lensgate.example", "https://lensgate.example:8443/prefix/",
      "http://localhost:8080", "http://127.0.0.1:8080", "http://[::1]:8080"})
  void build_httpsOrLoopbackHttp_accepted(String url) {
    LensgateClient client = LensgateClient.builder().baseUrl(url).apiKey(API_KEY).build();
    assertThat(client.baseUrl()).isEqualTo(URI.create(url));
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://lensgate.example", "http://127.example.com", "http://10.0.0.5:8080"})
  void build_plainHttpToNetworkHost_refusedUnlessOptedIn(String url) {
    assertThatThrownBy(() -> LensgateClient.builder().baseUrl(url).apiKey(API_KEY).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("unsafeAllowPlainHttp");
    assertThat(LensgateClient.builder().baseUrl(url).apiKey(API_KEY).unsafeAllowPlainHttp().build())
        .isNotNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://lensgate.example", "https://user:pw@lensgate.example",
      "https://lensgate.example?x=1", "https://lensgate.example#f", "lensgate.example", "https://"})
  void baseUrl_unusable_rejected(String url) {
    assertThatThrownBy(() -> LensgateClient.builder().baseUrl(url))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void baseUrl_userInfo_messageDoesNotEchoIt() {
    assertThatThrownBy(() -> LensgateClient.builder().baseUrl("https://u:SENTINELpw@lensgate.example"))
        .hasMessageNotContaining("SENTINELpw");
  }

  @Test
  void timeoutAndLimits_invalid_rejected() {
    LensgateClient.Builder b = LensgateClient.builder();
    assertThatThrownBy(() -> b.timeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.timeout(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.maxResponseBytes(1023)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.apiKey("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.apiKey(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void withUser_nullOrBlank_rejected() {
    LensgateClient client = LensgateClient.builder().baseUrl("https://lensgate.example").apiKey(API_KEY).build();
    assertThatThrownBy(() -> client.withUser(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> client.withUser("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void httpClient_suppliedOne_usedForCalls() {
    try (ScriptedServer server = ScriptedServer.start()) {
      server.json(200, Fixtures.q("{'status':'ok','version':'1'}"));
      LensgateClient client = LensgateClient.builder().baseUrl(server.uri()).apiKey(API_KEY)
          .httpClient(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()).build();
      assertThat(client.health().status()).isEqualTo("ok");
    }
  }

  @Test
  void streamSettings_badValues_failAtTheSetter() {
    LensgateClient.Builder b = LensgateClient.builder();
    assertThatThrownBy(() -> b.streamReconnectDelay(Duration.ofMillis(9), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10 ms");
    assertThatThrownBy(() -> b.streamReconnectDelay(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.streamReconnectDelay(null, Duration.ofSeconds(1))).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.streamPingInterval(Duration.ofMillis(49))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.streamPingInterval(null)).isInstanceOf(NullPointerException.class);
    assertThat(b.streamReconnectDelay(Duration.ofMillis(10), Duration.ofMillis(10)).streamPingInterval(Duration.ofMillis(50)))
        .isSameAs(b);
  }

  @Test
  void streamUri_followsTheBaseUrlsSchemeAndPrefix() {
    assertThat(StreamSettings.streamUri(URI.create("https://lensgate.example/prefix/")))
        .isEqualTo(URI.create("wss://lensgate.example/prefix/v1/stream"));
    assertThat(StreamSettings.streamUri(URI.create("http://127.0.0.1:8080")))
        .isEqualTo(URI.create("ws://127.0.0.1:8080/v1/stream"));
  }

  @Test
  void close_withoutStreams_isHarmless_andHttpCallsStillWork() {
    try (ScriptedServer server = ScriptedServer.start()) {
      server.json(200, Fixtures.q("{'status':'ok','version':'1'}"));
      LensgateClient client = LensgateClient.builder().baseUrl(server.uri()).apiKey(API_KEY).build();
      client.withUser(Fixtures.USER_TOKEN).close();
      client.close();
      client.close();
      assertThat(client.health().status()).isEqualTo("ok");
      assertThatThrownBy(() -> client.subscribe("orders", e -> { }))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
  }
}
