package dev.lensgate.runner;

import java.io.IOException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/** A TLS server on 127.0.0.1 that completes handshakes and closes; for reachability checks. */
final class TlsEchoServer implements AutoCloseable {
  private final SSLServerSocket server;

  TlsEchoServer(TestTls tls) throws Exception {
    server = tls.serverSocket();
    Thread t = new Thread(() -> {
      while (!server.isClosed()) {
        try (SSLSocket s = (SSLSocket) server.accept()) {
          s.setSoTimeout(5_000);
          s.startHandshake();
        } catch (IOException e) {
          // a refused handshake or a plain TCP probe: serve the next one
        }
      }
    }, "tls-echo-server");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return server.getLocalPort();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
