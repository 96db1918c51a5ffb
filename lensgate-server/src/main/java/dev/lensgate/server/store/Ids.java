package dev.lensgate.server.store;

import dev.lensgate.core.keys.ApiKeyGenerator;
import java.security.SecureRandom;

/** Random 16-character base62 record ids (~95 bits): unguessable, so ids are safe to show. */
final class Ids {
  private final ApiKeyGenerator generator = new ApiKeyGenerator(new SecureRandom());

  String next() {
    return generator.newId();
  }
}
