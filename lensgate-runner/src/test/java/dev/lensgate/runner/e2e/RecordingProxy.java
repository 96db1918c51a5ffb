package dev.lensgate.runner.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP proxy in front of a gateway port that keeps every byte it forwards, per
 * connection and direction, so a test can read what a runner and the gateway really exchanged
 * (plain {@code ws://} on loopback, so the bytes are the WebSocket stream itself). One thread per
 * direction per connection; {@link #close()} cuts everything.
 */
final class RecordingProxy implements AutoCloseable {
  /** What went through one proxied connection. */
  static final class Capture {
    private final ByteArrayOutputStream toGateway = new ByteArrayOutputStream();
    private final ByteArrayOutputStream toRunner = new ByteArrayOutputStream();

    byte[] toGateway() {
      synchronized (toGateway) {
        return toGateway.toByteArray();
      }
    }

    byte[] toRunner() {
      synchronized (toRunner) {
        return toRunner.toByteArray();
      }
    }
  }

  private final ServerSocket server;
  private final int targetPort;
  private final List<Capture> captures = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  private RecordingProxy(ServerSocket server, int targetPort) {
    this.server = server;
    this.targetPort = targetPort;
    this.acceptor = new Thread(this::acceptLoop, "recording-proxy-accept");
    acceptor.setDaemon(true);
  }

  static RecordingProxy start(int targetPort) throws IOException {
    ServerSocket s = new ServerSocket();
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    RecordingProxy p = new RecordingProxy(s, targetPort);
    p.acceptor.start();
    return p;
  }

  int port() {
    return server.getLocalPort();
  }

  /** Connections so far, in accept order. */
  List<Capture> captures() {
    return List.copyOf(captures);
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket runner = server.accept();
        Socket gateway = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        runner.setTcpNoDelay(true);
        gateway.setTcpNoDelay(true);
        sockets.add(runner);
        sockets.add(gateway);
        Capture c = new Capture();
        captures.add(c);
        pump(runner, gateway, c.toGateway, "to-gateway");
        pump(gateway, runner, c.toRunner, "to-runner");
      } catch (IOException e) {
        // Closed, or the gateway refused: the runner sees its connection end and redials.
      }
    }
  }

  private static void pump(Socket from, Socket to, ByteArrayOutputStream record, String name) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[16384];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buf)) >= 0) {
          synchronized (record) {
            record.write(buf, 0, n);
          }
          out.write(buf, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // One side went away; closing both streams (try-with-resources) ends the other pump too.
      }
      closeQuietly(from);
      closeQuietly(to);
    }, "recording-proxy-" + name);
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // Already closed.
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    sockets.forEach(RecordingProxy::closeQuietly);
  }
}
