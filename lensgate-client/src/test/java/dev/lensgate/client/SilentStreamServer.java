package dev.lensgate.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A half-open gateway: accepts the WebSocket upgrade on a raw socket, then never reads or writes
 * again (no pong, no close), like a peer behind a NAT that forgot the connection. Only the
 * client's keepalive can notice it.
 */
final class SilentStreamServer implements AutoCloseable {
  private static final String WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  private final ServerSocket server;
  private final Thread acceptor;
  private final BlockingQueue<String> upgrades = new LinkedBlockingQueue<>();
  private final List<Socket> held = new CopyOnWriteArrayList<>();

  SilentStreamServer() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::acceptLoop, "silent-stream-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String httpUrl() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  /** The request head of the next accepted upgrade, failing the test after the wait. */
  String nextUpgrade() throws InterruptedException {
    String head = upgrades.poll(ScriptedStreamServer.WAIT_SECONDS, TimeUnit.SECONDS);
    if (head == null) {
      throw new AssertionError("the client opened no socket");
    }
    return head;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        held.add(s);
        String head = readHead(s.getInputStream());
        String key = null;
        for (String line : head.split("\r\n")) {
          if (line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-key:")) {
            key = line.substring(line.indexOf(':') + 1).trim();
          }
        }
        String answer = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: " + accept(key) + "\r\n\r\n";
        s.getOutputStream().write(answer.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        upgrades.add(head);
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("eof in request head");
      }
      out.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return out.toString(StandardCharsets.US_ASCII);
  }

  private static String accept(String key) {
    try {
      byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + WS_GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(sha1);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : held) {
      s.close();
    }
  }
}
