package dev.lensgate.core.auth;

import java.util.Optional;

/** The five API key types of CONTRACT §3, by their wire prefix. */
public enum KeyType {
  /** Server key: everything in its environment, bypasses lens grants. */
  SK("sk", false),
  /** Publishable key: browser-safe, subject to lens grants. */
  PK("pk", false),
  /** Ingest key: {@code POST /v1/ingest/:lens} only. */
  IK("ik", false),
  /** Runner key: organization scoped, the runner WebSocket only. */
  RK("rk", true),
  /** Partner key: like pk, further limited to its scopes; bcrypt at rest. */
  LP("lp", false);

  private final String prefix;
  private final boolean orgScoped;

  KeyType(String prefix, boolean orgScoped) {
    this.prefix = prefix;
    this.orgScoped = orgScoped;
  }

  public String prefix() { return prefix; }

  /** True when the key belongs to the organization rather than one environment. */
  public boolean orgScoped() { return orgScoped; }

  public static Optional<KeyType> fromPrefix(String prefix) {
    for (KeyType t : values()) {
      if (t.prefix.equals(prefix)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
