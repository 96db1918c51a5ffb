package dev.lensgate.runner;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * Accepts one TLS connection on 127.0.0.1 and records what the client did: the negotiated protocol
 * and the first request line, or that the handshake failed before any application byte arrived.
 */
final class RecordingTlsServer implements AutoCloseable {
  /** What one connection showed; {@code requestLine} is null when no HTTP request was sent. */
  record Seen(boolean handshakeOk, String protocol, String requestLine) {}

  private final SSLServerSocket server;
  final CompletableFuture<Seen> seen = new CompletableFuture<>();

  RecordingTlsServer(TestTls tls) throws Exception {
    server = tls.serverSocket();
    Thread t = new Thread(this::serveOne, "recording-tls-server");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return server.getLocalPort();
  }

  private void serveOne() {
    try (SSLSocket s = (SSLSocket) server.accept()) {
      s.setSoTimeout(10_000);
      try {
        s.startHandshake();
      } catch (IOException e) {
        seen.complete(new Seen(false, null, readLineOrNull(s)));
        return;
      }
      seen.complete(new Seen(true, s.getSession().getProtocol(), readLineOrNull(s)));
    } catch (IOException e) {
      seen.complete(new Seen(false, null, null));
    }
  }

  private static String readLineOrNull(SSLSocket s) {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    try {
      InputStream in = s.getInputStream();
      int b;
      while ((b = in.read()) >= 0 && b != '\n') {
        line.write(b);
      }
    } catch (SocketTimeoutException e) {
      return null;
    } catch (IOException e) {
      // a failed handshake or a closed socket: whatever arrived so far is all there is
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.US_ASCII).strip();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
