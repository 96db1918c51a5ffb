package dev.lensgate.server.authenticate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.core.keys.PartnerSecretHasher;
import dev.lensgate.server.store.CreatedKey;
import dev.lensgate.server.store.MetadataStore;
import dev.lensgate.server.store.StoreFixture;
import dev.lensgate.server.store.TestClock;
import dev.lensgate.testkit.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/**
 * Runs every path of this area — store open, key mint/rotate/revoke, authentication successes and
 * failures, source credentials (including a failed decrypt), failing listeners and flushes — with all
 * loggers at TRACE, and scans every captured line and stack trace for the secrets involved.
 */
class SecretsNeverLoggedTest {
  private static final String SOURCE_PASSWORD = "SENTINEL-source-pw-" + UUID.randomUUID();
  private static final String DB_PASSWORD = "SENTINEL-db-pw-" + UUID.randomUUID();

  @TempDir Path tmp;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final List<Level> savedLevels = new ArrayList<>();
  private final List<Logger> touched = new ArrayList<>();

  @BeforeEach
  void captureEverything() {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    appender.setContext(ctx);
    appender.start();
    for (String name : new String[] {Logger.ROOT_LOGGER_NAME, "dev.lensgate", "com.zaxxer", "org.flywaydb"}) {
      Logger l = ctx.getLogger(name);
      touched.add(l);
      savedLevels.add(l.getLevel());
      l.setLevel(Level.TRACE);
    }
    ctx.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
  }

  @AfterEach
  void restore() {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    ctx.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
    for (int i = 0; i < touched.size(); i++) {
      touched.get(i).setLevel(savedLevels.get(i));
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void allPaths_logNoPasswordAndNoKeyPlaintext(TestDatabase.Kind kind) throws Exception {
    List<String> secrets = new ArrayList<>(List.of(SOURCE_PASSWORD, DB_PASSWORD));
    TestClock clock = TestClock.at("2025-03-01T12:00:00Z");

    // A store whose database password is a sentinel (H2 creates the database with it).
    String url = "jdbc:h2:mem:lg_sentinel_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
    try (MetadataStore s = MetadataStore.open(tmp, Optional.of(url), Optional.of("sa"),
        Optional.of(SecretBytes.fromUtf8(DB_PASSWORD)), "default", clock)) {
      assertThat(s.defaultEnvironment().slug()).isEqualTo("development");
    }

    try (StoreFixture f = new StoreFixture(kind, PartnerSecretHasher.unsafeLowCostBcryptForTests(4));
         KeyAuthenticator auth = new KeyAuthenticator(f.keyRepository, f.hasher, f.partnerHasher, f.lastUsed,
             f.revocations, f.clock, Duration.ofSeconds(5))) {
      f.revocations.subscribe(r -> { throw new IllegalStateException("listener failure for " + r.keyId()); });
      List<CreatedKey> keys = new ArrayList<>();
      for (KeyType type : new KeyType[] {KeyType.SK, KeyType.PK, KeyType.IK, KeyType.LP}) {
        keys.add(f.keys.create(type, f.devEnvId(), "k", Set.of()));
      }
      keys.add(f.keys.create(KeyType.RK, f.orgId(), "r", Set.of()));
      for (CreatedKey k : keys) {
        String text = k.plaintext().revealUtf8();
        secrets.add(text);
        secrets.add(text.substring(text.length() - 24));
        auth.authenticateKey(text);
        assertThatThrownBy(() -> auth.authenticateKey(text + "x"));
        assertThatThrownBy(() -> auth.authenticate("Basic " + text));
      }
      CreatedKey rotated = f.keys.rotate(keys.get(1).id(), Optional.of(Duration.ofMinutes(1)));
      secrets.add(rotated.plaintext().revealUtf8());
      f.keys.revoke(keys.get(0).id());
      String revoked = keys.get(0).plaintext().revealUtf8();
      assertThatThrownBy(() -> auth.authenticateKey(revoked));

      f.sources.connect(f.devEnvId(), "shop", "jdbc:postgresql://db/shop", "u", SecretBytes.fromUtf8(SOURCE_PASSWORD));
      assertThat(f.sources.credentials(f.devEnvId(), "shop").orElseThrow().password().revealUtf8()).isEqualTo(SOURCE_PASSWORD);
      assertThatThrownBy(() -> f.sources.connect(f.devEnvId(), "shop",
          "jdbc:postgresql://db/shop?password=" + SOURCE_PASSWORD, "u", SecretBytes.fromUtf8(SOURCE_PASSWORD)));
      try (Connection c = f.store.dataSource().getConnection();
           PreparedStatement ps = c.prepareStatement("UPDATE sources SET password_sealed = ?")) {
        ps.setString(1, "AQBB");
        ps.executeUpdate();
      }
      assertThatThrownBy(() -> f.sources.credentials(f.devEnvId(), "shop"));

      f.lastUsed.flush();
      f.lastUsed.touch(keys.get(2).id());
      f.store.close();
      f.lastUsed.close(); // flush against a closed pool: logged, must stay clean
    }

    assertThat(appender.list).as("capture works").isNotEmpty();
    for (ILoggingEvent e : appender.list) {
      String line = e.getLoggerName() + " " + e.getFormattedMessage() + " " + e.getMDCPropertyMap()
          + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy()));
      for (String secret : secrets) {
        assertThat(line).as("log line from %s", e.getLoggerName()).doesNotContain(secret);
      }
    }
  }
}
