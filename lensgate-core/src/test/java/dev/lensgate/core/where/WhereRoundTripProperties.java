package dev.lensgate.core.where;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** The canonical writer is the inverse of the parser, so runners and cursors see the same tree. */
class WhereRoundTripProperties {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Property(tries = 500)
  void writeThenParse_givesTheSameTree(@ForAll long seed) throws Exception {
    RandomData data = new RandomData(seed, RandomData.WIDE_ALPHABET);
    ObjectNode where = data.where(4);
    Filter parsed = WhereParser.parse(where, SampleTable.LENS);
    // Through text with a default ObjectMapper, as a runner would receive it.
    JsonNode wire = JSON.readTree(JSON.writeValueAsString(WhereWriter.toJson(parsed)));
    assertThat(WhereParser.parse(wire, SampleTable.LENS, WhereLimits.MERGED)).as("%s", where).isEqualTo(parsed);
    assertThat(WhereWriter.toJson(parsed).toString()).isEqualTo(WhereWriter.toJson(
        WhereParser.parse(wire, SampleTable.LENS, WhereLimits.MERGED)).toString());
  }

  @Property(tries = 200)
  void ruleAndClientAtTheirLimits_fitTheMergedLimits(@ForAll long seed) {
    RandomData data = new RandomData(seed, RandomData.BMP_ALPHABET);
    // A client where as deep and multi-keyed as allowed, canonicalized, still parses with MERGED.
    JsonNode deep = data.where(3);
    for (int i = 0; i < 13; i++) {
      ObjectNode o = JSON.createObjectNode();
      o.set("$not", deep);
      o.put("id", i);
      deep = o;
    }
    Filter client;
    try {
      client = WhereParser.parse(deep, SampleTable.LENS);
    } catch (dev.lensgate.core.error.LensgateException tooDeep) {
      return; // the random inner tree made it deeper than a client may send
    }
    Filter merged = Filters.and(client, client);
    assertThat(WhereParser.parse(WhereWriter.toJson(merged), SampleTable.LENS, WhereLimits.MERGED)).isEqualTo(merged);
  }
}
