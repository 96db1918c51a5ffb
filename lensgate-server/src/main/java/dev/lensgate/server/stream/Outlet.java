package dev.lensgate.server.stream;

import java.util.function.Consumer;

/** The wire side of one socket, as {@link SendQueue} needs it (a fake in unit tests). */
interface Outlet {
  /** Starts writing {@code text}; exactly one of the callbacks runs when the write ends. Must not block. */
  void send(String text, Runnable written, Consumer<Throwable> failed);

  /** Starts a close handshake with {@code status}/{@code reason}. Must not block. */
  void close(int status, String reason);

  /** Drops the connection without a handshake (a peer that does not read cannot take one). */
  void disconnect();

  /** Sends a ping control frame (keepalive); must not block. */
  void ping();
}
