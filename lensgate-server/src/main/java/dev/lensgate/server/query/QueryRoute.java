package dev.lensgate.server.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lensgate.core.auth.Operation;
import dev.lensgate.core.auth.Principal;
import dev.lensgate.core.config.LensConfig;
import dev.lensgate.core.plan.QueryRequest;
import dev.lensgate.core.plan.ReadPlanner;
import dev.lensgate.core.plan.ReadResult;
import dev.lensgate.core.plan.ReadSpec;
import dev.lensgate.core.where.Filter;
import dev.lensgate.server.authorize.LensAccess;
import dev.lensgate.server.execute.LensReader;
import dev.lensgate.server.http.JsonBodies;
import dev.lensgate.server.http.Route;
import dev.lensgate.server.shape.RowShaper;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /v1/query/:lens}, the request flow in order: authenticate and authorize (one call to
 * {@link LensAccess}) → plan (client where + rule filter + mapping → a structured read) → execute
 * → shape (declared fields, transforms) → respond. Audit happens in the HTTP layer's request log.
 */
public final class QueryRoute {
  private final LensAccess access;
  private final JsonBodies bodies;
  private final ReadPlanner planner;
  private final LensReader reader;

  public QueryRoute(LensAccess access, JsonBodies bodies, ReadPlanner planner, LensReader reader) {
    this.access = access;
    this.bodies = bodies;
    this.planner = planner;
    this.reader = reader;
  }

  public Route route() {
    return Route.post("/v1/query/{lens}", this::handle);
  }

  void handle(Context ctx) {
    long started = System.nanoTime();
    LensAccess.Granted granted = access.authorize(ctx, ctx.pathParam("lens"), Operation.QUERY);
    LensConfig lens = granted.lens();
    JsonNode body = bodies.readObject(ctx);
    QueryRequest request = QueryRequest.parse(body, lens.schema(), granted.defaultLimit());
    Optional<Filter> ruleFilter = granted.rowFilter();
    Principal principal = granted.principal();
    ReadSpec spec = planner.plan(request, ruleFilter, lens.schema(), principal.envId());
    ReadResult result = reader.read(principal.envId(), lens, spec);
    List<Map<String, Object>> rows = RowShaper.shape(lens, result.rows());
    double durationMs = Math.round((System.nanoTime() - started) / 10_000.0) / 100.0;
    ctx.contentType("application/json");
    ctx.result(QueryResponse.render(lens.name(), rows, result.nextCursor(), durationMs));
  }
}
