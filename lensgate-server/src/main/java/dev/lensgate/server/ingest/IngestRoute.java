package dev.lensgate.server.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lensgate.core.auth.Operation;
import dev.lensgate.server.authorize.LensAccess;
import dev.lensgate.server.http.JsonBodies;
import dev.lensgate.server.http.RequestContext;
import dev.lensgate.server.http.Route;
import dev.lensgate.server.store.IngestReceipt;
import dev.lensgate.server.store.SyncMode;
import dev.lensgate.server.store.SyncQueueStore;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Objects;

/**
 * {@code POST /v1/ingest/:lens}: authenticate and authorize ({@code ik_} and {@code sk_} only —
 * the authorizer answers {@code 403 key_type_not_allowed} to {@code pk_}/{@code lp_}/{@code rk_}),
 * parse and bound the body ({@link IngestRequest}), then buffer the changes and find-or-queue the
 * lens's debounced job in one metadata-store transaction. {@code 202} is sent only after that
 * transaction committed: a gateway crash right after it loses nothing, and a failed commit is an
 * error answer, never a 202. The sync itself runs later on the {@code SyncScheduler}.
 */
public final class IngestRoute {
  /** Calls within this window after the last one share one job. */
  public static final Duration DEFAULT_DEBOUNCE = Duration.ofSeconds(2);

  private final LensAccess access;
  private final JsonBodies bodies;
  private final SyncQueueStore queue;
  private final Duration debounce;

  public IngestRoute(LensAccess access, JsonBodies bodies, SyncQueueStore queue, Duration debounce) {
    this.access = Objects.requireNonNull(access, "access");
    this.bodies = Objects.requireNonNull(bodies, "bodies");
    this.queue = Objects.requireNonNull(queue, "queue");
    this.debounce = Objects.requireNonNull(debounce, "debounce");
  }

  public Route route() {
    return Route.post("/v1/ingest/{lens}", this::handle);
  }

  void handle(Context ctx) {
    LensAccess.Granted granted = access.authorize(ctx, ctx.pathParam("lens"), Operation.INGEST);
    JsonNode body = bodies.readObject(ctx);
    IngestRequest request = IngestRequest.parse(body);
    IngestReceipt receipt = queue.ingest(granted.principal().envId(), granted.lens().name(), request.mode(),
        request.changes(), RequestContext.of(ctx).requestId(), debounce);
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("jobId", receipt.jobId());
    out.put("status", receipt.status());
    if (request.mode() == SyncMode.RECORDS) {
      out.put("changesBuffered", receipt.changesBuffered());
    }
    ctx.status(202);
    ctx.contentType("application/json");
    ctx.result(out.toString());
  }
}
