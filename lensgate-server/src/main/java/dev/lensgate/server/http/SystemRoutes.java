package dev.lensgate.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** Unauthenticated routes: health and the OpenAPI description. */
public final class SystemRoutes {
  public static final String OPENAPI_RESOURCE = "/dev/lensgate/server/http/openapi.json";
  private final String version;
  private final byte[] openApi;

  public SystemRoutes(String version) {
    this.version = version;
    this.openApi = loadOpenApi();
  }

  public List<Route> routes() {
    return List.of(
        Route.get("/v1/health", false, ctx -> ctx.json(java.util.Map.of("status", "ok", "version", version))),
        Route.get("/v1/openapi.json", false, ctx -> {
          ctx.contentType("application/json");
          ctx.result(openApi);
        }));
  }

  static byte[] loadOpenApi() {
    try (InputStream in = SystemRoutes.class.getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing " + OPENAPI_RESOURCE);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
