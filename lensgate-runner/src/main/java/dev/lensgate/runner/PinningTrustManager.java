package dev.lensgate.runner;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Client-side trust for the gateway connection: first the ordinary PKIX check (chain to a trusted
 * root, validity, and — through the engine's endpoint identification — the host name), then, when
 * a pin is set, the leaf's SubjectPublicKeyInfo hash compared in constant time.
 *
 * <p>Both checks run inside the TLS handshake, so a gateway with another key fails the handshake
 * and the upgrade request — which carries the runner token — is never written. A runner never
 * authenticates clients, so the client-side methods always refuse.
 */
final class PinningTrustManager extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager delegate;
  private final Optional<SpkiPin> pin;

  PinningTrustManager(X509ExtendedTrustManager delegate, Optional<SpkiPin> pin) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.pin = Objects.requireNonNull(pin, "pin");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    delegate.checkServerTrusted(chain, authType, engine);
    checkPin(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    delegate.checkServerTrusted(chain, authType, socket);
    checkPin(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    delegate.checkServerTrusted(chain, authType);
    checkPin(chain);
  }

  private void checkPin(X509Certificate[] chain) throws CertificateException {
    if (pin.isEmpty()) {
      return;
    }
    if (chain == null || chain.length == 0 || !pin.get().matches(chain[0])) {
      throw new CertificateException("the gateway's public key does not match the pinned SPKI hash");
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    throw new CertificateException("a runner does not accept client connections");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    throw new CertificateException("a runner does not accept client connections");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("a runner does not accept client connections");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return delegate.getAcceptedIssuers();
  }
}
