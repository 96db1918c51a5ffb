package dev.lensgate.client;

import static dev.lensgate.client.Fixtures.q;
import static dev.lensgate.client.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class QueryTest {

  @Test
  void all_nothingSet_emptyBody() {
    assertThat(Query.all().toBody()).isEmpty();
  }

  @Test
  void toBody_everyPartSet_contractShape() {
    Query query = Query.where(Where.eq("category", "shoes"))
        .orderBy("price", Direction.DESC)
        .orderBy("name")
        .limit(50)
        .offset(100)
        .cursor("c1")
        .select("id", "name");
    assertThat(tree(query.toBody())).isEqualTo(tree(q("{"
        + "'where':{'category':{'$eq':'shoes'}},"
        + "'orderBy':[{'field':'price','dir':'desc'},{'field':'name','dir':'asc'}],"
        + "'limit':50,'offset':100,'cursor':'c1','select':['id','name']}")));
  }

  @Test
  void where_severalFilters_combinedWithAnd() {
    Query query = Query.where(Where.eq("a", 1), Where.eq("b", 2)).and(Where.eq("c", 3));
    assertThat(tree(query.toBody())).isEqualTo(tree(q(
        "{'where':{'$and':[{'a':{'$eq':1}},{'b':{'$eq':2}},{'c':{'$eq':3}}]}}")));
  }

  @Test
  void where_noFilters_rejected() {
    assertThatThrownBy(Query::where).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void limit_boundaries_oneToThousand() {
    assertThat(Query.all().limit(1).toBody()).containsEntry("limit", 1);
    assertThat(Query.all().limit(1000).toBody()).containsEntry("limit", 1000);
    assertThatThrownBy(() -> Query.all().limit(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Query.all().limit(1001)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void offset_negative_rejected() {
    assertThat(Query.all().offset(0).toBody()).containsEntry("offset", 0);
    assertThatThrownBy(() -> Query.all().offset(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void cursorSelectOrder_invalid_rejected() {
    assertThatThrownBy(() -> Query.all().cursor(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Query.all().select()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Query.all().select("id", "$x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Query.all().orderBy("price", null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void methods_returnCopies_originalUnchanged() {
    Query base = Query.where(Where.eq("a", 1));
    Query narrowed = base.limit(5).orderBy("a");
    assertThat(base.toBody()).containsOnlyKeys("where");
    assertThat(narrowed.toBody()).containsKeys("where", "limit", "orderBy");
    assertThat(base).isNotEqualTo(narrowed).isEqualTo(Query.where(Where.eq("a", 1)));
  }

  @Test
  void nextPage_withOffset_keepsEverythingButOffset() {
    Query first = Query.where(Where.eq("a", 1)).orderBy("b").limit(2).offset(10).select("a");
    Query next = first.nextPage("c2");
    assertThat(tree(next.toBody())).isEqualTo(tree(q(
        "{'where':{'a':{'$eq':1}},'orderBy':[{'field':'b','dir':'asc'}],"
            + "'limit':2,'cursor':'c2','select':['a']}")));
  }

  @Test
  void toString_cursor_notShown() {
    assertThat(Query.all().cursor("secret-position").toString()).doesNotContain("secret-position");
  }
}
