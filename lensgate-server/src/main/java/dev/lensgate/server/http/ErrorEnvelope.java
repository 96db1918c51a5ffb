package dev.lensgate.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lensgate.core.error.ErrorCode;
import io.javalin.http.Context;

/** Writes the contract's error body: {@code {"error":{"code","message","requestId"}}}. */
final class ErrorEnvelope {
  private final ObjectMapper json;

  ErrorEnvelope(ObjectMapper json) {
    this.json = json;
  }

  /** The code for a status the framework produced on its own (no handler ran). */
  static ErrorCode forStatus(int status) {
    switch (status) {
      case 404: return ErrorCode.NOT_FOUND;
      case 405: return ErrorCode.METHOD_NOT_ALLOWED;
      case 413: return ErrorCode.PAYLOAD_TOO_LARGE;
      case 415: return ErrorCode.UNSUPPORTED_MEDIA_TYPE;
      default: return status >= 500 ? ErrorCode.INTERNAL : ErrorCode.INVALID_REQUEST;
    }
  }

  void write(Context ctx, ErrorCode code, String message) {
    ctx.status(code.httpStatus());
    ctx.contentType("application/json");
    ctx.result(body(ctx, code, message));
  }

  /**
   * Writes the envelope straight to the servlet response and commits it. For a refused WebSocket
   * upgrade: Javalin sends only the status of an upgrade that failed, never a result body.
   */
  void writeNow(Context ctx, ErrorCode code, String message) throws java.io.IOException {
    byte[] bytes = body(ctx, code, message).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    ctx.status(code.httpStatus());
    ctx.contentType("application/json");
    ctx.res().setContentLength(bytes.length);
    ctx.res().getOutputStream().write(bytes);
    ctx.res().flushBuffer();
  }

  private String body(Context ctx, ErrorCode code, String message) {
    ObjectNode body = json.createObjectNode();
    ObjectNode error = body.putObject("error");
    error.put("code", code.code());
    error.put("message", message);
    error.put("requestId", RequestContext.of(ctx).requestId());
    return body.toString();
  }
}
