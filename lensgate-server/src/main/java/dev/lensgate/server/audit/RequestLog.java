package dev.lensgate.server.audit;

/** Where finished requests are recorded. Implementations must not block the request thread. */
public interface RequestLog extends AutoCloseable {
  void record(RequestLogEntry entry);

  @Override
  default void close() {}

  static RequestLog discarding() {
    return entry -> { };
  }
}
