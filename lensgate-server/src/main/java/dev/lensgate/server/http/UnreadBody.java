package dev.lensgate.server.http;

import io.javalin.http.Context;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;

/**
 * Sends an error answer at once, then drains what the refused request still has in flight.
 *
 * <p>A request is often refused before its body is read (bad key, too large, unknown route). If the
 * server then closes the connection with those bytes unread, the kernel answers with a TCP reset
 * and the client loses the 4xx already written, seeing only "connection reset". Reading and dropping
 * the rest avoids that and keeps the connection reusable; answering first means a client that waits
 * for the answer before sending its body (or never sends it) is not kept waiting.
 *
 * <p>Draining is bounded, because the request may be unauthenticated and reading blocks a thread:
 * at most {@link #LIMIT} bytes, for at most {@link #BUDGET_NANOS} in all, and a read that waits
 * longer than {@link #READ_IDLE_MILLIS} for data ends it. A client that trickles its body (a slow
 * loris) therefore holds a thread for a few seconds, not for the connection's idle timeout per byte;
 * past any bound the connection closes, and only such a client may see a reset.
 */
final class UnreadBody {
  /** The most bytes drained for one request. */
  static final long LIMIT = 32L << 20;
  /** The most time spent draining one request. */
  static final long BUDGET_NANOS = TimeUnit.SECONDS.toNanos(3);
  /** How long one read may wait for data while draining (the connection's idle timeout meanwhile). */
  static final long READ_IDLE_MILLIS = 1_000;

  private UnreadBody() {}

  /** Whether the request may still have body bytes the handler did not read. */
  static boolean mayRemain(Context ctx) {
    if (ctx.req().getContentLengthLong() == 0) {
      return false;
    }
    try {
      return !ctx.req().getInputStream().isFinished();
    } catch (IOException | IllegalStateException e) {
      return false; // taken as a reader, or already broken: nothing this class can do
    }
  }

  /** Writes and flushes the answer Javalin holds, then reads and drops the rest of the body. */
  static void answerThenDrain(Context ctx) throws IOException {
    InputStream result = ctx.resultInputStream();
    byte[] answer = result == null ? new byte[0] : result.readAllBytes();
    ctx.result(new byte[0]);
    ctx.res().setContentLength(answer.length);
    ctx.res().getOutputStream().write(answer);
    ctx.res().flushBuffer();
    if (ctx.req().getContentLengthLong() <= LIMIT) {
      discard(ctx.req());
    }
  }

  private static void discard(HttpServletRequest request) {
    EndPoint endPoint = ServletContextRequest.getServletContextRequest(request).getConnectionMetaData()
        .getConnection().getEndPoint();
    long idle = endPoint.getIdleTimeout();
    endPoint.setIdleTimeout(idle > 0 ? Math.min(idle, READ_IDLE_MILLIS) : READ_IDLE_MILLIS);
    long deadline = System.nanoTime() + BUDGET_NANOS;
    byte[] sink = new byte[64 * 1024];
    long left = LIMIT;
    try {
      ServletInputStream in = request.getInputStream();
      int n;
      while (left > 0 && System.nanoTime() < deadline && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
        left -= n;
      }
    } catch (IOException e) {
      // The client went away or stalled past READ_IDLE_MILLIS: the connection closes.
    } finally {
      endPoint.setIdleTimeout(idle);
    }
  }
}
