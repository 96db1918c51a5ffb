package dev.lensgate.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/** A self-signed EC key pair for 127.0.0.1/localhost, made with the JDK's keytool. */
final class TestTls {
  static final char[] PASSWORD = "changeit".toCharArray();

  final Path keystore;
  final X509Certificate certificate;
  final Path pemFile;

  private TestTls(Path keystore, X509Certificate certificate, Path pemFile) {
    this.keystore = keystore;
    this.certificate = certificate;
    this.pemFile = pemFile;
  }

  static TestTls create(Path dir, String alias) throws Exception {
    return create(dir, alias, "SAN=dns:localhost,ip:127.0.0.1");
  }

  static TestTls create(Path dir, String alias, String san) throws Exception {
    Path ks = dir.resolve(alias + ".p12");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1", "-alias", alias, "-keystore", ks.toString(),
        "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit", "-dname", "CN=localhost",
        "-ext", san, "-validity", "2").redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor()).isZero();
    KeyStore store = load(ks);
    X509Certificate cert = (X509Certificate) store.getCertificate(alias);
    Path pem = dir.resolve(alias + ".pem");
    Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
        + "\n-----END CERTIFICATE-----\n", StandardCharsets.US_ASCII);
    return new TestTls(ks, cert, pem);
  }

  private static KeyStore load(Path ks) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(ks)) {
      store.load(in, PASSWORD);
    }
    return store;
  }

  SSLContext serverContext() throws Exception {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(load(keystore), PASSWORD);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }

  SSLServerSocket serverSocket() throws Exception {
    try {
      return (SSLServerSocket) serverContext().getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
