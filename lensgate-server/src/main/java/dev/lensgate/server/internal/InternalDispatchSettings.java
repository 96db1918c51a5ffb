package dev.lensgate.server.internal;

import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.crypto.SecretBytes;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How this node takes part in internal dispatch between split gateway nodes, read from the
 * environment once at start and validated here (a bad value refuses the start with a message that
 * names the variable, never its secret value).
 *
 * <ul>
 *   <li>{@value #TOKEN} unset: no internal dispatch; runner jobs go to this node's own sockets.
 *       {@value #ADDRESS} or {@value #URL} without the token refuse to start.
 *   <li>{@value #TOKEN} set, {@value #URL} unset: a <em>runner-facing</em> node. It listens for
 *       {@code POST /internal/dispatch} on its own listener at {@value #ADDRESS}
 *       (default {@value #DEFAULT_ADDRESS}: loopback only), never on the public port.
 *   <li>{@value #TOKEN} and {@value #URL} set: an <em>API</em> node. Runner jobs go to that URL;
 *       it opens no internal listener.
 * </ul>
 *
 * <p>The token must be at least {@value #MIN_TOKEN_CHARS} characters and must not look like a
 * customer key ({@code sk_}, {@code pk_}, {@code ik_}, {@code rk_}, {@code lp_}), so it can never
 * authenticate on a public route and a customer key can never equal it.
 *
 * @param token the shared bearer of the internal link; empty when internal dispatch is off
 * @param listenHost address the runner-facing listener binds (present only on a runner-facing node)
 * @param listenPort port of that listener; 0 picks a free port
 * @param remote base URL of the runner-facing node (present only on an API node)
 */
public record InternalDispatchSettings(Optional<SecretBytes> token, Optional<String> listenHost, int listenPort,
    Optional<URI> remote) {
  public static final String TOKEN = "LENSGATE_INTERNAL_DISPATCH_TOKEN";
  public static final String ADDRESS = "LENSGATE_INTERNAL_DISPATCH_ADDRESS";
  public static final String URL = "LENSGATE_INTERNAL_DISPATCH_URL";
  public static final String DEFAULT_ADDRESS = "127.0.0.1:7443";
  public static final int MIN_TOKEN_CHARS = 32;
  /** Far above any sensible token; the listener refuses longer Authorization headers unread. */
  public static final int MAX_TOKEN_CHARS = 256;

  public InternalDispatchSettings {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(listenHost, "listenHost");
    Objects.requireNonNull(remote, "remote");
    if (token.isEmpty() && (listenHost.isPresent() || remote.isPresent())) {
      throw new IllegalArgumentException("internal dispatch needs " + TOKEN);
    }
    if (listenHost.isPresent() && remote.isPresent()) {
      throw new IllegalArgumentException("a node either listens for internal dispatch or sends to " + URL + ", not both");
    }
    if (listenPort < 0 || listenPort > 65535) {
      throw new IllegalArgumentException(ADDRESS + " port must be 0..65535");
    }
  }

  /** Internal dispatch off. */
  public static InternalDispatchSettings disabled() {
    return new InternalDispatchSettings(Optional.empty(), Optional.empty(), 0, Optional.empty());
  }

  /**
   * Reads {@value #TOKEN}, {@value #ADDRESS} and {@value #URL}.
   *
   * @throws IllegalArgumentException naming the variable when a value is missing, short or malformed
   */
  public static InternalDispatchSettings from(Map<String, String> env) {
    String rawToken = blankToNull(env.get(TOKEN));
    String address = blankToNull(env.get(ADDRESS));
    String url = blankToNull(env.get(URL));
    if (rawToken == null) {
      if (address != null || url != null) {
        throw new IllegalArgumentException((address != null ? ADDRESS : URL) + " is set but " + TOKEN
            + " is not: internal dispatch needs its token");
      }
      return disabled();
    }
    SecretBytes token = checkedToken(rawToken);
    if (url != null) {
      if (address != null) {
        throw new IllegalArgumentException("set " + ADDRESS + " (runner-facing node) or " + URL
            + " (API node), not both");
      }
      return new InternalDispatchSettings(Optional.of(token), Optional.empty(), 0, Optional.of(remoteUri(url)));
    }
    String[] hostPort = hostAndPort(address == null ? DEFAULT_ADDRESS : address);
    return new InternalDispatchSettings(Optional.of(token), Optional.of(hostPort[0]), port(hostPort[1]), Optional.empty());
  }

  /** Whether this node opens the internal listener. */
  public boolean listens() {
    return listenHost.isPresent();
  }

  /** Whether the listener's bind address is a loopback address (false when there is no listener). */
  public boolean listensOnLoopbackOnly() {
    if (listenHost.isEmpty()) {
      return false;
    }
    try {
      for (InetAddress a : InetAddress.getAllByName(listenHost.get())) {
        if (!a.isLoopbackAddress()) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static SecretBytes checkedToken(String raw) {
    if (raw.length() < MIN_TOKEN_CHARS) {
      throw new IllegalArgumentException(TOKEN + " must be at least " + MIN_TOKEN_CHARS
          + " characters (it is " + raw.length() + "); generate one with: openssl rand -base64 33");
    }
    if (raw.length() > MAX_TOKEN_CHARS) {
      throw new IllegalArgumentException(TOKEN + " must be at most " + MAX_TOKEN_CHARS + " characters");
    }
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        throw new IllegalArgumentException(TOKEN + " must be printable ASCII without spaces");
      }
    }
    String lower = raw.toLowerCase(Locale.ROOT);
    for (KeyType t : KeyType.values()) {
      if (lower.startsWith(t.prefix() + "_")) {
        throw new IllegalArgumentException(TOKEN + " must not look like a customer API key (" + t.prefix() + "_...)");
      }
    }
    return SecretBytes.fromUtf8(raw);
  }

  private static URI remoteUri(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(URL + " is not a valid URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(URL + " must be an http:// or https:// URL");
    }
    if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(URL + " must be scheme://host[:port] with no user info, query or fragment");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (!path.isEmpty() && !path.equals("/") && !path.equals(InternalDispatchRoute.PATH)) {
      throw new IllegalArgumentException(URL + " must be the runner-facing node's base URL (scheme://host:port)");
    }
    return uri.resolve(InternalDispatchRoute.PATH);
  }

  private static String[] hostAndPort(String address) {
    int colon = address.lastIndexOf(':');
    if (colon <= 0 || colon == address.length() - 1) {
      throw new IllegalArgumentException(ADDRESS + " must be host:port, e.g. " + DEFAULT_ADDRESS);
    }
    String host = address.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.isEmpty() || !host.matches("[A-Za-z0-9.:-]{1,253}")) {
      throw new IllegalArgumentException(ADDRESS + " has an invalid host");
    }
    return new String[] {host, address.substring(colon + 1)};
  }

  private static int port(String text) {
    try {
      int p = Integer.parseInt(text);
      if (p < 0 || p > 65535) {
        throw new NumberFormatException();
      }
      return p;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(ADDRESS + " port must be 0..65535");
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  @Override
  public String toString() {
    return "InternalDispatchSettings[listen=" + listenHost.map(h -> h + ":" + listenPort).orElse("-")
        + ", remote=" + remote.map(URI::toString).orElse("-") + "]";
  }
}
