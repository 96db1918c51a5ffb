package dev.lensgate.server.http;

import io.javalin.http.Handler;
import java.util.Objects;

/**
 * One public HTTP route. The gateway's routes are a plain list of these, so the OpenAPI test can
 * compare the published description with what is really served.
 *
 * @param path Javalin path template, e.g. {@code /v1/query/{lens}}
 * @param authenticated whether the route requires an API key (drives the OpenAPI security entry)
 */
public record Route(Method method, String path, boolean authenticated, Handler handler) {
  public enum Method { GET, POST }

  public Route {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(handler, "handler");
  }

  public static Route get(String path, boolean authenticated, Handler handler) {
    return new Route(Method.GET, path, authenticated, handler);
  }

  public static Route post(String path, Handler handler) {
    return new Route(Method.POST, path, true, handler);
  }
}
