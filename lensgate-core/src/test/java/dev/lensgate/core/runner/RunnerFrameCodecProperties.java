package dev.lensgate.core.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The codec's one promise under hostile input: whatever arrives, decode returns a frame or throws
 * {@link MalformedFrameException} — no other exception, no error — and a frame it returns
 * re-encodes to something it decodes again.
 */
class RunnerFrameCodecProperties {
  private static final RunnerFrameCodec CODEC = new RunnerFrameCodec(64 * 1024, 32, 50);
  private static final List<String> VALID = new ArrayList<>();

  static {
    RunnerFrameCodec c = RunnerFrameCodec.withDefaults();
    for (RunnerFrame f : RunnerFrames.samples()) {
      VALID.add(c.encode(f));
    }
  }

  @Property(tries = 2000)
  void randomBytes_decodeToFrameOrMalformed(@ForAll @Size(max = 600) byte[] bytes) {
    assertOnlyFrameOrMalformed(new String(bytes, StandardCharsets.UTF_8));
    assertOnlyFrameOrMalformed(bytes);
  }

  @Property(tries = 2000)
  void randomJson_decodeToFrameOrMalformed(@ForAll("randomJson") String json) {
    assertOnlyFrameOrMalformed(json);
  }

  @Property(tries = 3000)
  void mutatedValidFrames_decodeToFrameOrMalformed(@ForAll @IntRange(min = 0, max = 9) int which,
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int mutations) {
    Random r = new Random(seed);
    JsonNode tree = RunnerFrames.json(VALID.get(which));
    for (int i = 0; i < mutations; i++) {
      tree = mutate(tree, r);
    }
    assertOnlyFrameOrMalformed(tree.toString());
  }

  @Property(tries = 2000)
  void byteFlippedValidFrames_decodeToFrameOrMalformed(@ForAll @IntRange(min = 0, max = 9) int which,
      @ForAll long seed) {
    Random r = new Random(seed);
    char[] text = VALID.get(which).toCharArray();
    int flips = 1 + r.nextInt(3);
    for (int i = 0; i < flips; i++) {
      text[r.nextInt(text.length)] = (char) r.nextInt(0x80);
    }
    assertOnlyFrameOrMalformed(new String(text));
  }

  @Provide
  Arbitrary<String> randomJson() {
    return Arbitraries.longs().map(seed -> randomValue(new Random(seed), 0).toString());
  }

  private static void assertOnlyFrameOrMalformed(String text) {
    RunnerFrame f;
    try {
      f = CODEC.decode(text);
    } catch (MalformedFrameException e) {
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    assertThat(f).isNotNull();
    reEncodes(f);
  }

  private static void assertOnlyFrameOrMalformed(byte[] bytes) {
    try {
      reEncodes(CODEC.decode(bytes));
    } catch (MalformedFrameException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  private static void reEncodes(RunnerFrame f) {
    try {
      RunnerFrame again = CODEC.decode(CODEC.encode(f));
      assertThat(again.type()).isEqualTo(f.type());
    } catch (MalformedFrameException e) {
      throw new AssertionError("a decoded frame must re-decode after encoding", e);
    }
  }

  private static final String[] KEYS = {"type", "jobId", "kind", "source", "lens", "spec", "credentials",
      "deadlineMillis", "rows", "done", "rowCount", "durationMs", "next", "code", "message", "version",
      "sources", "runnerId", "sessionId", "heartbeatSeconds", "name", "table", "primaryKey", "fields", "x"};
  private static final String[] TYPES = {"hello", "job", "cancel", "refused", "heartbeat", "result", "error", "nope"};

  static JsonNode randomValue(Random r, int depth) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    int pick = r.nextInt(depth > 5 ? 6 : 9);
    switch (pick) {
      case 0: return f.nullNode();
      case 1: return f.booleanNode(r.nextBoolean());
      case 2: return f.numberNode(r.nextInt(5) == 0 ? r.nextLong() : r.nextInt(100) - 10);
      case 3: return f.numberNode(r.nextDouble() * 1e6);
      case 4: return f.textNode(TYPES[r.nextInt(TYPES.length)]);
      case 5: return f.textNode(randomText(r));
      case 6: {
        ArrayNode a = f.arrayNode();
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
          a.add(randomValue(r, depth + 1));
        }
        return a;
      }
      default: {
        ObjectNode o = f.objectNode();
        if (r.nextBoolean()) {
          o.put("type", TYPES[r.nextInt(TYPES.length)]);
        }
        int n = r.nextInt(6);
        for (int i = 0; i < n; i++) {
          o.set(KEYS[r.nextInt(KEYS.length)], randomValue(r, depth + 1));
        }
        return o;
      }
    }
  }

  private static String randomText(Random r) {
    int n = r.nextInt(12);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append((char) (r.nextInt(4) == 0 ? r.nextInt(0x3000) : 'a' + r.nextInt(26)));
    }
    return sb.toString();
  }

  /** One mutation somewhere in the tree: replace, remove or add a member, or retype a value. */
  static JsonNode mutate(JsonNode node, Random r) {
    if (!node.isContainerNode() || r.nextInt(4) == 0) {
      return randomValue(r, 3);
    }
    if (node.isObject()) {
      ObjectNode o = ((ObjectNode) node).deepCopy();
      List<String> names = new ArrayList<>();
      Iterator<String> it = o.fieldNames();
      it.forEachRemaining(names::add);
      int op = r.nextInt(3);
      if (names.isEmpty() || op == 0) {
        o.set(KEYS[r.nextInt(KEYS.length)], randomValue(r, 2));
      } else if (op == 1) {
        o.remove(names.get(r.nextInt(names.size())));
      } else {
        String k = names.get(r.nextInt(names.size()));
        o.set(k, mutate(o.get(k), r));
      }
      return o;
    }
    ArrayNode a = ((ArrayNode) node).deepCopy();
    if (a.isEmpty() || r.nextBoolean()) {
      a.add(randomValue(r, 2));
    } else {
      int i = r.nextInt(a.size());
      a.set(i, mutate(a.get(i), r));
    }
    return a;
  }
}
