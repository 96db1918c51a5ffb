package dev.lensgate.client;

import java.net.http.HttpRequest;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The API key and the optional end-user token of one client. Immutable; toString is redacted. */
final class Credentials {
  private final Secret apiKey;
  private final Secret userToken; // null: calls are made as the key alone

  Credentials(Secret apiKey, Secret userToken) {
    this.apiKey = apiKey;
    this.userToken = userToken;
  }

  Credentials withUser(Secret token) {
    return new Credentials(apiKey, token);
  }

  boolean hasUser() {
    return userToken != null;
  }

  void applyTo(HttpRequest.Builder request) {
    request.header("Authorization", "Bearer " + apiKey.reveal());
    if (userToken != null) {
      request.header("X-User-Token", userToken.reveal());
    }
  }

  /** The same headers on a WebSocket upgrade: the secrets stay out of the URL. */
  void applyTo(WebSocket.Builder upgrade) {
    upgrade.header("Authorization", "Bearer " + apiKey.reveal());
    if (userToken != null) {
      upgrade.header("X-User-Token", userToken.reveal());
    }
  }

  /**
   * Equal for equal key and token, so clients acting for the same user share one stream socket.
   * A SHA-256 digest: the map that holds it must not hold the secrets themselves.
   */
  String streamKey() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(apiKey.reveal().getBytes(StandardCharsets.US_ASCII));
      sha.update((byte) 0);
      if (userToken != null) {
        sha.update(userToken.reveal().getBytes(StandardCharsets.US_ASCII));
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /** Removes both secrets from text that came from outside (server messages, exception texts). */
  String scrub(String text) {
    String clean = apiKey.scrub(text);
    return userToken == null ? clean : userToken.scrub(clean);
  }

  @Override
  public String toString() {
    return "Credentials[apiKey=" + Secret.REDACTED + ", user=" + hasUser() + "]";
  }
}
