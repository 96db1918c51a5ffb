package dev.lensgate.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lensgate.core.crypto.DecryptionFailedException;
import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SourceStoreTest {
  private static final String SENTINEL = "SENTINEL-pw-7f3a9c";
  private static final String URL = "jdbc:postgresql://db.internal:5432/shop";

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void connect_thenCredentials_decryptsInMemory_andRowHoldsNoPlaintext(TestDatabase.Kind kind) throws Exception {
    try (StoreFixture f = new StoreFixture(kind)) {
      SourceInfo info = f.sources.connect(f.devEnvId(), "shop", URL, "reader", SecretBytes.fromUtf8(SENTINEL));
      assertThat(info.jdbcUrl()).isEqualTo(URL);
      SourceCredentials creds = f.sources.credentials(f.devEnvId(), "shop").orElseThrow();
      assertThat(creds.password().revealUtf8()).isEqualTo(SENTINEL);
      assertThat(creds.user()).isEqualTo("reader");
      assertThat(creds.toString()).doesNotContain(SENTINEL);
      try (Connection c = f.store.dataSource().getConnection(); Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT * FROM sources")) {
        while (rs.next()) {
          for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            assertThat(String.valueOf(rs.getObject(i))).doesNotContain(SENTINEL);
          }
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void connect_again_replacesCredentialsAndKeepsCreated(TestDatabase.Kind kind) {
    try (StoreFixture f = new StoreFixture(kind)) {
      SourceInfo first = f.sources.connect(f.devEnvId(), "shop", URL, "reader", SecretBytes.fromUtf8("one"));
      f.clock.advance(Duration.ofMinutes(5));
      SourceInfo second = f.sources.connect(f.devEnvId(), "shop", URL + "2", "writer", SecretBytes.fromUtf8("two"));
      assertThat(second.id()).isEqualTo(first.id());
      assertThat(second.createdAt()).isEqualTo(first.createdAt());
      assertThat(second.updatedAt()).isEqualTo(f.clock.instant());
      assertThat(f.sources.credentials(f.devEnvId(), "shop").orElseThrow().password().revealUtf8()).isEqualTo("two");
      assertThat(f.sources.list(f.devEnvId())).singleElement().extracting(SourceInfo::user).isEqualTo("writer");
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void credentials_sealedValueCopiedToOtherEnvOrSource_failsToDecrypt(TestDatabase.Kind kind) throws Exception {
    try (StoreFixture f = new StoreFixture(kind)) {
      Environment prod = f.environments.create(f.orgId(), "production");
      f.sources.connect(f.devEnvId(), "shop", URL, "u", SecretBytes.fromUtf8(SENTINEL));
      f.sources.connect(prod.id(), "shop", URL, "u", SecretBytes.fromUtf8("prod-pw"));
      f.sources.connect(f.devEnvId(), "crm", URL, "u", SecretBytes.fromUtf8("crm-pw"));
      copySealed(f, f.devEnvId(), "shop", prod.id(), "shop");
      copySealed(f, f.devEnvId(), "shop", f.devEnvId(), "crm");
      assertThatThrownBy(() -> f.sources.credentials(prod.id(), "shop"))
          .isInstanceOf(DecryptionFailedException.class).hasMessageNotContaining(SENTINEL);
      assertThatThrownBy(() -> f.sources.credentials(f.devEnvId(), "crm")).isInstanceOf(DecryptionFailedException.class);
      assertThat(f.sources.credentials(f.devEnvId(), "shop").orElseThrow().password().revealUtf8()).isEqualTo(SENTINEL);
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void credentials_sealedValueGarbled_failsToDecrypt(TestDatabase.Kind kind) throws Exception {
    try (StoreFixture f = new StoreFixture(kind)) {
      f.sources.connect(f.devEnvId(), "shop", URL, "u", SecretBytes.fromUtf8(SENTINEL));
      try (Connection c = f.store.dataSource().getConnection();
           PreparedStatement ps = c.prepareStatement("UPDATE sources SET password_sealed = ?")) {
        ps.setString(1, "!!not base64!!");
        ps.executeUpdate();
      }
      assertThatThrownBy(() -> f.sources.credentials(f.devEnvId(), "shop")).isInstanceOf(DecryptionFailedException.class);
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void connect_invalidInput_rejectedWithoutEchoingPassword(TestDatabase.Kind kind) {
    try (StoreFixture f = new StoreFixture(kind)) {
      SecretBytes pw = SecretBytes.fromUtf8(SENTINEL);
      for (String badUrl : new String[] {"postgres://x", "jdbc:postgresql://h/db?user=a&password=" + SENTINEL,
          "jdbc:postgresql://a:" + SENTINEL + "@h/db", "jdbc:sqlserver://h;password=" + SENTINEL}) {
        assertThatThrownBy(() -> f.sources.connect(f.devEnvId(), "shop", badUrl, "u", pw))
            .isInstanceOf(LensgateException.class).hasMessageNotContaining(SENTINEL);
      }
      for (String badName : new String[] {"", "a b", "-x", "x".repeat(64), "a;drop"}) {
        assertThatThrownBy(() -> f.sources.connect(f.devEnvId(), badName, URL, "u", pw)).isInstanceOf(LensgateException.class);
      }
      assertThatThrownBy(() -> f.sources.connect("no-env", "shop", URL, "u", pw)).isInstanceOf(LensgateException.class);
      assertThatThrownBy(() -> f.sources.connect(f.devEnvId(), "shop", URL, "u", SecretBytes.copyOf(new byte[1025])))
          .isInstanceOf(LensgateException.class);
      assertThat(f.sources.list(f.devEnvId())).isEmpty();
    }
  }

  @Test
  void isValidName_acceptsTheStoredForm_andRejectsTheRest() {
    for (String good : new String[] {"shop", "a", "9", "Shop_2-eu", "x".repeat(63)}) {
      assertThat(SourceStore.isValidName(good)).as(good).isTrue();
    }
    for (String bad : new String[] {"", "a b", "-x", "_x", "x".repeat(64), "a;drop", "a.b", "caf\u00e9", "a\n"}) {
      assertThat(SourceStore.isValidName(bad)).as(bad).isFalse();
    }
    assertThat(SourceStore.isValidName(null)).isFalse();
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void remove_deletesOnlyThatSource(TestDatabase.Kind kind) {
    try (StoreFixture f = new StoreFixture(kind)) {
      f.sources.connect(f.devEnvId(), "a", URL, "u", SecretBytes.fromUtf8("1"));
      f.sources.connect(f.devEnvId(), "b", URL, "u", SecretBytes.fromUtf8("2"));
      assertThat(f.sources.remove(f.devEnvId(), "a")).isTrue();
      assertThat(f.sources.remove(f.devEnvId(), "a")).isFalse();
      assertThat(f.sources.list(f.devEnvId())).extracting(SourceInfo::name).containsExactly("b");
      assertThat(f.sources.credentials(f.devEnvId(), "a")).isEmpty();
    }
  }

  private static void copySealed(StoreFixture f, String fromEnv, String fromName, String toEnv, String toName)
      throws Exception {
    try (Connection c = f.store.dataSource().getConnection()) {
      String sealed;
      try (PreparedStatement ps = c.prepareStatement("SELECT password_sealed FROM sources WHERE env_id = ? AND name = ?")) {
        ps.setString(1, fromEnv);
        ps.setString(2, fromName);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          sealed = rs.getString(1);
        }
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE sources SET password_sealed = ? WHERE env_id = ? AND name = ?")) {
        ps.setString(1, sealed);
        ps.setString(2, toEnv);
        ps.setString(3, toName);
        assertThat(ps.executeUpdate()).isEqualTo(1);
      }
    }
  }
}
