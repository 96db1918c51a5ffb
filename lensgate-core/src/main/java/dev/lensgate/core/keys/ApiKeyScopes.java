package dev.lensgate.core.keys;

import dev.lensgate.core.auth.Operation;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code lp_} scopes: {@code <lens>:<operation>}, e.g. {@code products:search}. Only {@code lp_}
 * keys carry scopes; other types must have none.
 */
public final class ApiKeyScopes {
  public static final int MAX_SCOPES = 64;
  private static final Pattern SCOPE = Pattern.compile("([A-Za-z_][A-Za-z0-9_-]{0,62}):([a-z]{1,16})");

  private ApiKeyScopes() {}

  /**
   * Validates and normalizes (sorted, deduplicated) {@code scopes}.
   *
   * @throws LensgateException {@code INVALID_REQUEST} naming the first bad scope
   */
  public static Set<String> validate(Set<String> scopes) {
    if (scopes.size() > MAX_SCOPES) {
      throw new LensgateException(ErrorCode.INVALID_REQUEST, "at most " + MAX_SCOPES + " scopes");
    }
    TreeSet<String> out = new TreeSet<>();
    for (String scope : scopes) {
      Matcher m = scope == null ? null : SCOPE.matcher(scope);
      if (m == null || !m.matches() || Operation.fromWire(m.group(2)).isEmpty()) {
        throw new LensgateException(ErrorCode.INVALID_REQUEST,
            "invalid scope (expected <lens>:<search|similar|query|subscribe|ingest>)");
      }
      out.add(scope);
    }
    return Collections.unmodifiableSortedSet(out);
  }
}
