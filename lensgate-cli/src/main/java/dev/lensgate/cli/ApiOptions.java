package dev.lensgate.cli;

import dev.lensgate.client.LensgateClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The connection options of the API-calling commands (search, similar): gateway URL, API key
 * (from {@code LENSGATE_API_KEY} or a file, never argv), optional end-user JWT, and {@code --json}.
 */
final class ApiOptions {
  @Option(names = "--url", defaultValue = "${env:LENSGATE_URL:-http://127.0.0.1:8080}", description = "Gateway URL (default: ${DEFAULT-VALUE}).")
  String url;

  @Option(names = "--key-file", description = "File holding the API key (default: $LENSGATE_API_KEY).")
  Path keyFile;

  @Option(names = "--user-token-file", description = "File holding an end-user JWT (default: $LENSGATE_USER_TOKEN).")
  Path userTokenFile;

  @Option(names = "--json", description = "Print one JSON object per result even on a terminal.")
  boolean json;

  LensgateClient client(CommandLine cmd) throws IOException {
    String key = secret(keyFile, "LENSGATE_API_KEY");
    if (key == null) {
      throw new CommandLine.ParameterException(cmd, "set LENSGATE_API_KEY or pass --key-file");
    }
    LensgateClient client = LensgateClient.builder().baseUrl(url).apiKey(key).build();
    String user = secret(userTokenFile, "LENSGATE_USER_TOKEN");
    return user == null ? client : client.withUser(user);
  }

  /** NDJSON when asked or when stdout is not a terminal. */
  boolean ndjson() {
    return json || System.console() == null;
  }

  private static String secret(Path file, String envName) throws IOException {
    if (file != null) {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    }
    String v = System.getenv(envName);
    return v == null || v.isBlank() ? null : v.strip();
  }
}
