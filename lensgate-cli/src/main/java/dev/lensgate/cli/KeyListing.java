package dev.lensgate.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lensgate.server.store.ApiKeyInfo;
import dev.lensgate.server.store.KeyState;
import java.time.Instant;
import java.util.Locale;
import java.util.TreeSet;

/** Renders one {@link ApiKeyInfo} for {@code keys list}; there is no secret in it to leak. */
final class KeyListing {
  private KeyListing() {}

  /** {@code ID TYPE NAME PREFIX…LAST4 CREATED LAST-USED STATE SCOPES}. */
  static String[] cells(ApiKeyInfo k, Instant now) {
    return new String[] {k.id(), k.type().prefix(), k.name(), k.display().render(), Listing.time(k.createdAt()),
        k.lastUsedAt() == null ? "never" : Listing.time(k.lastUsedAt()), state(k, now),
        String.join(",", new TreeSet<>(k.scopes()))};
  }

  static void json(ApiKeyInfo k, String envSlug, Instant now, ObjectNode o) {
    o.put("id", k.id());
    o.put("type", k.type().prefix());
    o.put("env", envSlug);
    o.put("name", k.name());
    o.put("display", k.display().render());
    o.put("createdAt", Listing.time(k.createdAt()));
    o.put("lastUsedAt", Listing.time(k.lastUsedAt()));
    o.put("state", k.state(now).name().toLowerCase(Locale.ROOT));
    o.put("revokedAt", Listing.time(k.revokedAt()));
    o.put("expiresAt", Listing.time(k.expiresAt()));
    o.put("replacedBy", k.replacedBy());
    ArrayNode scopes = o.putArray("scopes");
    new TreeSet<>(k.scopes()).forEach(scopes::add);
  }

  /** {@code active}, {@code revoked}, or {@code rotating-until-<time>} during a grace period. */
  static String state(ApiKeyInfo k, Instant now) {
    KeyState state = k.state(now);
    if (state == KeyState.ROTATING) {
      return "rotating-until-" + Listing.time(k.expiresAt());
    }
    return state.name().toLowerCase(Locale.ROOT);
  }
}
