package dev.lensgate.client;

import java.net.http.HttpRequest;

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
