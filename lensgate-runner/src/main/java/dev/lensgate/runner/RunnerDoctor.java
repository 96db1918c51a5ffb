package dev.lensgate.runner;

import dev.lensgate.core.runner.JobCredentials;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * {@code lensgate runner doctor}: one {@code PASS}/{@code FAIL} line per check — settings, gateway
 * reachability and TLS (with the gateway's SPKI pin, so an operator can copy it into
 * {@code --pin}), and every runner-local source (connect + {@code SELECT 1}).
 *
 * <p>The doctor never sends the token: it only opens TCP/TLS connections and closes them after the
 * handshake. To print the pin of a gateway that is not (yet) trusted it does one extra handshake
 * that records the certificate without trusting anything, then judges trust with the runner's real
 * {@link PinningTrustManager}. Driver error text is not printed (it can quote credentials).
 */
public final class RunnerDoctor {
  private static final int TIMEOUT_MILLIS = 5_000;

  private final PrintWriter out;
  private boolean failed;

  public RunnerDoctor(PrintWriter out) {
    this.out = out;
  }

  /** Runs every check; true when all passed. */
  public boolean check(Supplier<RunnerSettings> settingsSource, LocalSources sources) {
    RunnerSettings settings = null;
    try {
      settings = settingsSource.get();
      pass("settings: runner " + settings.runnerId() + ", gateway " + settings.gatewayUrl()
          + settings.pin().map(p -> ", pin " + p).orElse(""));
    } catch (IllegalArgumentException e) {
      fail("settings: " + e.getMessage());
    }
    if (settings != null) {
      gateway(settings);
    }
    for (String name : sources.names()) {
      source(name, sources.find(name).orElseThrow());
    }
    if (sources.names().isEmpty()) {
      out.println("INFO no runner-local sources (LENSGATE_SOURCE_<NAME>_URL)");
    }
    out.flush();
    return !failed;
  }

  private void gateway(RunnerSettings settings) {
    String host = settings.gatewayUrl().getHost();
    int port = settings.gatewayUrl().getPort() > 0 ? settings.gatewayUrl().getPort() : settings.usesTls() ? 443 : 80;
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
      pass("gateway reachable at " + host + ":" + port);
    } catch (IOException e) {
      fail("gateway not reachable at " + host + ":" + port + " (" + e.getClass().getSimpleName() + ")");
      return;
    }
    if (!settings.usesTls()) {
      out.println("WARN gateway connection is not encrypted (ws:// on loopback)");
      return;
    }
    observedCertificate(host, port).ifPresent(cert -> out.println("INFO gateway SPKI pin: " + SpkiPin.of(cert)));
    GatewayTls tls = GatewayTls.of(settings);
    try (SSLSocket s = (SSLSocket) tls.context().getSocketFactory().createSocket()) {
      s.setSSLParameters(tls.parameters());
      s.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
      s.setSoTimeout(TIMEOUT_MILLIS);
      // createSocket() without a host name: set it so SNI and the host name check use it.
      javax.net.ssl.SSLParameters p = s.getSSLParameters();
      p.setServerNames(java.util.List.of(new javax.net.ssl.SNIHostName(host)));
      s.setSSLParameters(p);
      s.startHandshake();
      pass("gateway TLS " + s.getSession().getProtocol() + " certificate trusted"
          + (settings.pin().isPresent() ? " and matches the pin" : ""));
    } catch (IOException | IllegalArgumentException e) {
      fail("gateway TLS handshake failed: certificate not trusted" + (settings.pin().isPresent() ? ", or its key does not match the pin" : "")
          + " (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** The leaf certificate the gateway presents, recorded without trusting it (display only). */
  private static Optional<X509Certificate> observedCertificate(String host, int port) {
    X509Certificate[] seen = new X509Certificate[1];
    TrustManager recorder = new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
        throw new java.security.cert.CertificateException("not a server");
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
        if (chain != null && chain.length > 0) {
          seen[0] = chain[0];
        }
        // Refuse anyway: this handshake exists only to read the certificate, never to send data.
        throw new java.security.cert.CertificateException("recorded");
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {recorder}, null);
      try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket()) {
        s.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
        s.setSoTimeout(TIMEOUT_MILLIS);
        s.startHandshake();
      }
    } catch (IOException | java.security.GeneralSecurityException e) {
      // expected: the recorder refuses every certificate
    }
    return Optional.ofNullable(seen[0]);
  }

  private void source(String name, JobCredentials c) {
    try {
      SourcePools.dialectOf(c.url());
    } catch (IllegalArgumentException e) {
      fail("source " + name + ": unsupported JDBC URL (PostgreSQL, MariaDB or H2)");
      return;
    }
    Properties props = new Properties();
    props.setProperty("user", c.user());
    props.setProperty("password", c.password().revealUtf8());
    DriverManager.setLoginTimeout(TIMEOUT_MILLIS / 1000);
    try (Connection conn = DriverManager.getConnection(c.url(), props); Statement st = conn.createStatement()) {
      st.setQueryTimeout(TIMEOUT_MILLIS / 1000);
      try (ResultSet rs = st.executeQuery("SELECT 1")) {
        rs.next();
      }
      pass("source " + name + ": connected, SELECT 1 ok");
    } catch (SQLException e) {
      fail("source " + name + ": cannot connect or query (SQLState " + e.getSQLState() + ")");
    }
  }

  private void pass(String line) {
    out.println("PASS " + line);
  }

  private void fail(String line) {
    failed = true;
    out.println("FAIL " + line);
  }
}
