package dev.lensgate.server.http;

import io.javalin.http.Context;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Sends an error answer at once, then drains what the refused request still has in flight.
 *
 * <p>A request is often refused before its body is read (bad key, too large, unknown route). If the
 * server then closes the connection with those bytes unread, the kernel answers with a TCP reset
 * and the client loses the 4xx already written, seeing only "connection reset". Reading and dropping
 * the rest avoids that and keeps the connection reusable; answering first means a client that waits
 * for the answer before sending its body (or never sends it) is not kept waiting. At most
 * {@link #LIMIT} bytes are drained; past that the connection closes.
 */
final class UnreadBody {
  /** The most bytes drained for one request. */
  static final long LIMIT = 32L << 20;

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
      discard(ctx.req().getInputStream());
    }
  }

  private static void discard(ServletInputStream in) {
    byte[] sink = new byte[64 * 1024];
    long left = LIMIT;
    try {
      int n;
      while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
        left -= n;
      }
    } catch (IOException e) {
      // The client read the answer and went away: nothing left to protect.
    }
  }
}
