package dev.lensgate.client;

import static dev.lensgate.client.Fixtures.API_KEY;
import static dev.lensgate.client.Fixtures.USER_TOKEN;
import static dev.lensgate.client.Fixtures.q;
import static dev.lensgate.client.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What goes over the wire for each call, and how answers are read. */
class LensgateClientRequestTest {
  private static final String PAGE = q("{'rows':[{'id':1,'name':'Boot','price':9.90,'inStock':true},"
      + "{'id':2,'name':'Sock','price':2,'inStock':false}],"
      + "'meta':{'lens':'products','count':2,'nextCursor':'cur-2','durationMs':4}}");

  private final ScriptedServer server = ScriptedServer.start();
  private final LensgateClient client = Fixtures.client(server);

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void query_sendsPostWithBearerKeyAndJsonBody() {
    server.json(200, PAGE);
    client.query("products", Query.where(Where.gt("price", 5)).orderBy("price", Direction.DESC).limit(2));

    ScriptedServer.Recorded r = server.only();
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.path()).isEqualTo("/v1/query/products");
    assertThat(r.header("Authorization")).isEqualTo("Bearer " + API_KEY);
    assertThat(r.header("Content-Type")).isEqualTo("application/json");
    assertThat(r.header("Accept")).isEqualTo("application/json");
    assertThat(r.header("X-User-Token")).isNull();
    assertThat(tree(r.body())).isEqualTo(tree(q("{'where':{'price':{'$gt':5}},"
        + "'orderBy':[{'field':'price','dir':'desc'}],'limit':2}")));
  }

  @Test
  void withUser_sendsUserTokenAndLeavesOriginalWithout() {
    server.json(200, PAGE).json(200, PAGE);
    LensgateClient asUser = client.withUser(USER_TOKEN);
    asUser.query("products", Query.all());
    client.query("products", Query.all());

    List<ScriptedServer.Recorded> sent = server.requests();
    assertThat(sent.get(0).header("X-User-Token")).isEqualTo(USER_TOKEN);
    assertThat(sent.get(0).header("Authorization")).isEqualTo("Bearer " + API_KEY);
    assertThat(sent.get(1).header("X-User-Token")).isNull();
    assertThat(asUser.hasUser()).isTrue();
    assertThat(client.hasUser()).isFalse();
  }

  @Test
  void query_decodesRowsMetaCursorAndRequestId() {
    server.json(200, PAGE);
    QueryResult result = client.query("products", Query.all());

    assertThat(result.rows()).hasSize(2);
    Row first = result.rows().get(0);
    assertThat(first.fieldNames()).containsExactly("id", "name", "price", "inStock");
    assertThat(first.getLong("id")).isEqualTo(1L);
    assertThat(first.getString("name")).isEqualTo("Boot");
    assertThat(first.getBigDecimal("price")).isEqualTo(new BigDecimal("9.90"));
    assertThat(first.getBoolean("inStock")).isTrue();
    assertThat(result.nextCursor()).contains("cur-2");
    assertThat(result.meta()).isEqualTo(new QueryMeta("products", 2, "cur-2", 4));
    assertThat(result.requestId()).contains("req-server");
  }

  @Test
  void query_lastPage_noCursor() {
    server.json(200, q("{'rows':[],'meta':{'lens':'products','count':0,'durationMs':1}}"));
    assertThat(client.query("products", Query.all()).nextCursor()).isEmpty();
  }

  record Product(long id, String name, BigDecimal price, boolean inStock) {}

  public static final class Named {
    public String name;
  }

  @Test
  void queryTyped_mapsRowsToRecordIgnoringUndeclaredFields() {
    server.json(200, PAGE).json(200, PAGE);
    TypedQueryResult<Product> result = client.query("products", Query.all(), Product.class);
    assertThat(result.rows()).containsExactly(
        new Product(1, "Boot", new BigDecimal("9.90"), true),
        new Product(2, "Sock", new BigDecimal("2"), false));
    assertThat(result.nextCursor()).contains("cur-2");

    TypedQueryResult<Named> beans = client.query("products", Query.all(), Named.class);
    assertThat(beans.rows()).extracting(n -> n.name).containsExactly("Boot", "Sock");
  }

  @Test
  void queryTyped_rowDoesNotFit_rowMappingExceptionWithIndexAndField() {
    server.json(200, q("{'rows':[{'id':1,'name':'a','price':1,'inStock':true},"
        + "{'id':'not-a-number','name':'b','price':1,'inStock':true}],"
        + "'meta':{'lens':'products','count':2}}"));
    assertThatThrownBy(() -> client.query("products", Query.all(), Product.class))
        .isInstanceOf(RowMappingException.class)
        .hasMessageContaining("row 1")
        .hasMessageContaining("id")
        .hasMessageContaining(Product.class.getName());
  }

  @Test
  void lensName_specialCharacters_encodedAsOnePathSegment() {
    server.json(200, PAGE);
    client.query("a/../b c", Query.all());
    assertThat(server.only().rawPath()).isEqualTo("/v1/query/a%2F..%2Fb%20c");
  }

  @Test
  void lensName_dotDotOrBlank_rejectedBeforeSending() {
    assertThatThrownBy(() -> client.query("..", Query.all())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.query(" ", Query.all())).isInstanceOf(IllegalArgumentException.class);
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void baseUrlWithPathPrefix_prefixKept() {
    server.json(200, PAGE);
    LensgateClient prefixed = LensgateClient.builder()
        .baseUrl(server.uri() + "/lensgate/").apiKey(API_KEY).build();
    prefixed.query("products", Query.all());
    assertThat(server.only().path()).isEqualTo("/lensgate/v1/query/products");
  }

  @Test
  void search_sendsOnlySetFieldsAndDecodesHits() {
    server.json(200, q("{'results':[{'id':'products:1','sourceRowId':1,'content':'Waterproof boot',"
        + "'metadata':{'name':'Boot','price':9.90},'score':0.87}],"
        + "'meta':{'lens':'products','query':'boots','mode':'hybrid','count':1,'durationMs':12}}"));
    SearchResult result = client.search("products", SearchRequest.of("boots")
        .mode(SearchMode.HYBRID).limit(5).minScore(0.5).where(Where.eq("inStock", true)));

    ScriptedServer.Recorded r = server.only();
    assertThat(r.path()).isEqualTo("/v1/search/products");
    assertThat(tree(r.body())).isEqualTo(tree(q("{'query':'boots','limit':5,'minScore':0.5,"
        + "'mode':'hybrid','where':{'inStock':{'$eq':true}}}")));
    SearchHit hit = result.results().get(0);
    assertThat(hit.id()).isEqualTo("products:1");
    assertThat(hit.sourceRowId()).isEqualTo("1");
    assertThat(hit.content()).isEqualTo("Waterproof boot");
    assertThat(hit.metadata().getBigDecimal("price")).isEqualTo(new BigDecimal("9.90"));
    assertThat(hit.score()).isEqualTo(0.87);
    assertThat(result.meta()).isEqualTo(new SearchMeta("products", "boots", "hybrid", 1, 12));
  }

  @Test
  void search_defaults_onlyQuerySent() {
    server.json(200, q("{'results':[],'meta':{'lens':'products','query':'x','count':0}}"));
    client.search("products", SearchRequest.of("x"));
    assertThat(tree(server.only().body())).isEqualTo(tree(q("{'query':'x'}")));
  }

  @Test
  void similar_sendsIdAndFields() {
    server.json(200, q("{'results':[{'id':'products:2','sourceRowId':'2','content':null,"
        + "'metadata':{'name':'Sock'},'score':0.5}],'meta':{'lens':'products','count':1}}"));
    SearchResult result = client.similar("products", SimilarRequest.of(1).limit(3).fields("name"));

    ScriptedServer.Recorded r = server.only();
    assertThat(r.path()).isEqualTo("/v1/similar/products");
    assertThat(tree(r.body())).isEqualTo(tree(q("{'id':1,'limit':3,'fields':['name']}")));
    assertThat(result.results()).extracting(SearchHit::sourceRowId).containsExactly("2");
    assertThat(result.meta().query()).isNull();
  }

  @Test
  void searchAndSimilar_indexState_isSurfacedWhenSent() {
    server.json(200, q("{'results':[],'meta':{'lens':'products','query':'x','count':0,'indexState':'not_built'}}"))
        .json(200, q("{'results':[],'meta':{'lens':'products','count':0,'indexState':'stale'}}"))
        .json(200, q("{'results':[],'meta':{'lens':'products','query':'x','count':0}}"))
        .json(200, q("{'results':[],'meta':{'lens':'products','count':0,'indexState':null}}"));
    assertThat(client.search("products", SearchRequest.of("x")).meta().indexState()).contains("not_built");
    assertThat(client.similar("products", SimilarRequest.of(1)).meta().indexState()).contains("stale");
    assertThat(client.search("products", SearchRequest.of("x")).meta().indexState()).isEmpty();
    assertThat(client.similar("products", SimilarRequest.of(1)).meta().indexState()).isEmpty();
  }

  @Test
  void search_indexStateNotAString_isAnUnusableAnswer() {
    server.json(200, q("{'results':[],'meta':{'lens':'products','count':0,'indexState':3}}"));
    assertThatThrownBy(() -> client.search("products", SearchRequest.of("x")))
        .isInstanceOf(LensgateTransportException.class).hasMessageContaining("indexState");
  }

  @Test
  void ingest_recordsSendsChangesAndReadsAccepted() {
    server.json(202, q("{'jobId':'job-9','status':'queued','changesBuffered':2}"));
    IngestResult result = client.ingest("products",
        IngestRequest.records(List.of(IngestChange.upsert(42), IngestChange.delete("sku-7"))));

    ScriptedServer.Recorded r = server.only();
    assertThat(r.path()).isEqualTo("/v1/ingest/products");
    assertThat(tree(r.body())).isEqualTo(tree(q("{'mode':'records','changes':["
        + "{'id':42,'action':'upsert'},{'id':'sku-7','action':'delete'}]}")));
    assertThat(result.jobId()).isEqualTo("job-9");
    assertThat(result.status()).isEqualTo(IngestResult.Status.QUEUED);
    assertThat(result.changesBuffered()).hasValue(2);
  }

  @Test
  void ingest_fullDeduplicated_noChangesSent() {
    server.json(202, q("{'jobId':'job-1','status':'deduplicated'}"));
    IngestResult result = client.ingest("products", IngestRequest.full());
    assertThat(tree(server.only().body())).isEqualTo(tree(q("{'mode':'full'}")));
    assertThat(result.status()).isEqualTo(IngestResult.Status.DEDUPLICATED);
    assertThat(result.changesBuffered()).isEmpty();
  }

  @Test
  void ingestRequest_tooManyOrNoChanges_rejectedLocally() {
    List<IngestChange> many = java.util.Collections.nCopies(IngestRequest.MAX_CHANGES + 1, IngestChange.upsert(1));
    assertThatThrownBy(() -> IngestRequest.records(many)).isInstanceOf(IllegalArgumentException.class);
    assertThat(IngestRequest.records(many.subList(0, IngestRequest.MAX_CHANGES))).isNotNull();
    assertThatThrownBy(() -> IngestRequest.records(List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void health_getWithoutCredentials() {
    server.json(200, q("{'status':'ok','version':'0.1.0'}"));
    Health health = client.withUser(USER_TOKEN).health();

    ScriptedServer.Recorded r = server.only();
    assertThat(r.method()).isEqualTo("GET");
    assertThat(r.path()).isEqualTo("/v1/health");
    assertThat(r.header("Authorization")).isNull();
    assertThat(r.header("X-User-Token")).isNull();
    assertThat(health).isEqualTo(new Health("ok", "0.1.0"));
  }

  @Test
  void successWithWrongShape_transportExceptionNamingThePart() {
    server.json(200, q("{'rows':{},'meta':{'lens':'p','count':0}}"))
        .json(200, q("{'rows':[],'meta':{'lens':'p','count':0,'nextCursor':5}}"))
        .json(200, "not json at all")
        .json(202, q("{'jobId':'j','status':'exploded'}"));
    assertThatThrownBy(() -> client.query("p", Query.all()))
        .isInstanceOf(LensgateTransportException.class).hasMessageContaining("rows");
    assertThatThrownBy(() -> client.query("p", Query.all()))
        .isInstanceOf(LensgateTransportException.class).hasMessageContaining("nextCursor");
    assertThatThrownBy(() -> client.query("p", Query.all()))
        .isInstanceOf(LensgateTransportException.class).hasMessageContaining("not JSON");
    assertThatThrownBy(() -> client.ingest("p", IngestRequest.full()))
        .isInstanceOf(LensgateTransportException.class).hasMessageContaining("status");
  }
}
