package dev.lensgate.cli;

import dev.lensgate.server.store.ApiKeyInfo;
import dev.lensgate.server.store.ApiKeyService;
import java.util.Optional;
import java.util.regex.Pattern;
import picocli.CommandLine.Parameters;

/**
 * The {@code ID} argument of {@code keys revoke|rotate} and its lookup. Only a well-formed record
 * id is ever echoed back: anything else may be a pasted secret, and a pasted key is named as such
 * without repeating it.
 */
final class KeyIdArgument {
  /** Ids are base62 record ids. */
  private static final Pattern PRINTABLE_ID = Pattern.compile("[A-Za-z0-9]{1,32}");
  private static final Pattern LOOKS_LIKE_KEY = Pattern.compile("(?i)^(sk|pk|ik|rk|lp)_.*");

  @Parameters(index = "0", paramLabel = "ID", description = "The key id (first column of 'keys list').")
  String id;

  /**
   * The key with this id in the store's organization.
   *
   * @throws CliFailure for a pasted key, a malformed id or an id of no key of the organization
   */
  ApiKeyInfo find(OperatorStore store, ApiKeyService keys) {
    if (id != null && LOOKS_LIKE_KEY.matcher(id).matches()) {
      throw new CliFailure("that is a key, not a key id; use the id from 'lensgate keys list' "
          + "(and revoke that key if it was exposed)");
    }
    boolean printable = id != null && PRINTABLE_ID.matcher(id).matches();
    Optional<ApiKeyInfo> found = printable ? keys.find(id) : Optional.empty();
    return found.filter(k -> k.orgId().equals(store.org().id()))
        .orElseThrow(() -> new CliFailure(printable ? "no key with id '" + id + "'"
            : "no such key (ids are letters and digits)"));
  }
}
