package dev.lensgate.server.http;

import dev.lensgate.core.auth.Principal;
import io.javalin.http.Context;

/**
 * Per-request facts the audit step needs (request id, who called), kept on the Javalin context.
 * Mutable by design but confined to the request's thread.
 */
public final class RequestContext {
  private static final String ATTRIBUTE = "lensgate.request";
  private final String requestId;
  private final long startedNanos;
  private Principal principal;

  private RequestContext(String requestId, long startedNanos) {
    this.requestId = requestId;
    this.startedNanos = startedNanos;
  }

  static RequestContext begin(Context ctx, String requestId, long startedNanos) {
    RequestContext rc = new RequestContext(requestId, startedNanos);
    ctx.attribute(ATTRIBUTE, rc);
    return rc;
  }

  /** The context of this request; never null once the request-id filter has run. */
  public static RequestContext of(Context ctx) {
    RequestContext rc = ctx.attribute(ATTRIBUTE);
    return rc != null ? rc : new RequestContext("req_unknown", System.nanoTime());
  }

  public String requestId() { return requestId; }

  long startedNanos() { return startedNanos; }

  /** The authenticated caller, or null before authentication (or when it failed). */
  public Principal principal() { return principal; }

  public void principal(Principal p) { this.principal = p; }
}
