package dev.lensgate.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InternalDispatchSettingsTest {
  private static final String TOKEN = "0123456789abcdef0123456789abcdef";

  @Test
  void from_noVariables_isDisabled() {
    InternalDispatchSettings s = InternalDispatchSettings.from(Map.of());
    assertThat(s.token()).isEmpty();
    assertThat(s.listens()).isFalse();
    assertThat(s.remote()).isEmpty();
  }

  @Test
  void from_tokenOnly_listensOnLoopback7443ByDefault() {
    InternalDispatchSettings s = InternalDispatchSettings.from(Map.of(InternalDispatchSettings.TOKEN, TOKEN));
    assertThat(s.listens()).isTrue();
    assertThat(s.listenHost()).contains("127.0.0.1");
    assertThat(s.listenPort()).isEqualTo(7443);
    assertThat(s.listensOnLoopbackOnly()).isTrue();
    assertThat(s.remote()).isEmpty();
    assertThat(s.token().get().revealUtf8()).isEqualTo(TOKEN);
  }

  @Test
  void from_explicitAddress_isUsedAndPortZeroAllowed() {
    InternalDispatchSettings s = InternalDispatchSettings.from(Map.of(InternalDispatchSettings.TOKEN, TOKEN,
        InternalDispatchSettings.ADDRESS, "10.1.2.3:0"));
    assertThat(s.listenHost()).contains("10.1.2.3");
    assertThat(s.listenPort()).isZero();
    assertThat(s.listensOnLoopbackOnly()).isFalse();
    InternalDispatchSettings v6 = InternalDispatchSettings.from(Map.of(InternalDispatchSettings.TOKEN, TOKEN,
        InternalDispatchSettings.ADDRESS, "[::1]:9000"));
    assertThat(v6.listenHost()).contains("::1");
    assertThat(v6.listensOnLoopbackOnly()).isTrue();
  }

  @Test
  void from_tokenShorterThan32_isRefusedNamingTheVariableNotTheValue() {
    String shortToken = TOKEN.substring(1);
    assertThatThrownBy(() -> InternalDispatchSettings.from(Map.of(InternalDispatchSettings.TOKEN, shortToken)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(InternalDispatchSettings.TOKEN)
        .hasMessageContaining("at least 32")
        .hasMessageNotContaining(shortToken);
    assertThat(InternalDispatchSettings.from(Map.of(InternalDispatchSettings.TOKEN, TOKEN)).token()).isPresent();
  }

  @Test
  void from_tokenLikeACustomerKey_isRefused() {
    for (String prefix : new String[] {"sk_", "pk_", "ik_", "rk_", "lp_", "SK_"}) {
      assertThatThrownBy(() -> InternalDispatchSettings.from(Map.of(InternalDispatchSettings.TOKEN, prefix + TOKEN)))
          .as(prefix).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("customer API key");
    }
  }

  @Test
  void from_tokenWithSpacesOrTooLong_isRefused() {
    assertThatThrownBy(() -> InternalDispatchSettings.from(Map.of(InternalDispatchSettings.TOKEN, TOKEN + " x")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> InternalDispatchSettings.from(Map.of(InternalDispatchSettings.TOKEN, "a".repeat(257))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void from_addressOrUrlWithoutToken_isRefused() {
    assertThatThrownBy(() -> InternalDispatchSettings.from(Map.of(InternalDispatchSettings.ADDRESS, "127.0.0.1:7443")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(InternalDispatchSettings.TOKEN);
    assertThatThrownBy(() -> InternalDispatchSettings.from(Map.of(InternalDispatchSettings.URL, "http://127.0.0.1:7443")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(InternalDispatchSettings.TOKEN);
  }

  @Test
  void from_url_isAnApiNodeWithNoListener() {
    InternalDispatchSettings s = InternalDispatchSettings.from(Map.of(InternalDispatchSettings.TOKEN, TOKEN,
        InternalDispatchSettings.URL, "http://10.0.0.5:7443"));
    assertThat(s.listens()).isFalse();
    assertThat(s.remote()).contains(URI.create("http://10.0.0.5:7443/internal/dispatch"));
    assertThat(InternalDispatchSettings.from(Map.of(InternalDispatchSettings.TOKEN, TOKEN,
        InternalDispatchSettings.URL, "https://b.internal/internal/dispatch")).remote())
        .contains(URI.create("https://b.internal/internal/dispatch"));
  }

  @Test
  void from_badUrlsAndAddresses_areRefused() {
    for (String url : new String[] {"ftp://b:1", "http://user:pw@b:1", "http://b:1/other", "http://b:1/?q=1", "b:1", "::"}) {
      assertThatThrownBy(() -> InternalDispatchSettings.from(Map.of(InternalDispatchSettings.TOKEN, TOKEN,
          InternalDispatchSettings.URL, url))).as(url).isInstanceOf(IllegalArgumentException.class);
    }
    for (String address : new String[] {"127.0.0.1", "127.0.0.1:", ":7443", "127.0.0.1:65536", "127.0.0.1:x", "a b:1"}) {
      assertThatThrownBy(() -> InternalDispatchSettings.from(Map.of(InternalDispatchSettings.TOKEN, TOKEN,
          InternalDispatchSettings.ADDRESS, address))).as(address).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> InternalDispatchSettings.from(Map.of(InternalDispatchSettings.TOKEN, TOKEN,
        InternalDispatchSettings.ADDRESS, "127.0.0.1:1", InternalDispatchSettings.URL, "http://b:1")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not both");
  }

  @Test
  void toString_neverShowsTheToken() {
    InternalDispatchSettings s = InternalDispatchSettings.from(Map.of(InternalDispatchSettings.TOKEN, TOKEN));
    assertThat(s.toString()).doesNotContain(TOKEN).contains("127.0.0.1:7443");
  }
}
