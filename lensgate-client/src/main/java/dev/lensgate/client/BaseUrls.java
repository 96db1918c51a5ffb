package dev.lensgate.client;

import java.net.URI;
import java.util.Locale;

/** The builder's checks of the gateway address: shape on set, plain-http policy on build. */
final class BaseUrls {
  private BaseUrls() {}

  static URI check(URI url) {
    String scheme = url.getScheme();
    if (scheme == null || !(scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http"))) {
      throw new IllegalArgumentException("baseUrl must be an http(s) URL");
    }
    if (url.getHost() == null) {
      throw new IllegalArgumentException("baseUrl has no host");
    }
    if (url.getRawUserInfo() != null) {
      // Credentials in a URL end up in logs and proxies; the key goes in the header.
      throw new IllegalArgumentException("baseUrl must not contain user info");
    }
    if (url.getRawQuery() != null || url.getRawFragment() != null) {
      throw new IllegalArgumentException("baseUrl must not have a query or fragment");
    }
    return url;
  }

  /** Refuses plain http to a non-loopback host unless {@code allowPlainHttp}: the key would cross in clear. */
  static void requireSecure(URI url, boolean allowPlainHttp) {
    if (url.getScheme().equalsIgnoreCase("http") && !allowPlainHttp && !isLoopback(url.getHost())) {
      throw new IllegalStateException(
          "refusing plain http to " + url.getHost() + ": use https, or unsafeAllowPlainHttp()");
    }
  }

  private static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    // Literal addresses only: a name like 127.example.com must not count as loopback.
    return h.equals("localhost") || h.equals("[::1]")
        || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  }
}
