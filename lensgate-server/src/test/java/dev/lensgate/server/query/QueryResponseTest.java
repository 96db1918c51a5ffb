package dev.lensgate.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QueryResponseTest {
  private static Map<String, Object> row(Object id, Object price) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", id);
    row.put("price", price);
    return row;
  }

  @Test
  void render_pageWithCursor_isTheContractDocumentInOrder() {
    String json = QueryResponse.render("items", List.of(row(2L, new BigDecimal("9.95")), row(1L, null)),
        Optional.of("cur.sig"), 1.25);

    assertThat(json).isEqualTo("{\"rows\":[{\"id\":2,\"price\":9.95},{\"id\":1,\"price\":null}],"
        + "\"meta\":{\"lens\":\"items\",\"count\":2,\"nextCursor\":\"cur.sig\",\"durationMs\":1.25}}");
  }

  @Test
  void render_lastPage_hasNoNextCursorKey() {
    String json = QueryResponse.render("items", List.of(), Optional.empty(), 0.0);

    assertThat(json).isEqualTo("{\"rows\":[],\"meta\":{\"lens\":\"items\",\"count\":0,\"durationMs\":0.0}}");
  }

  @Test
  void render_textValues_areEscapedAsJsonStrings() {
    String json = QueryResponse.render("items", List.of(row("\"},{\"x\":1", "a\nb")), Optional.empty(), 0.5);

    assertThat(json).contains("\"id\":\"\\\"},{\\\"x\\\":1\"").contains("\"price\":\"a\\nb\"");
  }
}
