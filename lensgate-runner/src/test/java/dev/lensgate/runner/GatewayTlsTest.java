package dev.lensgate.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's TLS against a real local TLS server, through the JDK WebSocket client it dials with. */
class GatewayTlsTest {
  private static final String TOKEN = "rk_acme_SENTINELtoken0123456789abcdefABCDEF";

  @TempDir static Path dir;
  static TestTls gateway;
  static TestTls other;

  @BeforeAll
  static void keys() throws Exception {
    gateway = TestTls.create(dir, "gw");
    other = TestTls.create(dir, "other");
  }

  private static RecordingTlsServer.Seen dial(GatewayTls tls, RecordingTlsServer server) throws Exception {
    HttpClient client = HttpClient.newBuilder().sslContext(tls.context()).sslParameters(tls.parameters())
        .connectTimeout(Duration.ofSeconds(5)).build();
    URI uri = URI.create("wss://127.0.0.1:" + server.port() + "/v1/runner/connect?token=" + TOKEN);
    try {
      client.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {}).get(10, TimeUnit.SECONDS);
    } catch (Exception expected) {
      // the recording server never answers the upgrade; what it saw is the assertion
    }
    return server.seen.get(10, TimeUnit.SECONDS);
  }

  @Test
  void connect_rightPinAndTrustedCa_sendsUpgradeOverTls13() throws Exception {
    GatewayTls tls = GatewayTls.create(Optional.of(SpkiPin.of(gateway.certificate)), Optional.of(gateway.pemFile));
    try (RecordingTlsServer server = new RecordingTlsServer(gateway)) {
      RecordingTlsServer.Seen seen = dial(tls, server);
      assertThat(seen.handshakeOk()).isTrue();
      assertThat(seen.protocol()).isEqualTo("TLSv1.3");
      assertThat(seen.requestLine()).startsWith("GET /v1/runner/connect?token=rk_");
    }
  }

  @Test
  void connect_trustedCaWithoutPin_sendsUpgrade() throws Exception {
    GatewayTls tls = GatewayTls.create(Optional.empty(), Optional.of(gateway.pemFile));
    try (RecordingTlsServer server = new RecordingTlsServer(gateway)) {
      assertThat(dial(tls, server).requestLine()).startsWith("GET /v1/runner/connect");
    }
  }

  @Test
  void connect_wrongPin_failsHandshakeAndNoRequestLineReachesServer() throws Exception {
    GatewayTls tls = GatewayTls.create(Optional.of(SpkiPin.of(other.certificate)), Optional.of(gateway.pemFile));
    try (RecordingTlsServer server = new RecordingTlsServer(gateway)) {
      RecordingTlsServer.Seen seen = dial(tls, server);
      assertThat(seen.handshakeOk()).isFalse();
      assertThat(seen.requestLine()).isNull();
    }
  }

  @Test
  void connect_untrustedCertWithoutPin_failsHandshake() throws Exception {
    GatewayTls tls = GatewayTls.create(Optional.empty(), Optional.empty());
    try (RecordingTlsServer server = new RecordingTlsServer(gateway)) {
      RecordingTlsServer.Seen seen = dial(tls, server);
      assertThat(seen.handshakeOk()).isFalse();
      assertThat(seen.requestLine()).isNull();
    }
  }

  @Test
  void connect_pinOfGatewayButCaUntrusted_failsHandshake() throws Exception {
    // A pin adds a check; it never replaces chain validation.
    GatewayTls tls = GatewayTls.create(Optional.of(SpkiPin.of(gateway.certificate)), Optional.empty());
    try (RecordingTlsServer server = new RecordingTlsServer(gateway)) {
      assertThat(dial(tls, server).requestLine()).isNull();
    }
  }

  @Test
  void connect_trustedCertForAnotherHostName_failsHandshake() throws Exception {
    TestTls elsewhere = TestTls.create(dir, "elsewhere", "SAN=dns:gateway.example,ip:10.255.255.1");
    GatewayTls tls = GatewayTls.create(Optional.of(SpkiPin.of(elsewhere.certificate)), Optional.of(elsewhere.pemFile));
    try (RecordingTlsServer server = new RecordingTlsServer(elsewhere)) {
      RecordingTlsServer.Seen seen = dial(tls, server);
      assertThat(seen.handshakeOk()).isFalse();
      assertThat(seen.requestLine()).isNull();
    }
  }

  @Test
  void trustManager_pinMismatch_throwsCertificateExceptionWithoutKeyMaterial() throws Exception {
    GatewayTls tls = GatewayTls.create(Optional.of(SpkiPin.of(other.certificate)), Optional.of(gateway.pemFile));
    try (RecordingTlsServer server = new RecordingTlsServer(gateway)) {
      HttpClient client = HttpClient.newBuilder().sslContext(tls.context()).sslParameters(tls.parameters()).build();
      URI uri = URI.create("wss://127.0.0.1:" + server.port() + "/v1/runner/connect?token=" + TOKEN);
      assertThatThrownBy(() -> client.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {}).join())
          .hasRootCauseInstanceOf(java.security.cert.CertificateException.class)
          .satisfies(e -> assertThat(rootMessage(e)).contains("pinned").doesNotContain(TOKEN));
    }
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage());
  }

  @Test
  void spkiPin_ofCertificate_roundTripsThroughText() {
    X509Certificate cert = gateway.certificate;
    String text = SpkiPin.of(cert).toString();
    assertThat(text).startsWith("sha256/").hasSize("sha256/".length() + 44);
    assertThat(SpkiPin.parse(text).matches(cert)).isTrue();
    assertThat(SpkiPin.parse(text).matches(other.certificate)).isFalse();
    assertThat(SpkiPin.parse(text)).isEqualTo(SpkiPin.of(cert)).isNotEqualTo(SpkiPin.of(other.certificate));
  }

  @Test
  void spkiPin_malformedText_rejectedWithoutEcho() {
    for (String bad : new String[] {"", "sha1/abc", "sha256/", "sha256/!!!!", "sha256/AAAA", "SHA256/" + "A".repeat(43) + "="}) {
      assertThatThrownBy(() -> SpkiPin.parse(bad)).isInstanceOf(IllegalArgumentException.class)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("!!!!"));
    }
  }

  @Test
  void create_unreadableCaFile_rejected() {
    assertThatThrownBy(() -> GatewayTls.create(Optional.empty(), Optional.of(dir.resolve("missing.pem"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CA file");
  }

  @Test
  void parameters_offerTls13ThenTls12WithHostNameCheck() {
    GatewayTls tls = GatewayTls.create(Optional.empty(), Optional.empty());
    assertThat(tls.parameters().getProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
    assertThat(tls.parameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
  }
}
