package dev.lensgate.runner;

import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.core.runner.JobCredentials;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runner-local ("airgap") sources: credentials the runner reads from its own environment,
 * {@code LENSGATE_SOURCE_<NAME>_URL|USER|PASSWORD}, which the gateway never sees. {@code <NAME>} is
 * the source name upper-cased with {@code -} and {@code .} as {@code _}. Held only in memory.
 */
public final class LocalSources {
  private static final String PREFIX = "LENSGATE_SOURCE_";
  private static final Pattern URL_VAR = Pattern.compile(PREFIX + "([A-Z0-9_]+)_URL");

  private final Map<String, String> env;

  private LocalSources(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  public static LocalSources fromEnvironment(Map<String, String> env) {
    return new LocalSources(env);
  }

  /** The environment variable stem for {@code source}: {@code LENSGATE_SOURCE_<NAME>}. */
  static String stem(String source) {
    return PREFIX + source.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
  }

  /** The credentials of a runner-local source, if its URL is set (user and password may be empty). */
  public Optional<JobCredentials> find(String source) {
    String stem = stem(source);
    String url = env.get(stem + "_URL");
    if (url == null || url.isBlank()) {
      return Optional.empty();
    }
    String user = env.getOrDefault(stem + "_USER", "");
    String password = env.getOrDefault(stem + "_PASSWORD", "");
    return Optional.of(new JobCredentials(url.strip(), user, SecretBytes.fromUtf8(password)));
  }

  /** The {@code <NAME>} parts of every {@code LENSGATE_SOURCE_<NAME>_URL}, lower-cased. */
  public Set<String> names() {
    Set<String> names = new TreeSet<>();
    for (String key : env.keySet()) {
      Matcher m = URL_VAR.matcher(key);
      if (m.matches() && !env.get(key).isBlank()) {
        names.add(m.group(1).toLowerCase(Locale.ROOT));
      }
    }
    return names;
  }
}
