package dev.lensgate.runner.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;

/**
 * A self-signed EC key pair for 127.0.0.1/localhost made with the JDK's keytool: a PKCS#12
 * keystore for the gateway and the certificate as PEM for a runner's {@code --ca-file}.
 */
final class E2eTls {
  static final char[] PASSWORD = "changeit".toCharArray();

  final Path keystore;
  final X509Certificate certificate;
  final Path pemFile;

  private E2eTls(Path keystore, X509Certificate certificate, Path pemFile) {
    this.keystore = keystore;
    this.certificate = certificate;
    this.pemFile = pemFile;
  }

  static E2eTls create(Path dir, String alias) throws Exception {
    Files.createDirectories(dir);
    Path ks = dir.resolve(alias + ".p12");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1", "-alias", alias, "-keystore", ks.toString(),
        "-storetype", "PKCS12", "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD),
        "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("keytool: %s", out).isZero();
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(ks)) {
      store.load(in, PASSWORD);
    }
    X509Certificate cert = (X509Certificate) store.getCertificate(alias);
    Path pem = dir.resolve(alias + ".pem");
    Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
        + "\n-----END CERTIFICATE-----\n", StandardCharsets.US_ASCII);
    return new E2eTls(ks, cert, pem);
  }
}
