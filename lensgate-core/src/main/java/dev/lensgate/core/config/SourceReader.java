package dev.lensgate.core.config;

import dev.lensgate.core.lens.LensField;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads {@code sources}. Credentials are refused in the file: they are managed or runner-local. */
final class SourceReader {
  private static final Set<String> KEYS = Set.of("type", "url", "runners", "credentials");
  static final Pattern RUNNER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
  private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)[?&;:](password|passwd|pwd)=");
  private static final Pattern USER_INFO = Pattern.compile("//[^/@?]*:[^/@?]*@");

  private final Problems problems;

  SourceReader(Problems problems) {
    this.problems = problems;
  }

  Map<String, SourceConfig> read(YamlMap.Entry sources) {
    Map<String, SourceConfig> out = new LinkedHashMap<>();
    Optional<YamlMap> map = YamlMap.read(sources.value(), sources.path(), problems, "sources: name → source");
    if (map.isEmpty()) {
      return out;
    }
    for (YamlMap.Entry e : map.get().entries()) {
      if (!LensField.IDENTIFIER.matcher(e.key()).matches()) {
        problems.error(e.keyNode(), e.path(), "source name '" + e.key() + "' must be letters, digits and _ (not starting with a digit)");
        continue;
      }
      readOne(e).ifPresent(s -> out.put(s.name(), s));
    }
    return out;
  }

  private Optional<SourceConfig> readOne(YamlMap.Entry entry) {
    Optional<YamlMap> read = YamlMap.read(entry.value(), entry.path(), problems, "a source");
    if (read.isEmpty()) {
      return Optional.empty();
    }
    YamlMap m = read.get().allowOnly(KEYS);
    Optional<SourceType> type = m.requiredString("type").flatMap(t -> {
      Optional<SourceType> st = SourceType.fromWire(t);
      if (st.isEmpty()) {
        problems.error(m.entry("type").get().value(), m.childPath("type"),
            "unknown source type '" + t + "' (known: postgres, mariadb, mysql, h2)");
      }
      return st;
    });
    Optional<String> url = m.optionalString("url");
    boolean ok = type.isPresent();
    if (url.isPresent() && !checkUrl(url.get(), type, m)) {
      ok = false;
    }
    List<String> runners = List.of();
    if (m.has("runners")) {
      YamlMap.Entry r = m.entry("runners").get();
      Optional<List<String>> names = YamlScalars.stringList(r.value(), r.path(), problems);
      if (names.isEmpty()) {
        ok = false;
      } else {
        runners = names.get();
        for (String name : runners) {
          if (!RUNNER_NAME.matcher(name).matches()) {
            problems.error(r.value(), r.path(), "runner name '" + name + "' must be letters, digits, '.', '_' or '-'");
            ok = false;
          }
        }
      }
    }
    CredentialsMode credentials = CredentialsMode.MANAGED;
    if (m.has("credentials")) {
      Optional<String> c = m.optionalString("credentials");
      Optional<CredentialsMode> mode = c.flatMap(CredentialsMode::fromWire);
      if (mode.isEmpty()) {
        if (c.isPresent()) {
          problems.error(m.entry("credentials").get().value(), m.childPath("credentials"),
              "credentials must be managed or runner-local");
        }
        ok = false;
      } else {
        credentials = mode.get();
      }
    }
    if (ok && credentials == CredentialsMode.RUNNER_LOCAL && runners.isEmpty()) {
      problems.error(m.node(), m.childPath("runners"), "runner-local credentials need at least one runner");
      ok = false;
    }
    return ok ? Optional.of(new SourceConfig(entry.key(), type.get(), url, runners, credentials)) : Optional.empty();
  }

  private boolean checkUrl(String url, Optional<SourceType> type, YamlMap m) {
    YamlMap.Entry e = m.entry("url").get();
    if (PASSWORD_PARAM.matcher(url).find() || USER_INFO.matcher(url).find()) {
      problems.error(e.value(), e.path(), "credentials do not belong in lensgate.yaml: store them with "
          + "'lensgate sources connect' or in the runner's environment");
      return false;
    }
    if (type.isPresent() && type.get().urlPrefixes().stream().noneMatch(url::startsWith)) {
      problems.error(e.value(), e.path(), "a " + type.get().wireName() + " source needs a URL starting with "
          + String.join(" or ", type.get().urlPrefixes()));
      return false;
    }
    return true;
  }
}
