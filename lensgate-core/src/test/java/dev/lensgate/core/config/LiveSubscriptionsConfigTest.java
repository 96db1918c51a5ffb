package dev.lensgate.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.io.InputStream;
import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** {@code lenses.<name>.maxLiveSubscriptions}: the loader and the JSON Schema agree on its bounds. */
class LiveSubscriptionsConfigTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HEAD = ProductsYaml.HEAD;

  @Test
  void absent_isEmpty_soTheGatewayDefaultApplies() {
    ConfigResult r = ConfigLoader.parse(HEAD, "lensgate.yaml");
    assertThat(r.errors()).isEmpty();
    assertThat(r.config().orElseThrow().lens("products").orElseThrow().maxLiveSubscriptions()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 250, 1_000_000})
  void inRange_isRead_andSchemaValid(int n) throws IOException {
    String yaml = HEAD + "    maxLiveSubscriptions: " + n + "\n";
    ConfigResult r = ConfigLoader.parse(yaml, "lensgate.yaml");
    assertThat(r.errors()).isEmpty();
    assertThat(r.config().orElseThrow().lens("products").orElseThrow().maxLiveSubscriptions()).isEqualTo(OptionalInt.of(n));
    assertThat(schema().validate(tree(yaml))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1", "1000001", "many", "2.5", "[1]"})
  void outOfRangeOrNotAnInteger_failsTheLoaderAndTheSchema(String value) throws IOException {
    String yaml = HEAD + "    maxLiveSubscriptions: " + value + "\n";
    ConfigResult r = ConfigLoader.parse(yaml, "lensgate.yaml");
    assertThat(r.config()).isEmpty();
    assertThat(r.errors()).hasSize(1);
    assertThat(r.errors().get(0).path()).isEqualTo("lenses.products.maxLiveSubscriptions");
    assertThat(r.errors().get(0).line()).isEqualTo(11);
    assertThat(schema().validate(tree(yaml))).isNotEmpty();
  }

  private static JsonNode tree(String yaml) {
    return JSON.valueToTree(new Load(LoadSettings.builder().build()).loadFromString(yaml));
  }

  private static JsonSchema schema() throws IOException {
    try (InputStream in = ConfigLoader.class.getResourceAsStream("/lensgate.schema.json")) {
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(JSON.readTree(in));
    }
  }
}
