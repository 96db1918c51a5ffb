package dev.lensgate.client;

import static dev.lensgate.client.Fixtures.API_KEY;
import static dev.lensgate.client.Fixtures.USER_TOKEN;
import static dev.lensgate.client.Fixtures.q;
import static dev.lensgate.client.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The /v1/stream frame codec on its own: exact client frames, strict reading of gateway frames. */
class StreamFramesTest {
  private final Credentials credentials = new Credentials(Secret.of(API_KEY, "apiKey"), Secret.of(USER_TOKEN, "userToken"));
  private final StreamFrames frames = new StreamFrames(new JsonTree(), credentials);

  @Test
  void clientFrames_matchTheContract() {
    assertThat(tree(frames.subscribe("s1", "orders", Where.in("status", "open", "paid"))))
        .isEqualTo(tree(q("{'op':'subscribe','id':'s1','lens':'orders','where':{'status':{'$in':['open','paid']}}}")));
    assertThat(tree(frames.subscribe("s2", "orders", null)))
        .isEqualTo(tree(q("{'op':'subscribe','id':'s2','lens':'orders'}")));
    assertThat(tree(frames.observe("s3", "orders", 42L)))
        .isEqualTo(tree(q("{'op':'observe','id':'s3','lens':'orders','recordId':42}")));
    assertThat(tree(frames.observe("s4", "orders", "a\"b")))
        .isEqualTo(tree("{\"op\":\"observe\",\"id\":\"s4\",\"lens\":\"orders\",\"recordId\":\"a\\\"b\"}"));
    assertThat(tree(frames.unsubscribe("s1"))).isEqualTo(tree(q("{'op':'unsubscribe','id':'s1'}")));
  }

  @Test
  void event_keepsValueKindsExactly() throws Exception {
    StreamFrames.Event e = (StreamFrames.Event) frames.read(
        q("{'type':'event','id':'s1','kind':'update','record':{'id':1,'price':9.90,'tags':['a'],'note':null}}"));
    assertThat(e.id()).isEqualTo("s1");
    assertThat(e.kind()).isEqualTo(ChangeEvent.Kind.UPDATE);
    assertThat(e.record()).containsEntry("id", 1L).containsEntry("price", new BigDecimal("9.90"))
        .containsEntry("tags", List.of("a")).containsEntry("note", null);
  }

  @Test
  void recordFrame_nullOrAbsentRecord_isEmpty() throws Exception {
    StreamFrames.RecordFrame none = (StreamFrames.RecordFrame) frames.read(q("{'type':'record','id':'s1','record':null}"));
    assertThat(StreamFrames.row(none)).isEmpty();
    StreamFrames.RecordFrame absent = (StreamFrames.RecordFrame) frames.read(q("{'type':'record','id':'s1'}"));
    assertThat(StreamFrames.row(absent)).isEmpty();
    StreamFrames.RecordFrame some = (StreamFrames.RecordFrame) frames.read(q("{'type':'record','id':'s1','record':{'id':1}}"));
    assertThat(StreamFrames.row(some)).hasValueSatisfying(r -> assertThat(r.asMap()).isEqualTo(Map.of("id", 1L)));
  }

  @Test
  void errorAndClosed_idIsOptional_messageIsScrubbedAndCleaned() throws Exception {
    StreamFrames.ErrorFrame e = (StreamFrames.ErrorFrame) frames.read(
        q("{'type':'error','code':'invalid_json','message':'bad\\nframe from " + API_KEY + " as " + USER_TOKEN + "'}"));
    assertThat(e.id()).isNull();
    assertThat(e.code()).isEqualTo("invalid_json");
    assertThat(e.message()).isEqualTo("bad frame from [redacted] as [redacted]");
    StreamFrames.ErrorFrame blank = (StreamFrames.ErrorFrame) frames.read(q("{'type':'error','id':'s1','code':'x','message':' '}"));
    assertThat(blank.message()).isNull();
    StreamFrames.Closed c = (StreamFrames.Closed) frames.read(q("{'type':'closed','id':'s2','code':'grant_removed'}"));
    assertThat(c.id()).isEqualTo("s2");
    assertThat(c.code()).isEqualTo("grant_removed");
    assertThat(((StreamFrames.Closed) frames.read(q("{'type':'closed','code':'key_revoked'}"))).id()).isNull();
  }

  @Test
  void malformedFrames_areRejected_withoutQuotingThem() {
    List<String> bad = List.of(
        "", "nope", "[]", "42", "null", "{}",
        q("{'type':7}"),
        q("{'type':'party'}"),
        q("{'type':'event','kind':'insert','record':{}}"),
        q("{'type':'event','id':'s1','kind':'upsert','record':{}}"),
        q("{'type':'event','id':'s1','kind':'insert','record':null}"),
        q("{'type':'event','id':'s1','kind':'insert','record':'SENTINEL row'}"),
        q("{'type':'event','id':1,'kind':'insert','record':{}}"),
        q("{'type':'record','record':{}}"),
        q("{'type':'record','id':'s1','record':[1]}"),
        q("{'type':'error','id':'s1'}"),
        q("{'type':'error','id':'s1','code':''}"),
        q("{'type':'closed','id':'s1','code':'" + "x".repeat(65) + "'}"),
        q("{'type':'closed','id':['s1'],'code':'a'}"));
    for (String frame : bad) {
      assertThatThrownBy(() -> frames.read(frame)).as(frame)
          .isInstanceOf(StreamFrames.Malformed.class)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("SENTINEL"));
    }
  }
}
