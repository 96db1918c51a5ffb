package dev.lensgate.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.testkit.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EnvironmentStoreTest {
  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void create_thenFindBySlugAndId_andListSorted(TestDatabase.Kind kind) {
    try (StoreFixture f = new StoreFixture(kind)) {
      Environment prod = f.environments.create(f.orgId(), "production");
      assertThat(prod.createdAt()).isEqualTo(f.clock.instant());
      assertThat(f.environments.findBySlug(f.orgId(), "production")).contains(prod);
      assertThat(f.environments.findById(prod.id())).contains(prod);
      assertThat(f.environments.list(f.orgId())).extracting(Environment::slug).containsExactly("development", "production");
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void create_duplicateSlugInSameOrg_invalidRequest(TestDatabase.Kind kind) {
    try (StoreFixture f = new StoreFixture(kind)) {
      assertThatThrownBy(() -> f.environments.create(f.orgId(), "development"))
          .isInstanceOfSatisfying(LensgateException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void create_sameSlugInOtherOrg_allowed(TestDatabase.Kind kind) {
    try (StoreFixture f = new StoreFixture(kind)) {
      Organization acme = f.organizations.ensure("acme");
      Environment dev = f.environments.create(acme.id(), "development");
      assertThat(dev.id()).isNotEqualTo(f.devEnvId());
      assertThat(f.environments.list(acme.id())).containsExactly(dev);
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void create_badSlugOrUnknownOrg_invalidRequest(TestDatabase.Kind kind) {
    try (StoreFixture f = new StoreFixture(kind)) {
      for (String bad : new String[] {"", "Prod", "-x", "a_b", "x".repeat(64)}) {
        assertThatThrownBy(() -> f.environments.create(f.orgId(), bad)).isInstanceOf(LensgateException.class);
      }
      assertThatThrownBy(() -> f.environments.create("no-such-org", "x")).isInstanceOf(LensgateException.class);
      assertThat(f.environments.list(f.orgId())).hasSize(1);
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void find_unknown_empty(TestDatabase.Kind kind) {
    try (StoreFixture f = new StoreFixture(kind)) {
      assertThat(f.environments.findById("nope")).isEmpty();
      assertThat(f.environments.findBySlug(f.orgId(), "nope")).isEmpty();
    }
  }
}
