package dev.lensgate.server.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lensgate.core.error.ErrorCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers requests that Jetty refuses before Javalin ever sees them (a NUL or ambiguous segment in
 * the path, an oversized header) with the contract's envelope and a fresh {@code X-Request-Id},
 * instead of Jetty's HTML page. The refused input is never echoed.
 */
final class JettyErrorHandler extends ErrorHandler {
  private final RequestIds ids;

  JettyErrorHandler(RequestIds ids) {
    this.ids = ids;
  }

  @Override
  protected void generateResponse(Request request, Response response, int status, String message,
      Throwable cause, Callback callback) {
    ErrorCode code = ErrorEnvelope.forStatus(status);
    String requestId = ids.acceptOrMint(null);
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ObjectNode error = body.putObject("error");
    error.put("code", code.code());
    error.put("message", "request refused by the HTTP layer");
    error.put("requestId", requestId);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(RequestIds.HEADER, requestId);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.write(true, ByteBuffer.wrap(body.toString().getBytes(StandardCharsets.UTF_8)), callback);
  }
}
