package dev.lensgate.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.InputStream;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The published JSON Schema agrees with the loader on good and broken configs. */
class JsonSchemaTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonSchema SCHEMA = loadSchema();

  private static JsonSchema loadSchema() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream("/lensgate.schema.json")) {
      JsonNode schema = JSON.readTree(in);
      assertThat(schema.get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Set<ValidationMessage> validate(String yaml) {
    Object data = new Load(LoadSettings.builder().setAllowDuplicateKeys(true).build()).loadFromString(yaml);
    return SCHEMA.validate(JSON.valueToTree(data));
  }

  @ParameterizedTest
  @ValueSource(strings = {"full.yaml", "minimal.yaml"})
  void exampleConfigs_validateAgainstSchemaAndLoader(String name) {
    String yaml = ConfigLoaderTest.resource(name);
    assertThat(validate(yaml)).isEmpty();
    assertThat(ConfigLoader.parse(yaml, name).ok()).isTrue();
  }

  @Test
  void brokenExample_failsSchemaAndLoader() {
    String yaml = ConfigLoaderTest.resource("broken.yaml");
    assertThat(validate(yaml)).isNotEmpty();
    assertThat(ConfigLoader.parse(yaml, "broken.yaml").ok()).isFalse();
  }

  private static final String BASE = "stack: lensgate/v1\nsources:\n  s: { type: postgres }\nlenses:\n  l:\n"
      + "    source: s\n    table: t\n    primaryKey: id\n    fields:\n      id: { type: integer }\n";

  @Test
  void baseOfTheBrokenSnippets_isItselfValid() {
    assertThat(validate(BASE)).isEmpty();
    assertThat(ConfigLoader.parse(BASE, "x.yaml").ok()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      BASE + "      name: { type: string, searchable: { weight: 10 } }\n    embedder: local\n    syncInterval: 1h30m\n",
      "stack: lensgate/v1\nembedders: { local: { type: local, batchSize: 8 }, fast: { type: local } }\n",
      "stack: lensgate/v1\nembedders: { e: { type: openai, url: 'http://localhost:11434/v1', model: m, dimensions: 8, "
          + "apiKeyEnv: OLLAMA_KEY, timeout: 2m } }\n",
      "stack: lensgate/v1\nembedders: { ada: { type: openai, url: 'https://x.example/v1', model: text-embedding-ada-002 } }\n",
  })
  void snippetsWithIndexSettings_passSchemaAndLoader(String yaml) {
    assertThat(validate(yaml)).as("schema errors").isEmpty();
    assertThat(ConfigLoader.parse(yaml, "x.yaml").errors()).as("loader errors").isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "stack: lensgate/v2\n",
      "stack: lensgate/v1\nsorces: {}\n",
      "stack: lensgate/v1\nauth: { jwt: { jwksUrl: 'https://x/j', issuer: i, audience: a, algorithms: [HS256] } }\n",
      "stack: lensgate/v1\nauth: { jwt: { jwksUrl: 'https://x/j', jwksFile: j.json, issuer: i, audience: a } }\n",
      "stack: lensgate/v1\nauth: { jwt: { jwksUrl: 'http://issuer.example.com/j', issuer: i, audience: a } }\n",
      "stack: lensgate/v1\nauth: { jwt: { jwksFile: j.json, issuer: i } }\n",
      "stack: lensgate/v1\nsources: { s: { type: oracle } }\n",
      "stack: lensgate/v1\nsources: { s: { type: postgres, url: 'jdbc:postgresql://h/db?password=x' } }\n",
      "stack: lensgate/v1\nsources: { s: { type: postgres, credentials: runner-local } }\n",
      "stack: lensgate/v1\ndefaults: { grants: lax }\n",
      "stack: lensgate/v1\ndefaults: { limit: 5000 }\n",
      BASE + "      name: { type: varchar }\n",
      BASE + "      name: { type: string, transforms: [truncate] }\n",
      BASE + "      name: { type: string, transforms: [{round: 99}] }\n",
      BASE + "      name: { type: string, transforms: [{replace: {from: a}}] }\n",
      BASE + "      name: { type: string, serchable: true }\n",
      BASE + "      bad-name: { type: string }\n",
      BASE + "    grants: { search: everyone }\n",
      BASE + "    grants: { ingest: public }\n",
      BASE + "    grants: { query: { authenticated: false } }\n",
      BASE + "    grants: { query: {} }\n",
      BASE + "    grants: { query: { claims: { plan: [] } } }\n",
      BASE + "    feilds: {}\n",
      BASE + "      name: { type: string, searchable: yes }\n",
      BASE + "      name: { type: string, searchable: { weight: 0 } }\n",
      BASE + "      name: { type: string, searchable: { weight: 11 } }\n",
      BASE + "      name: { type: string, searchable: { boost: 2 } }\n",
      BASE + "    syncInterval: 300\n",
      BASE + "    syncInterval: 0s\n",
      BASE + "    smartSyncInterval: 5 minutes\n",
      BASE + "    embedder: 1bad\n",
      "stack: lensgate/v1\nembedders: { e: { type: cohere } }\n",
      "stack: lensgate/v1\nembedders: { local: { type: openai, url: 'https://x.example', model: m, dimensions: 8 } }\n",
      "stack: lensgate/v1\nembedders: { local: { type: local, model: m } }\n",
      "stack: lensgate/v1\nembedders: { e: { type: openai, url: 'http://api.example.com', model: m, dimensions: 8 } }\n",
      "stack: lensgate/v1\nembedders: { e: { type: openai, url: 'https://u:p@x.example', model: m, dimensions: 8 } }\n",
      "stack: lensgate/v1\nembedders: { e: { type: openai, url: 'https://x.example', model: m, dimensions: 0 } }\n",
      "stack: lensgate/v1\nembedders: { e: { type: openai, url: 'https://x.example', dimensions: 8 } }\n",
      "stack: lensgate/v1\nembedders: { e: { type: openai, url: 'https://x.example', model: m, dimensions: 8, "
          + "apiKeyEnv: sk-abc123 } }\n",
      "stack: lensgate/v1\nembedders: { e: { type: openai, url: 'https://x.example', model: m, dimensions: 8, "
          + "apiKeyEnv: sk_live_abc } }\n",
      "stack: lensgate/v1\nembedders: { e: { type: openai, url: 'https://x.example', model: m, dimensions: 8, "
          + "batchSize: 0 } }\n",
  })
  void brokenSnippets_failSchemaAndLoader(String yaml) {
    assertThat(validate(yaml)).as("schema errors").isNotEmpty();
    assertThat(ConfigLoader.parse(yaml, "x.yaml").ok()).as("loader ok").isFalse();
  }
}
