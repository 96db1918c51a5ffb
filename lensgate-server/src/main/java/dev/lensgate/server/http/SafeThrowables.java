package dev.lensgate.server.http;

/**
 * Describes an unexpected exception for the log without its messages: driver and library messages
 * can carry bound values or row contents, which must never reach a log line.
 */
public final class SafeThrowables {
  private SafeThrowables() {}

  public static String describe(Throwable t) {
    StringBuilder sb = new StringBuilder();
    int depth = 0;
    for (Throwable c = t; c != null && depth < 6; c = c.getCause(), depth++) {
      if (depth > 0) {
        sb.append(" <- ");
      }
      sb.append(c.getClass().getName());
      StackTraceElement[] frames = c.getStackTrace();
      if (frames.length > 0) {
        sb.append(" at ").append(frames[0]);
      }
    }
    return sb.toString();
  }
}
