package dev.lensgate.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AllowListTest {
  @Test
  void unset_allowsEverything() {
    AllowList a = AllowList.fromEnvironment(Map.of());
    assertThat(a.restricted()).isFalse();
    assertThat(a.allows("any", Optional.empty(), "t")).isTrue();
  }

  @Test
  void entries_matchSourceAndTableExactly() {
    AllowList a = AllowList.parse(" main:orders , main:sales.items, other:* ");
    assertThat(a.allows("main", Optional.empty(), "orders")).isTrue();
    assertThat(a.allows("main", Optional.of("sales"), "items")).isTrue();
    assertThat(a.allows("main", Optional.empty(), "items")).isFalse();
    assertThat(a.allows("main", Optional.of("public"), "items")).isFalse();
    assertThat(a.allows("other", Optional.empty(), "anything")).isTrue();
    assertThat(a.allows("main2", Optional.empty(), "orders")).isFalse();
    assertThat(a.allows("Main", Optional.empty(), "orders")).isFalse();
  }

  @Test
  void malformed_failsInsteadOfWidening() {
    for (String bad : new String[] {"main", "main:", ":orders", "*:*", "main:orders;drop", ",", "main:a b"}) {
      assertThatThrownBy(() -> AllowList.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void sources_namesTheSourcesOfEveryEntry_emptyWhenUnrestricted() {
    AllowList list = AllowList.parse("main:items, main:shop.orders, crm:*");
    assertThat(list.sources()).contains(java.util.Set.of("main", "crm"));
    assertThat(list.allowsSource("main")).isTrue();
    assertThat(list.allowsSource("crm")).isTrue();
    assertThat(list.allowsSource("other")).isFalse();
    assertThat(list.allowsSource("mai")).isFalse();
    assertThat(AllowList.allowAll().sources()).isEmpty();
    assertThat(AllowList.allowAll().allowsSource("anything")).isTrue();
  }

  @Test
  void localSources_readPrefixedVariables() {
    LocalSources s = LocalSources.fromEnvironment(Map.of("LENSGATE_SOURCE_EDGE_DB_URL", "jdbc:h2:mem:x",
        "LENSGATE_SOURCE_EDGE_DB_USER", "u", "LENSGATE_SOURCE_EMPTY_URL", " ", "OTHER", "x"));
    assertThat(s.names()).containsExactly("edge_db");
    assertThat(s.find("edge-db")).map(c -> c.user()).contains("u");
    assertThat(s.find("edge.db")).isPresent();
    assertThat(s.find("empty")).isEmpty();
    assertThat(s.find("nope")).isEmpty();
    assertThat(s.find("edge-db").get().toString()).doesNotContain("jdbc");
  }
}
