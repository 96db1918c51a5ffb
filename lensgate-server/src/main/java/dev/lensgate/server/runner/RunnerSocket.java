package dev.lensgate.server.runner;

/** The sending half of one runner's WebSocket, so sessions and dispatch do not depend on Javalin. */
interface RunnerSocket {
  /** Queues a text frame; never blocks on the network. */
  void send(String text);

  void close(int status, String reason);
}
