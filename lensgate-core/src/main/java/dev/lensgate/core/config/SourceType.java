package dev.lensgate.core.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The database kinds a source may be, with the JDBC URL prefixes each accepts. */
public enum SourceType {
  POSTGRES("postgres", List.of("jdbc:postgresql:")),
  MARIADB("mariadb", List.of("jdbc:mariadb:", "jdbc:mysql:")),
  MYSQL("mysql", List.of("jdbc:mysql:", "jdbc:mariadb:")),
  H2("h2", List.of("jdbc:h2:"));

  private final String wireName;
  private final List<String> urlPrefixes;

  SourceType(String wireName, List<String> urlPrefixes) {
    this.wireName = wireName;
    this.urlPrefixes = urlPrefixes;
  }

  public String wireName() { return wireName; }

  /** JDBC URL prefixes that fit this type. */
  public List<String> urlPrefixes() { return urlPrefixes; }

  public static Optional<SourceType> fromWire(String s) {
    if (s == null) {
      return Optional.empty();
    }
    String v = s.toLowerCase(Locale.ROOT);
    if (v.equals("postgresql")) {
      return Optional.of(POSTGRES);
    }
    for (SourceType t : values()) {
      if (t.wireName.equals(v)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
