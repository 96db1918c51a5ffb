package dev.lensgate.core.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Reads {@code auth.jwt}. Unsafe settings are errors, never silently replaced by defaults. */
final class AuthReader {
  private static final Set<String> AUTH_KEYS = Set.of("jwt");
  private static final Set<String> JWT_KEYS = Set.of("jwksUrl", "jwksFile", "issuer", "audience", "algorithms");
  private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

  private final Problems problems;
  private final Path baseDir;

  AuthReader(Problems problems, Path baseDir) {
    this.problems = problems;
    this.baseDir = baseDir;
  }

  Optional<JwtSettings> read(YamlMap.Entry auth) {
    Optional<YamlMap> map = YamlMap.read(auth.value(), auth.path(), problems, "auth");
    if (map.isEmpty()) {
      return Optional.empty();
    }
    Optional<YamlMap.Entry> jwt = map.get().allowOnly(AUTH_KEYS).entry("jwt");
    if (jwt.isEmpty()) {
      return Optional.empty();
    }
    Optional<YamlMap> read = YamlMap.read(jwt.get().value(), jwt.get().path(), problems, "auth.jwt settings");
    if (read.isEmpty()) {
      return Optional.empty();
    }
    YamlMap m = read.get().allowOnly(JWT_KEYS);
    boolean ok = true;
    if (m.has("jwksUrl") == m.has("jwksFile")) {
      problems.error(m.node(), m.path(), "set exactly one of jwksUrl and jwksFile");
      ok = false;
    }
    Optional<URI> url = m.optionalString("jwksUrl").flatMap(u -> url(u, m.entry("jwksUrl").get()));
    ok &= !m.has("jwksUrl") || url.isPresent();
    Optional<Path> file = m.optionalString("jwksFile").flatMap(f -> file(f, m.entry("jwksFile").get()));
    ok &= !m.has("jwksFile") || file.isPresent();
    Optional<String> issuer = m.requiredString("issuer");
    Optional<String> audience = m.requiredString("audience");
    List<String> algorithms = JwtSettings.SUPPORTED_ALGORITHMS;
    if (m.has("algorithms")) {
      Optional<List<String>> algs = algorithms(m.entry("algorithms").get());
      ok &= algs.isPresent();
      algorithms = algs.orElse(algorithms);
    }
    if (!ok || issuer.isEmpty() || audience.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new JwtSettings(url, file, issuer.get(), audience.get(), algorithms));
  }

  private Optional<URI> url(String text, YamlMap.Entry e) {
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
        problems.error(e.value(), e.path(), "jwksUrl must be an absolute https URL");
        return Optional.empty();
      }
      if (scheme.equals("http") && !LOOPBACK.contains(uri.getHost().toLowerCase(Locale.ROOT))) {
        problems.error(e.value(), e.path(), "jwksUrl must use https (plain http is only allowed for localhost)");
        return Optional.empty();
      }
      if (uri.getUserInfo() != null) {
        problems.error(e.value(), e.path(), "jwksUrl must not contain credentials");
        return Optional.empty();
      }
      return Optional.of(uri);
    } catch (URISyntaxException ex) {
      problems.error(e.value(), e.path(), "jwksUrl is not a valid URL");
      return Optional.empty();
    }
  }

  private Optional<Path> file(String text, YamlMap.Entry e) {
    try {
      Path p = Path.of(text);
      return Optional.of(p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p).normalize());
    } catch (InvalidPathException ex) {
      problems.error(e.value(), e.path(), "jwksFile is not a valid path");
      return Optional.empty();
    }
  }

  private Optional<List<String>> algorithms(YamlMap.Entry e) {
    Optional<List<String>> names = YamlScalars.stringList(e.value(), e.path(), problems);
    if (names.isEmpty()) {
      return Optional.empty();
    }
    if (names.get().isEmpty()) {
      problems.error(e.value(), e.path(), "list at least one algorithm");
      return Optional.empty();
    }
    List<String> out = new ArrayList<>();
    boolean ok = true;
    for (String a : names.get()) {
      if (JwtSettings.SUPPORTED_ALGORITHMS.contains(a)) {
        if (!out.contains(a)) {
          out.add(a);
        }
        continue;
      }
      ok = false;
      String upper = a.toUpperCase(Locale.ROOT);
      String why = upper.startsWith("HS") ? "HMAC algorithms are never accepted against a JWKS"
          : upper.equals("NONE") ? "unsigned tokens are never accepted"
          : "unsupported algorithm";
      problems.error(e.value(), e.path(), why + ": '" + a + "' (allowed: RS256, PS256, ES256, EdDSA)");
    }
    return ok ? Optional.of(out) : Optional.empty();
  }
}
