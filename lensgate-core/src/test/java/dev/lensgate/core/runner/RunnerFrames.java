package dev.lensgate.core.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.core.lens.FieldType;
import dev.lensgate.core.lens.LensField;
import dev.lensgate.core.lens.LensSchema;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/** Sample frames and a lens for the protocol tests. */
final class RunnerFrames {
  static final ObjectMapper JSON = new ObjectMapper();
  static final LensSchema LENS = new LensSchema("items", "shop", "Items", "id", List.of(
      new LensField("id", "item_id", FieldType.INTEGER),
      new LensField("name", "title", FieldType.STRING),
      new LensField("price", "price", FieldType.NUMBER),
      new LensField("active", "active", FieldType.BOOLEAN),
      new LensField("created", "created_at", FieldType.TIMESTAMP),
      new LensField("day", "day", FieldType.DATE)));
  static final String SPEC = "{\"lens\":\"items\",\"where\":{\"name\":{\"$startsWith\":\"a\"}},"
      + "\"orderBy\":[{\"field\":\"id\",\"dir\":\"asc\"}],\"limit\":2,\"offset\":0,\"select\":[\"id\",\"name\",\"price\"]}";

  private RunnerFrames() {}

  static JsonNode json(String s) {
    try {
      return JSON.readTree(s);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<RunnerFrame> samples() {
    return List.of(
        new RunnerFrame.Hello("runner_1", "sess-1", 25),
        new RunnerFrame.Job("job_1", JobKind.QUERY, "main", LensMapping.of(LENS), json(SPEC),
            Optional.of(new JobCredentials("jdbc:postgresql://db/x", "reader", SecretBytes.fromUtf8("pa\"ss\u00e9"))), 30_000),
        new RunnerFrame.Job("job_2", JobKind.TEST, "main", LensMapping.of(LENS), json("{}"), Optional.empty(), 5_000),
        new RunnerFrame.Cancel("job_1"),
        new RunnerFrame.Refused("key_revoked"),
        new RunnerFrame.Heartbeat("0.1.0", List.of("main", "edge.db-2")),
        new RunnerFrame.Result("job_1", List.of(json("{\"id\":1,\"name\":\"a\",\"price\":1.50}"),
            json("{\"id\":2,\"name\":null,\"price\":2}")), true, 2, 7, Optional.of(json("[\"2\"]"))),
        new RunnerFrame.Result("job_1", List.of(), false, 0, 0, Optional.empty()),
        new RunnerFrame.Error("job_1", "source_unreachable", "the source database is unreachable"),
        new RunnerFrame.Error(Optional.empty(), "invalid_frame", "frame is not valid JSON"));
  }
}
