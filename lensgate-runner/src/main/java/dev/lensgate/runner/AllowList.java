package dev.lensgate.runner;

import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The runner operator's own limit on what the gateway may ask for:
 * {@code LENSGATE_RUNNER_ALLOW=source:table,source:schema.table,source:*}. Unset means every source
 * the runner can reach; set, a job outside it is refused by the runner whatever the gateway says.
 * A malformed entry fails at start rather than being skipped (a typo must not widen the list).
 */
public final class AllowList {
  public static final String ENV_ALLOW = "LENSGATE_RUNNER_ALLOW";
  private static final Pattern PART = Pattern.compile("[A-Za-z0-9_.-]{1,128}|\\*");

  private final Optional<Set<String>> entries;

  private AllowList(Optional<Set<String>> entries) {
    this.entries = entries;
  }

  public static AllowList allowAll() {
    return new AllowList(Optional.empty());
  }

  /** @throws IllegalArgumentException for an entry that is not {@code source:table} */
  public static AllowList parse(String spec) {
    Set<String> set = new HashSet<>();
    for (String raw : spec.split(",")) {
      String entry = raw.strip();
      if (entry.isEmpty()) {
        continue;
      }
      int colon = entry.indexOf(':');
      if (colon < 0 || !PART.matcher(entry.substring(0, colon)).matches()
          || !PART.matcher(entry.substring(colon + 1)).matches() || entry.startsWith("*")) {
        throw new IllegalArgumentException(ENV_ALLOW + " entries must look like source:table or source:*");
      }
      set.add(entry);
    }
    if (set.isEmpty()) {
      throw new IllegalArgumentException(ENV_ALLOW + " is set but lists nothing");
    }
    return new AllowList(Optional.of(Set.copyOf(set)));
  }

  public static AllowList fromEnvironment(Map<String, String> env) {
    String v = env.get(ENV_ALLOW);
    return v == null || v.isBlank() ? allowAll() : parse(v);
  }

  /** @param schema the lens's database schema, empty for the default */
  public boolean allows(String source, Optional<String> schema, String table) {
    if (entries.isEmpty()) {
      return true;
    }
    Set<String> e = entries.get();
    return e.contains(source + ":*") || e.contains(source + ":" + table)
        || (schema.isPresent() && e.contains(source + ":" + schema.get() + "." + table));
  }

  /** Whether any table of {@code source} may be read (a {@code test} job checks only the source). */
  public boolean allowsSource(String source) {
    return sources().map(s -> s.contains(source)).orElse(true);
  }

  /** The source names the list admits (the part before {@code :} of each entry), or empty when unrestricted. */
  public Optional<Set<String>> sources() {
    if (entries.isEmpty()) {
      return Optional.empty();
    }
    Set<String> out = new TreeSet<>();
    for (String e : entries.get()) {
      out.add(e.substring(0, e.indexOf(':')));
    }
    return Optional.of(Collections.unmodifiableSet(out));
  }

  public boolean restricted() {
    return entries.isPresent();
  }
}
