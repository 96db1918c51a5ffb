package dev.lensgate.server.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A runner-facing node stand-in on a raw loopback socket, so a test can answer byte by byte what a
 * real node would (chunked NDJSON) and what it never should: a connection cut mid-chunk, a stream
 * that stalls, no terminating chunk. Each connection reads one request, runs the script, and closes.
 */
final class ScriptedPeer implements AutoCloseable {
  /** What the peer answers on one connection. */
  @FunctionalInterface
  interface Script {
    void answer(Answer out) throws IOException, InterruptedException;
  }

  /** One request as the peer received it. */
  record Request(String requestLine, String authorization, String body) {}

  /** Writes a chunked HTTP/1.1 answer. */
  static final class Answer {
    private final OutputStream out;

    Answer(OutputStream out) {
      this.out = out;
    }

    Answer head(int status, String contentType) throws IOException {
      out.write(("HTTP/1.1 " + status + " X\r\nContent-Type: " + contentType
          + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return this;
    }

    Answer chunk(String data) throws IOException {
      byte[] b = data.getBytes(StandardCharsets.UTF_8);
      out.write((Integer.toHexString(b.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(b);
      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return this;
    }

    /** The terminating chunk: the body ended normally. */
    void end() throws IOException {
      out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }
  }

  final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
  /** Counted down when a script's write failed: the client dropped the connection. */
  final CountDownLatch clientLeft = new CountDownLatch(1);
  /** Released on close, so a stalling script ends with the test. */
  final CountDownLatch released = new CountDownLatch(1);
  private final ServerSocket server;
  private final Thread acceptor;
  private volatile Script script = out -> out.head(500, "text/plain").end();

  ScriptedPeer() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::acceptLoop, "scripted-peer");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  void answer(Script s) {
    this.script = s;
  }

  /** Waits until {@link #close()}, for stalling scripts. */
  void stall() throws InterruptedException {
    released.await();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try (Socket s = server.accept()) {
        requests.add(read(s.getInputStream()));
        try {
          script.answer(new Answer(s.getOutputStream()));
        } catch (IOException e) {
          clientLeft.countDown();
        }
      } catch (IOException | InterruptedException e) {
        return;
      }
    }
  }

  private static Request read(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      head.write(c);
      String h = head.toString(StandardCharsets.ISO_8859_1);
      if (h.endsWith("\r\n\r\n")) {
        break;
      }
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    int length = 0;
    String authorization = null;
    for (String l : lines) {
      String lower = l.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Integer.parseInt(l.substring(15).trim());
      } else if (lower.startsWith("authorization:")) {
        authorization = l.substring(14).trim();
      }
    }
    byte[] body = in.readNBytes(length);
    return new Request(lines[0], authorization, new String(body, StandardCharsets.UTF_8));
  }

  @Override
  public void close() throws IOException {
    released.countDown();
    server.close();
  }
}
