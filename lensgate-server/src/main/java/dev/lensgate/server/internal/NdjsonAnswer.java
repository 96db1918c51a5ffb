package dev.lensgate.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.server.runner.JobOutcome;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;

/**
 * The runner-facing node's side of one streamed answer: writes {@link InternalStreamCodec} lines
 * straight to the servlet response and flushes each, so the node holds one chunk, not the table.
 *
 * <p>The status line is sent with the first line only: until then ({@link #started()} false) a
 * failure can still be answered as the usual status and error envelope. One request thread.
 */
final class NdjsonAnswer {
  /** The API node stopped reading (hung up, or gave up): nothing more can be told to it. */
  static final class ClientGone extends UncheckedIOException {
    private static final long serialVersionUID = 1L;

    ClientGone(IOException cause) {
      super("the API node stopped reading the stream", cause);
    }
  }

  private final Context ctx;
  private final InternalStreamCodec codec;
  private OutputStream out;

  NdjsonAnswer(Context ctx, InternalStreamCodec codec) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
    this.codec = Objects.requireNonNull(codec, "codec");
  }

  /** Whether a line was sent (the status is committed as 200). */
  boolean started() {
    return out != null;
  }

  /** Sends one chunk; an empty chunk sends nothing. @throws ClientGone when the write fails */
  void rows(List<JsonNode> rows) {
    if (!rows.isEmpty()) {
      send(codec.encodeRows(rows));
    }
  }

  /** Sends the last line of a stream that ended well. @throws ClientGone when the write fails */
  void done(JobOutcome outcome) {
    send(codec.encodeDone(outcome));
  }

  /** Sends the last line of a stream that failed. @throws ClientGone when the write fails */
  void error(ErrorCode code, String message) {
    send(codec.encodeError(code, message));
  }

  private void send(byte[] line) {
    try {
      if (out == null) {
        ctx.status(200);
        ctx.contentType(InternalStreamCodec.CONTENT_TYPE);
        // The raw servlet stream: no compression or result buffering between the runner and the wire.
        out = ctx.res().getOutputStream();
      }
      out.write(line);
      out.flush();
    } catch (IOException e) {
      throw new ClientGone(e);
    }
  }
}
