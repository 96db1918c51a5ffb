package dev.lensgate.runner;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The TLS setup of the gateway connection: an {@link SSLContext} whose only trust manager is a
 * {@link PinningTrustManager} over the system roots (plus an operator-supplied CA file), and
 * {@link SSLParameters} offering TLS 1.3 first, TLS 1.2 as the floor, with HTTPS host name checks.
 */
public final class GatewayTls {
  static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private final SSLContext context;

  private GatewayTls(SSLContext context) {
    this.context = context;
  }

  /**
   * @throws IllegalArgumentException if the CA file cannot be read or holds no certificate
   */
  public static GatewayTls create(Optional<SpkiPin> pin, Optional<Path> extraCaFile) {
    try {
      X509ExtendedTrustManager trust = trustManager(extraCaFile);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {new PinningTrustManager(trust, pin)}, null);
      return new GatewayTls(ctx);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("TLS is not available in this JRE", e);
    }
  }

  public static GatewayTls of(RunnerSettings settings) {
    return create(settings.pin(), settings.extraCaFile());
  }

  public SSLContext context() {
    return context;
  }

  /** TLS 1.3 preferred, 1.2 allowed, host name verified. */
  public SSLParameters parameters() {
    SSLParameters p = context.getDefaultSSLParameters();
    p.setProtocols(PROTOCOLS.clone());
    p.setEndpointIdentificationAlgorithm("HTTPS");
    return p;
  }

  private static X509ExtendedTrustManager trustManager(Optional<Path> extraCaFile) throws GeneralSecurityException {
    TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    system.init((KeyStore) null);
    if (extraCaFile.isEmpty()) {
      return only(system);
    }
    // One trust store = the system roots plus the extra CAs, so one PKIX path check covers both.
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    try {
      store.load(null, null);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create an in-memory trust store", e);
    }
    int n = 0;
    for (X509Certificate root : only(system).getAcceptedIssuers()) {
      store.setCertificateEntry("system-" + n++, root);
    }
    int extra = 0;
    for (Certificate c : readCertificates(extraCaFile.get())) {
      store.setCertificateEntry("extra-" + extra++, c);
    }
    TrustManagerFactory combined = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    combined.init(store);
    return only(combined);
  }

  private static Collection<? extends Certificate> readCertificates(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certs.isEmpty()) {
        throw new IllegalArgumentException("the CA file " + file + " holds no certificate");
      }
      return certs;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read the CA file " + file, e);
    }
  }

  private static X509ExtendedTrustManager only(TrustManagerFactory f) {
    for (TrustManager tm : f.getTrustManagers()) {
      if (tm instanceof X509ExtendedTrustManager) {
        return (X509ExtendedTrustManager) tm;
      }
    }
    throw new IllegalStateException("no X509 trust manager available");
  }
}
