package dev.lensgate.core.jwt;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where a verifier gets its JSON Web Key Set. {@link #fetch()} is called at most once per refetch
 * interval by {@link JwksUserTokenVerifier}, never per request.
 */
public interface JwksSource {
  /** Largest JWKS document accepted; real ones are a few KiB. */
  int MAX_JWKS_BYTES = 512 * 1024;

  /** The JWKS JSON document. */
  String fetch() throws IOException;

  /** Reads a local JWKS file on each fetch, so a replaced file is picked up on the next kid miss. */
  static JwksSource file(Path path) {
    Objects.requireNonNull(path, "path");
    return () -> {
      if (Files.size(path) > MAX_JWKS_BYTES) {
        throw new IOException("JWKS file is larger than " + MAX_JWKS_BYTES + " bytes");
      }
      return Files.readString(path, StandardCharsets.UTF_8);
    };
  }

  /** Fetches over HTTP(S) with bounded connect and response time and a size cap. */
  static JwksSource url(URI uri, Duration timeout) {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(timeout, "timeout");
    HttpClient client = HttpClient.newBuilder()
        .connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
    return () -> {
      HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET().build();
      HttpResponse<InputStream> response;
      try {
        response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while fetching JWKS", e);
      }
      try (InputStream body = response.body()) {
        if (response.statusCode() != 200) {
          throw new IOException("JWKS endpoint answered HTTP " + response.statusCode());
        }
        byte[] bytes = body.readNBytes(MAX_JWKS_BYTES + 1);
        if (bytes.length > MAX_JWKS_BYTES) {
          throw new IOException("JWKS document is larger than " + MAX_JWKS_BYTES + " bytes");
        }
        return new String(bytes, StandardCharsets.UTF_8);
      }
    };
  }

  /** A fixed document (the dev issuer, tests). */
  static JwksSource of(String jwksJson) {
    Objects.requireNonNull(jwksJson, "jwksJson");
    return () -> jwksJson;
  }
}
