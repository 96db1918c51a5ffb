package dev.lensgate.core.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeyScopesTest {
  @Test
  void validate_goodScopes_sortedCopy() {
    assertThat(ApiKeyScopes.validate(Set.of("products:search", "orders:query"))).containsExactly("orders:query", "products:search");
  }

  @Test
  void validate_unknownOperationOrShape_invalidRequest() {
    for (String bad : new String[] {"products", "products:delete", ":search", "a b:search", "products:search:x"}) {
      assertThatThrownBy(() -> ApiKeyScopes.validate(Set.of(bad)))
          .isInstanceOfSatisfying(LensgateException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
    }
  }
}
