package dev.lensgate.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.testkit.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MetadataStoreTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void open_freshDatabase_migratesAndBootstrapsDefaultOrgAndDevelopmentEnv(TestDatabase.Kind kind) throws Exception {
    try (StoreFixture f = new StoreFixture(kind)) {
      assertThat(f.store.defaultOrg().slug()).isEqualTo("default");
      assertThat(f.store.defaultEnvironment().slug()).isEqualTo("development");
      assertThat(f.store.defaultEnvironment().orgId()).isEqualTo(f.orgId());
      assertThat(f.environments.list(f.orgId())).extracting(Environment::slug).containsExactly("development");
      try (Connection c = f.store.dataSource().getConnection(); Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT \"version\", \"success\" FROM \"flyway_schema_history\" WHERE \"version\" IS NOT NULL")) {
        List<String> versions = new ArrayList<>();
        while (rs.next()) {
          assertThat(rs.getBoolean(2)).isTrue();
          versions.add(rs.getString(1));
        }
        assertThat(versions).contains("1", "2");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void open_secondTime_keepsSameOrgAndEnvironment(TestDatabase.Kind kind) {
    try (StoreFixture f = new StoreFixture(kind)) {
      try (MetadataStore again = MetadataStore.open(tmp, Optional.of(f.db.jdbcUrl()), Optional.of(f.db.user()),
          Optional.of(SecretBytes.fromUtf8(f.db.password())), "default", f.clock)) {
        assertThat(again.defaultOrg()).isEqualTo(f.store.defaultOrg());
        assertThat(again.defaultEnvironment()).isEqualTo(f.store.defaultEnvironment());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void open_otherOrgSlug_bootstrapsThatOrgWithItsOwnDevelopmentEnv(TestDatabase.Kind kind) {
    try (StoreFixture f = new StoreFixture(kind);
         MetadataStore other = MetadataStore.open(tmp, Optional.of(f.db.jdbcUrl()), Optional.of(f.db.user()),
             Optional.of(SecretBytes.fromUtf8(f.db.password())), "acme", f.clock)) {
      assertThat(other.defaultOrg().slug()).isEqualTo("acme");
      assertThat(other.defaultOrg().id()).isNotEqualTo(f.orgId());
      assertThat(other.defaultEnvironment().id()).isNotEqualTo(f.devEnvId());
    }
  }

  @Test
  void open_noUrl_usesEmbeddedH2FileUnderDataDir() {
    Path dataDir = tmp.resolve("data");
    String envId;
    try (MetadataStore store = MetadataStore.openFromEnvironment(dataDir, Map.of(), TestClock.at("2025-01-01T00:00:00Z"))) {
      envId = store.defaultEnvironment().id();
    }
    assertThat(dataDir.resolve("metadata.mv.db")).exists();
    try (MetadataStore reopened = MetadataStore.openFromEnvironment(dataDir, Map.of(), TestClock.at("2025-01-02T00:00:00Z"))) {
      assertThat(reopened.defaultEnvironment().id()).isEqualTo(envId);
    }
  }

  @Test
  void open_unsupportedUrl_rejected() {
    assertThatThrownBy(() -> MetadataStore.open(tmp, Optional.of("jdbc:mysql://localhost/x"), Optional.empty(),
        Optional.empty(), "default", TestClock.at("2025-01-01T00:00:00Z")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void open_unreachablePostgres_failsWithStoreExceptionNotEchoingPassword() {
    assertThatThrownBy(() -> MetadataStore.open(tmp, Optional.of("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=1"),
        Optional.of("u"), Optional.of(SecretBytes.fromUtf8("SENTINEL-DB-PW")), "default",
        TestClock.at("2025-01-01T00:00:00Z")))
        .isInstanceOf(StoreException.class)
        .hasMessageNotContaining("SENTINEL-DB-PW");
  }

  @Test
  void open_badOrgSlug_rejectedAndPoolClosed() {
    assertThatThrownBy(() -> MetadataStore.open(tmp.resolve("d"), Optional.empty(), Optional.empty(), Optional.empty(),
        "Not A Slug", TestClock.at("2025-01-01T00:00:00Z")))
        .isInstanceOf(dev.lensgate.core.error.LensgateException.class);
    assertThat(Files.exists(tmp.resolve("d"))).isTrue();
  }
}
