package dev.lensgate.core.config;

import dev.lensgate.core.lens.LensField;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code embedders}. The built-in {@code local} is always present in the result (declared
 * or not). An API key never belongs in the file: {@code apiKeyEnv} must name an environment
 * variable, and a value that looks like a key is refused without being echoed.
 */
final class EmbedderReader {
  private static final Set<String> OPENAI_KEYS = Set.of("type", "url", "model", "dimensions", "apiKeyEnv", "batchSize", "timeout");
  private static final Set<String> LOCAL_KEYS = Set.of("type", "batchSize");
  static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
  private static final Pattern KEY_PREFIX = Pattern.compile("(?i)(sk|pk|ik|rk|lp)[-_].*");
  private static final Duration MIN_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

  private final Problems problems;

  EmbedderReader(Problems problems) {
    this.problems = problems;
  }

  /** Every embedder read without problems, plus the built-in {@code local} unless redeclared. */
  Map<String, EmbedderConfig> read(Optional<YamlMap.Entry> section) {
    Map<String, EmbedderConfig> out = new LinkedHashMap<>();
    out.put(IndexSettings.LOCAL_EMBEDDER, EmbedderConfig.builtInLocal());
    if (section.isEmpty()) {
      return out;
    }
    Optional<YamlMap> map = YamlMap.read(section.get().value(), section.get().path(), problems, "embedders: name → embedder");
    if (map.isEmpty()) {
      return out;
    }
    for (YamlMap.Entry e : map.get().entries()) {
      if (!LensField.IDENTIFIER.matcher(e.key()).matches()) {
        problems.error(e.keyNode(), e.path(), "embedder name '" + e.key() + "' must be letters, digits and _ (not starting with a digit)");
        continue;
      }
      readOne(e).ifPresent(c -> out.put(c.name(), c));
    }
    return out;
  }

  private Optional<EmbedderConfig> readOne(YamlMap.Entry entry) {
    Optional<YamlMap> read = YamlMap.read(entry.value(), entry.path(), problems, "an embedder");
    if (read.isEmpty()) {
      return Optional.empty();
    }
    YamlMap m = read.get();
    Optional<EmbedderType> type = m.requiredString("type").flatMap(t -> {
      Optional<EmbedderType> et = EmbedderType.fromWire(t);
      if (et.isEmpty()) {
        problems.error(m.entry("type").get().value(), m.childPath("type"), "unknown embedder type '" + t + "' (known: local, openai)");
      }
      return et;
    });
    if (type.isEmpty()) {
      m.allowOnly(OPENAI_KEYS);
      return Optional.empty();
    }
    boolean ok = true;
    int batchSize = EmbedderConfig.DEFAULT_BATCH_SIZE;
    if (m.has("batchSize")) {
      YamlMap.Entry b = m.entry("batchSize").get();
      Optional<Integer> n = YamlScalars.integer(b.value(), b.path(), problems, 1, EmbedderConfig.MAX_BATCH_SIZE);
      ok &= n.isPresent();
      batchSize = n.orElse(batchSize);
    }
    if (type.get() == EmbedderType.LOCAL) {
      m.allowOnly(LOCAL_KEYS);
      ok &= m.entries().stream().allMatch(e -> LOCAL_KEYS.contains(e.key()));
      return ok ? Optional.of(EmbedderConfig.local(entry.key(), batchSize)) : Optional.empty();
    }
    m.allowOnly(OPENAI_KEYS);
    if (entry.key().equals(IndexSettings.LOCAL_EMBEDDER)) {
      problems.error(m.entry("type").get().value(), m.childPath("type"),
          "'local' is the built-in model: declare it only with type: local, and give other embedders another name");
      ok = false;
    }
    Optional<URI> url = m.requiredString("url").flatMap(u -> url(u, m.entry("url").get()));
    Optional<String> model = m.requiredString("model");
    // Optional: sent only when set, since fixed-size models (text-embedding-ada-002) refuse it.
    Optional<Integer> dimensions = Optional.empty();
    if (m.has("dimensions")) {
      YamlMap.Entry d = m.entry("dimensions").get();
      dimensions = YamlScalars.integer(d.value(), d.path(), problems, 1, EmbedderConfig.MAX_DIMENSIONS);
      ok &= dimensions.isPresent();
    }
    Optional<String> apiKeyEnv = Optional.empty();
    if (m.has("apiKeyEnv")) {
      apiKeyEnv = apiKeyEnv(m.entry("apiKeyEnv").get());
      ok &= apiKeyEnv.isPresent();
    }
    Duration timeout = EmbedderConfig.DEFAULT_TIMEOUT;
    if (m.has("timeout")) {
      YamlMap.Entry t = m.entry("timeout").get();
      Optional<Duration> d = Durations.read(t.value(), t.path(), problems, MIN_TIMEOUT, MAX_TIMEOUT);
      ok &= d.isPresent();
      timeout = d.orElse(timeout);
    }
    ok &= m.entries().stream().allMatch(e -> OPENAI_KEYS.contains(e.key()));
    if (!ok || url.isEmpty() || model.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new EmbedderConfig(entry.key(), EmbedderType.OPENAI, url, model, dimensions, apiKeyEnv, batchSize, timeout));
  }

  private Optional<URI> url(String text, YamlMap.Entry at) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      problems.error(at.value(), at.path(), "not a valid URL");
      return Optional.empty();
    }
    if (uri.getRawUserInfo() != null || uri.getRawQuery() != null) {
      problems.error(at.value(), at.path(), "the URL must not carry credentials or a query: name the key's variable in apiKeyEnv");
      return Optional.empty();
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
      problems.error(at.value(), at.path(), "expected an https:// URL with a host");
      return Optional.empty();
    }
    if (scheme.equals("http") && !isLoopback(uri.getHost())) {
      problems.error(at.value(), at.path(), "must be https (plain http is allowed only for localhost/127.0.0.1/[::1])");
      return Optional.empty();
    }
    String s = uri.toString();
    return Optional.of(URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s));
  }

  /** Loopback by literal only: no DNS lookup while validating a config. */
  static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.equals("localhost")) {
      return true;
    }
    if (h.startsWith("[") && h.endsWith("]")) {
      return h.equals("[::1]") || h.equals("[0:0:0:0:0:0:0:1]");
    }
    if (!h.matches("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")) {
      return false;
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  private Optional<String> apiKeyEnv(YamlMap.Entry e) {
    Optional<String> v = YamlScalars.string(e.value(), e.path(), problems);
    if (v.isEmpty()) {
      return v;
    }
    // Never echo the value: if it is a key, the problem output must not spread it.
    if (!ENV_NAME.matcher(v.get()).matches() || looksLikeKey(v.get())) {
      problems.error(e.value(), e.path(), "apiKeyEnv names the environment variable holding the key (e.g. OPENAI_API_KEY), "
          + "never the key itself; this value looks like a key: remove it from the file and rotate it");
      return Optional.empty();
    }
    return v;
  }

  /** Key prefixes, or long random-looking text (lower case letters and digits mixed). */
  static boolean looksLikeKey(String v) {
    if (KEY_PREFIX.matcher(v).matches()) {
      return true;
    }
    boolean lower = v.chars().anyMatch(c -> c >= 'a' && c <= 'z');
    boolean digit = v.chars().anyMatch(c -> c >= '0' && c <= '9');
    boolean upper = v.chars().anyMatch(c -> c >= 'A' && c <= 'Z');
    return v.length() >= 20 && digit && (lower || upper && v.indexOf('_') < 0);
  }
}
