package dev.lensgate.core.runner;

import static dev.lensgate.core.runner.RunnerFrames.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lensgate.core.crypto.SecretBytes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunnerFrameCodecTest {
  private final RunnerFrameCodec codec = RunnerFrameCodec.withDefaults();

  @Test
  void encodeThenDecode_everySampleFrame_roundTripsToTheSameJson() throws Exception {
    for (RunnerFrame f : RunnerFrames.samples()) {
      String text = codec.encode(f);
      RunnerFrame back = codec.decode(text);
      assertThat(back.getClass()).isEqualTo(f.getClass());
      assertThat(codec.encode(back)).isEqualTo(text);
      assertThat(json(text).get("type").textValue()).isEqualTo(f.type());
    }
  }

  @Test
  void decode_job_keepsCredentialsAndMapping() throws Exception {
    RunnerFrame.Job job = (RunnerFrame.Job) codec.decode(codec.encode(RunnerFrames.samples().get(1)));
    assertThat(job.kind()).isEqualTo(JobKind.QUERY);
    assertThat(job.credentials()).isPresent();
    assertThat(job.credentials().get().password().revealUtf8()).isEqualTo("pa\"ss\u00e9");
    assertThat(job.lens().toSchema().fields()).hasSize(6);
    assertThat(job.lens().schema()).contains("shop");
    assertThat(job.deadlineMillis()).isEqualTo(30_000);
  }

  @Test
  void toString_jobAndCredentials_showNoSecretOrValue() {
    RunnerFrame.Job job = (RunnerFrame.Job) RunnerFrames.samples().get(1);
    assertThat(job.toString()).doesNotContain("pa\"ss").doesNotContain("jdbc:").doesNotContain("reader")
        .doesNotContain("$startsWith").contains("job_1");
    assertThat(job.credentials().get().toString()).isEqualTo("JobCredentials[redacted]");
    RunnerFrame.Result r = (RunnerFrame.Result) RunnerFrames.samples().get(6);
    assertThat(r.toString()).doesNotContain("1.50").contains("rows=2");
  }

  @Test
  void decode_unknownType_isMalformed() {
    assertMalformed("{\"type\":\"shell\",\"cmd\":\"rm\"}");
    assertMalformed("{\"type\":\"HELLO\",\"runnerId\":\"r\",\"sessionId\":\"s\",\"heartbeatSeconds\":25}");
    assertMalformed("{\"runnerId\":\"r\"}");
    assertMalformed("{\"type\":5}");
  }

  @Test
  void decode_unknownField_isMalformed() {
    assertMalformed("{\"type\":\"cancel\",\"jobId\":\"j\",\"sql\":\"drop table x\"}");
    assertMalformed("{\"type\":\"refused\",\"code\":\"key_revoked\",\"extra\":1}");
  }

  @Test
  void decode_wrongTypes_areMalformed() {
    assertMalformed("{\"type\":\"hello\",\"runnerId\":\"r\",\"sessionId\":\"s\",\"heartbeatSeconds\":\"25\"}");
    assertMalformed("{\"type\":\"hello\",\"runnerId\":\"r\",\"sessionId\":\"s\",\"heartbeatSeconds\":25.5}");
    assertMalformed("{\"type\":\"hello\",\"runnerId\":\"r\",\"sessionId\":\"s\",\"heartbeatSeconds\":0}");
    assertMalformed("{\"type\":\"hello\",\"runnerId\":\"r\",\"sessionId\":\"s\",\"heartbeatSeconds\":99999999999999999999}");
    assertMalformed("{\"type\":\"cancel\",\"jobId\":7}");
    assertMalformed("{\"type\":\"cancel\",\"jobId\":null}");
    assertMalformed("{\"type\":\"cancel\",\"jobId\":\"a b\"}");
    assertMalformed("{\"type\":\"result\",\"jobId\":\"j\",\"rows\":{},\"done\":true,\"rowCount\":0,\"durationMs\":0}");
    assertMalformed("{\"type\":\"result\",\"jobId\":\"j\",\"rows\":[],\"done\":\"yes\",\"rowCount\":0,\"durationMs\":0}");
    assertMalformed("{\"type\":\"result\",\"jobId\":\"j\",\"rows\":[],\"done\":true,\"rowCount\":-1,\"durationMs\":0}");
    assertMalformed("{\"type\":\"result\",\"jobId\":\"j\",\"rows\":[[1]],\"done\":true,\"rowCount\":1,\"durationMs\":0}");
    assertMalformed("{\"type\":\"result\",\"jobId\":\"j\",\"rows\":[{\"a\":{\"b\":1}}],\"done\":true,\"rowCount\":1,\"durationMs\":0}");
    assertMalformed("{\"type\":\"result\",\"jobId\":\"j\",\"rows\":[],\"done\":true,\"rowCount\":0,\"durationMs\":0,\"next\":[1]}");
    assertMalformed("{\"type\":\"heartbeat\",\"version\":\"1\",\"sources\":[\"a;drop\"]}");
    assertMalformed("{\"type\":\"error\",\"jobId\":\"j\",\"code\":\"Bad Code\",\"message\":\"m\"}");
    assertMalformed("{\"type\":\"refused\",\"code\":\"\"}");
  }

  @Test
  void decode_heartbeatWildcardSource_keptButOnlyAsAWholeEntry() throws Exception {
    RunnerFrame f = codec.decode("{\"type\":\"heartbeat\",\"version\":\"1\",\"sources\":[\"*\",\"edge_db\"]}");
    assertThat(((RunnerFrame.Heartbeat) f).sources()).containsExactly(RunnerFrame.Heartbeat.ANY_SOURCE, "edge_db");
    assertMalformed("{\"type\":\"heartbeat\",\"version\":\"1\",\"sources\":[\"**\"]}");
    assertMalformed("{\"type\":\"heartbeat\",\"version\":\"1\",\"sources\":[\"a*\"]}");
  }

  @Test
  void decode_jobUnknownKind_isMalformed() {
    ObjectNode job = (ObjectNode) json(codec.encode(RunnerFrames.samples().get(2)));
    job.put("kind", "delete");
    assertMalformed(job.toString());
    job.put("kind", "COUNT");
    assertMalformed(job.toString());
  }

  @Test
  void decode_jobWithHostileMapping_isMalformed() {
    ObjectNode job = (ObjectNode) json(codec.encode(RunnerFrames.samples().get(2)));
    ((ObjectNode) job.get("lens")).put("table", "Items; drop table x");
    assertMalformed(job.toString());
    job = (ObjectNode) json(codec.encode(RunnerFrames.samples().get(2)));
    ((ObjectNode) job.get("lens").get("fields").get(0)).put("column", "id\" or 1=1 --");
    assertMalformed(job.toString());
    job = (ObjectNode) json(codec.encode(RunnerFrames.samples().get(2)));
    ((ObjectNode) job.get("lens")).put("primaryKey", "nope");
    assertMalformed(job.toString());
    job = (ObjectNode) json(codec.encode(RunnerFrames.samples().get(2)));
    ((ObjectNode) job.get("lens").get("fields").get(0)).put("type", "blob");
    assertMalformed(job.toString());
    job = (ObjectNode) json(codec.encode(RunnerFrames.samples().get(2)));
    job.put("spec", "select * from users");
    assertMalformed(job.toString());
    job = (ObjectNode) json(codec.encode(RunnerFrames.samples().get(2)));
    job.put("kind", "exec");
    assertMalformed(job.toString());
    job = (ObjectNode) json(codec.encode(RunnerFrames.samples().get(2)));
    job.put("deadlineMillis", 0);
    assertMalformed(job.toString());
  }

  @Test
  void decode_notJson_duplicatesAndTrailingTokens_areMalformed() {
    assertMalformed("");
    assertMalformed("null");
    assertMalformed("[]");
    assertMalformed("{\"type\":\"cancel\",\"jobId\":\"a\"");
    assertMalformed("{\"type\":\"cancel\",\"jobId\":\"a\"} {}");
    assertMalformed("{\"type\":\"cancel\",\"jobId\":\"a\",\"jobId\":\"b\"}");
    assertMalformed("{'type':'cancel','jobId':'a'}");
    assertMalformed("/* c */{\"type\":\"cancel\",\"jobId\":\"a\"}");
  }

  @Test
  void decode_frameOverMaxBytes_isMalformedBeforeParsing() throws Exception {
    RunnerFrameCodec small = new RunnerFrameCodec(1024, 16, 10);
    String ok = "{\"type\":\"error\",\"code\":\"x\",\"message\":\"" + "a".repeat(900) + "\"}";
    assertThat(small.decode(ok)).isInstanceOf(RunnerFrame.Error.class);
    String tooBig = "{\"type\":\"error\",\"code\":\"x\",\"message\":\"" + "a".repeat(1000) + "\"}";
    assertThatThrownBy(() -> small.decode(tooBig)).isInstanceOf(MalformedFrameException.class).hasMessageContaining("exceeds");
    // 400 chars but 1200 UTF-8 bytes
    String multiByte = "{\"type\":\"error\",\"code\":\"x\",\"message\":\"" + "\u20ac".repeat(400) + "\"}";
    assertThatThrownBy(() -> small.decode(multiByte)).isInstanceOf(MalformedFrameException.class).hasMessageContaining("exceeds");
    assertThatThrownBy(() -> small.decode(tooBig.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .isInstanceOf(MalformedFrameException.class);
    assertThatThrownBy(() -> small.decode("x".repeat(5_000_000))).isInstanceOf(MalformedFrameException.class);
  }

  @Test
  void decode_deepNesting_isMalformedNotStackOverflow() {
    String deep = "{\"type\":\"job\",\"spec\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
    assertMalformed(deep);
    String deepObj = "{\"type\":\"error\",\"x\":" + "{\"a\":".repeat(70) + "1" + "}".repeat(70) + "}";
    assertMalformed(deepObj);
  }

  @Test
  void decodeAndEncode_rowsOverMax_areRefused() {
    RunnerFrameCodec small = new RunnerFrameCodec(1 << 20, 16, 2);
    String three = "{\"type\":\"result\",\"jobId\":\"j\",\"rows\":[{},{},{}],\"done\":true,\"rowCount\":3,\"durationMs\":0}";
    assertThatThrownBy(() -> small.decode(three)).isInstanceOf(MalformedFrameException.class);
    List<com.fasterxml.jackson.databind.JsonNode> rows = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      rows.add(json("{}"));
    }
    RunnerFrame.Result r = new RunnerFrame.Result("j", rows, true, 3, 0, Optional.empty());
    assertThatThrownBy(() -> small.encode(r)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void encode_frameOverMaxBytes_isRefused() {
    RunnerFrameCodec small = new RunnerFrameCodec(1024, 16, 10);
    RunnerFrame big = new RunnerFrame.Error("j", "x", "a".repeat(2000));
    assertThatThrownBy(() -> small.encode(big)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void malformedMessage_neverEchoesTheValue() {
    String secret = "SENTINEL_d41d8cd98f";
    for (String frame : List.of(
        "{\"type\":\"cancel\",\"jobId\":\"" + secret + " x\"}",
        "{\"type\":\"" + secret + "\"}",
        "{\"type\":\"cancel\",\"" + secret + "\":1,\"jobId\":\"a\"}",
        "{\"type\":\"job\",\"jobId\":\"j\",\"kind\":\"query\",\"source\":\"s\",\"lens\":{\"name\":\"x\",\"table\":\"" + secret + "'\","
            + "\"primaryKey\":\"id\",\"fields\":[{\"name\":\"id\",\"column\":\"id\",\"type\":\"integer\"}]},\"spec\":{},\"deadlineMillis\":5}")) {
      assertThatThrownBy(() -> codec.decode(frame)).isInstanceOf(MalformedFrameException.class)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secret));
    }
  }

  @Test
  void credentials_emptyPasswordAndUser_areAllowed() throws Exception {
    RunnerFrame.Job job = new RunnerFrame.Job("j", JobKind.COUNT, "main", LensMapping.of(RunnerFrames.LENS), json("{}"),
        Optional.of(new JobCredentials("jdbc:h2:mem:x", "", SecretBytes.fromUtf8(""))), 10);
    RunnerFrame.Job back = (RunnerFrame.Job) codec.decode(codec.encode(job));
    assertThat(back.credentials().get().user()).isEmpty();
    assertThat(back.credentials().get().password().length()).isZero();
  }

  private void assertMalformed(String frame) {
    assertThatThrownBy(() -> codec.decode(frame)).isInstanceOf(MalformedFrameException.class);
  }
}
