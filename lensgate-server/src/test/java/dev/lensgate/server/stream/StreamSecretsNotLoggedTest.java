package dev.lensgate.server.stream;

import static dev.lensgate.server.stream.StreamClient.type;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.lensgate.core.auth.KeyType;
import dev.lensgate.server.sync.ChangeListener.ChangeEvent;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Keys and user tokens sent in the stream URL's query string, row values and frame input never
 * reach a log line: every Lensgate logger at TRACE and Jetty/Javalin at INFO (stricter than the
 * shipped WARN) through a session that subscribes, sends bad frames, receives events, is refused
 * a bad token and is revoked.
 */
class StreamSecretsNotLoggedTest {
  @TempDir Path dir;

  @Test
  void streamSession_logsNoKeyTokenOrRowValue() {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.setContext(ctx);
    appender.start();
    String[] names = {Logger.ROOT_LOGGER_NAME, "dev.lensgate", "org.eclipse.jetty", "io.javalin"};
    Level[] levels = {Level.INFO, Level.TRACE, Level.INFO, Level.INFO};
    List<Level> saved = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      saved.add(ctx.getLogger(names[i]).getLevel());
      ctx.getLogger(names[i]).setLevel(levels[i]);
    }
    ctx.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
    String rowSentinel = "ROW-SENTINEL-4711";
    String frameSentinel = "FRAME-SENTINEL-0815";
    StreamGateway.Key key;
    String token;
    try (StreamGateway gw = new StreamGateway(dir, Map.of())) {
      String env = gw.defaultEnv();
      gw.push(env, "stack: lensgate/v1\nsources:\n  main: { type: h2 }\nlenses:\n  notes:\n    source: main\n"
          + "    table: notes\n    primaryKey: id\n    fields:\n      id: { type: integer }\n      body: { type: string }\n"
          + "    grants:\n      subscribe: authenticated\n" + gw.authYaml());
      key = gw.mint(KeyType.PK, env);
      token = gw.token("user-1", Map.of());
      String query = "apiKey=" + URLEncoder.encode(key.plaintext(), StandardCharsets.UTF_8) + "&userToken="
          + URLEncoder.encode(token, StandardCharsets.UTF_8);
      assertThat(StreamGateway.status(gw.rawUpgrade(StreamEndpoint.PATH + "?apiKey=" + key.plaintext()
          + "&userToken=" + token + "x"))).isEqualTo(401);
      try (StreamClient c = StreamClient.connectWithQuery(gw.port(), query)) {
        c.subscribe("s", "notes", null);
        c.send("{\"op\":\"" + frameSentinel + "\",\"id\":\"x\"}");
        c.send("{\"op\":\"subscribe\",\"id\":\"w\",\"lens\":\"notes\",\"where\":{\"" + frameSentinel + "\":1}}");
        c.send("{" + frameSentinel);
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          codes.add(c.await(type("error"), Duration.ofSeconds(30)).path("code").asText());
        }
        assertThat(codes).containsExactly("unknown_op", "unknown_field", "invalid_json");
        gw.change(ChangeEvent.upsert(env, "notes", "1", Optional.empty(), Map.of("id", 1L, "body", rowSentinel)));
        assertThat(c.await(type("event"), Duration.ofSeconds(30)).path("record").path("body").asText()).isEqualTo(rowSentinel);
        gw.gateway().keys().revoke(key.id());
        assertThat(c.await(type("closed"), Duration.ofSeconds(30)).path("code").asText()).isEqualTo("key_revoked");
      }
    } finally {
      ctx.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
      for (int i = 0; i < names.length; i++) {
        ctx.getLogger(names[i]).setLevel(saved.get(i));
      }
    }
    List<String> lines = new ArrayList<>();
    for (ILoggingEvent e : appender.list) {
      StringBuilder line = new StringBuilder(e.getLoggerName()).append(' ').append(e.getFormattedMessage());
      for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
        line.append(' ').append(t.getMessage());
      }
      lines.add(line.toString());
    }
    assertThat(lines).as("log lines were captured").isNotEmpty();
    String keyBody = key.plaintext().substring(key.plaintext().lastIndexOf('_') + 1);
    String tokenSignature = token.substring(token.lastIndexOf('.') + 1);
    for (String line : lines) {
      assertThat(line).doesNotContain(keyBody).doesNotContain(tokenSignature).doesNotContain(rowSentinel)
          .doesNotContain(frameSentinel).doesNotContain("apiKey=").doesNotContain("userToken=");
    }
  }
}
