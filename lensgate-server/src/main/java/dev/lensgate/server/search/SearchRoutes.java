package dev.lensgate.server.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.lensgate.core.auth.Operation;
import dev.lensgate.core.config.LensConfig;
import dev.lensgate.server.authorize.LensAccess;
import dev.lensgate.server.http.JsonBodies;
import dev.lensgate.server.http.Route;
import io.javalin.http.Context;
import java.util.List;

/**
 * {@code POST /v1/search/:lens} and {@code POST /v1/similar/:lens}, the request flow of query:
 * authenticate and authorize ({@link LensAccess}, operation {@code search} / {@code similar}: an
 * {@code ik_} key is refused, another environment's lens is {@code lens_not_found}) → validate the
 * body against the lens → search the environment's index with where AND rule filter → shape →
 * respond. Audit happens in the HTTP layer's request log.
 */
public final class SearchRoutes {
  private final LensAccess access;
  private final JsonBodies bodies;
  private final SearchEngine engine;

  public SearchRoutes(LensAccess access, JsonBodies bodies, SearchEngine engine) {
    this.access = access;
    this.bodies = bodies;
    this.engine = engine;
  }

  public List<Route> routes() {
    return List.of(Route.post("/v1/search/{lens}", this::search), Route.post("/v1/similar/{lens}", this::similar));
  }

  void search(Context ctx) {
    long started = System.nanoTime();
    LensAccess.Granted granted = access.authorize(ctx, ctx.pathParam("lens"), Operation.SEARCH);
    LensConfig lens = granted.lens();
    JsonNode body = bodies.readObject(ctx);
    SearchRequest request = SearchRequest.parse(body, lens.schema());
    SearchResult result = engine.search(granted.principal().envId(), lens, request, granted.rowFilter());
    respond(ctx, SearchResponse.render(lens, TextNode.valueOf(request.query()), request.mode().wireName(), result,
        elapsedMs(started)));
  }

  void similar(Context ctx) {
    long started = System.nanoTime();
    LensAccess.Granted granted = access.authorize(ctx, ctx.pathParam("lens"), Operation.SIMILAR);
    LensConfig lens = granted.lens();
    JsonNode body = bodies.readObject(ctx);
    SimilarRequest request = SimilarRequest.parse(body, lens);
    SearchResult result = engine.similar(granted.principal().envId(), lens, request, granted.rowFilter());
    respond(ctx, SearchResponse.render(lens, TextNode.valueOf(request.id()), "similar", result, elapsedMs(started)));
  }

  private static double elapsedMs(long started) {
    return Math.round((System.nanoTime() - started) / 10_000.0) / 100.0;
  }

  private static void respond(Context ctx, String json) {
    ctx.contentType("application/json");
    ctx.result(json);
  }
}
