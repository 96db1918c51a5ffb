package dev.lensgate.client;

import static dev.lensgate.client.Fixtures.q;
import static dev.lensgate.client.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** queryAll / queryPages follow nextCursor lazily and re-send the same filter and order. */
class LensgateClientPagingTest {
  private final ScriptedServer server = ScriptedServer.start();
  private final LensgateClient client = Fixtures.client(server);
  private final Query query = Query.where(Where.eq("category", "shoes")).orderBy("price").limit(2);

  @AfterEach
  void stop() {
    server.close();
  }

  private static String page(String cursor, int... ids) {
    String rows = java.util.Arrays.stream(ids).mapToObj(i -> "{'id':" + i + "}")
        .collect(Collectors.joining(","));
    String next = cursor == null ? "" : ",'nextCursor':'" + cursor + "'";
    return q("{'rows':[" + rows + "],'meta':{'lens':'products','count':" + ids.length + next + "}}");
  }

  @Test
  void queryAll_threePages_allRowsInOrderAndCursorsFollowed() {
    server.json(200, page("c1", 1, 2)).json(200, page("c2", 3, 4)).json(200, page(null, 5));

    List<Long> ids = client.queryAll("products", query.offset(10))
        .map(r -> r.getLong("id")).collect(Collectors.toList());

    assertThat(ids).containsExactly(1L, 2L, 3L, 4L, 5L);
    List<ScriptedServer.Recorded> sent = server.requests();
    assertThat(sent).hasSize(3);
    String filterAndOrder = "'where':{'category':{'$eq':'shoes'}},"
        + "'orderBy':[{'field':'price','dir':'asc'}],'limit':2";
    assertThat(tree(sent.get(0).body())).isEqualTo(tree(q("{" + filterAndOrder + ",'offset':10}")));
    assertThat(tree(sent.get(1).body())).isEqualTo(tree(q("{" + filterAndOrder + ",'cursor':'c1'}")));
    assertThat(tree(sent.get(2).body())).isEqualTo(tree(q("{" + filterAndOrder + ",'cursor':'c2'}")));
  }

  @Test
  void queryAll_lazy_noRequestUntilConsumedAndStopsEarly() {
    server.json(200, page("c1", 1, 2)).json(200, page("c2", 3, 4)).json(200, page(null, 5));

    Stream<Row> rows = client.queryAll("products", query);
    assertThat(server.requests()).isEmpty();

    assertThat(rows.limit(3).count()).isEqualTo(3);
    assertThat(server.requests()).hasSize(2);
  }

  @Test
  void queryAll_emptyMiddlePage_continuesToNextCursor() {
    server.json(200, page("c1", 1)).json(200, page("c2")).json(200, page(null, 2));
    assertThat(client.queryAll("products", query).map(r -> r.getLong("id")))
        .containsExactly(1L, 2L);
  }

  @Test
  void queryAllTyped_mapsEveryPage() {
    server.json(200, page("c1", 1, 2)).json(200, page(null, 3));
    assertThat(client.queryAll("products", query, Id.class).map(Id::id)).containsExactly(1L, 2L, 3L);
  }

  record Id(long id) {}

  @Test
  void queryPages_exposesEachPageWithMeta() {
    server.json(200, page("c1", 1, 2)).json(200, page(null, 3));
    List<QueryResult> pages = client.queryPages("products", query).collect(Collectors.toList());
    assertThat(pages).extracting(p -> p.meta().count()).containsExactly(2, 1);
    assertThat(pages.get(1).nextCursor()).isEmpty();
  }

  @Test
  void queryAll_errorOnSecondPage_surfacesAfterFirstPageRows() {
    server.json(200, page("c1", 1, 2))
        .json(400, q("{'error':{'code':'invalid_cursor','message':'cursor does not match','requestId':'r2'}}"));
    Iterator<Row> rows = client.queryAll("products", query).iterator();
    assertThat(rows.next().getLong("id")).isEqualTo(1L);
    assertThat(rows.next().getLong("id")).isEqualTo(2L);
    assertThatThrownBy(rows::hasNext)
        .isInstanceOf(InvalidRequestException.class)
        .satisfies(e -> assertThat(((InvalidRequestException) e).code()).isEqualTo("invalid_cursor"));
  }

  @Test
  void queryAll_serverRepeatsCursor_failsInsteadOfLooping() {
    server.json(200, page("same", 1)).json(200, page("same", 1)).json(200, page("same", 1));
    assertThatThrownBy(() -> client.queryAll("products", query).count())
        .isInstanceOf(LensgateTransportException.class)
        .hasMessageContaining("cursor");
    assertThat(server.requests()).hasSize(2);
  }

  @Test
  void queryAll_startingFromCursor_firstRequestCarriesIt() {
    server.json(200, page(null, 9));
    assertThat(client.queryAll("products", query.cursor("c7")).count()).isEqualTo(1);
    assertThat(tree(server.only().body()).get("cursor").textValue()).isEqualTo("c7");
  }
}
