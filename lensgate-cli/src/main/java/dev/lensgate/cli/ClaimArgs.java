package dev.lensgate.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code --claim} values of {@code token mint}: {@code key=value} sets a string, {@code key:=json}
 * a typed JSON value ({@code plan:=\"pro\"}, {@code age:=42}, {@code admin:=true},
 * {@code roles:='["a","b"]'}, {@code org:='{"id":7}'}). A key may be given once.
 */
final class ClaimArgs {
  private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,63}");
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private ClaimArgs() {}

  /**
   * Parses every argument.
   *
   * @throws IllegalArgumentException with a message for the operator
   */
  static Map<String, Object> parse(List<String> args) {
    Map<String, Object> claims = new LinkedHashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--claim expects key=value or key:=json");
      }
      boolean typed = arg.charAt(eq - 1) == ':';
      String key = arg.substring(0, typed ? eq - 1 : eq);
      String raw = arg.substring(eq + 1);
      if (!KEY.matcher(key).matches()) {
        throw new IllegalArgumentException("invalid claim name (letters, digits, '_', '.', '-'; at most 64)");
      }
      if (claims.containsKey(key)) {
        throw new IllegalArgumentException("claim " + key + " is given twice");
      }
      claims.put(key, typed ? json(key, raw) : raw);
    }
    return claims;
  }

  private static Object json(String key, String raw) {
    try {
      JsonNode node = JSON.readTree(raw);
      if (node == null || node.isMissingNode()) {
        throw new IllegalArgumentException("claim " + key + ": ':=' needs a JSON value");
      }
      return JSON.convertValue(node, Object.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("claim " + key + ": not valid JSON after ':=' (for a string use " + key
          + "=text)");
    }
  }
}
