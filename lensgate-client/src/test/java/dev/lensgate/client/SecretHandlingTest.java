package dev.lensgate.client;

import static dev.lensgate.client.Fixtures.API_KEY;
import static dev.lensgate.client.Fixtures.USER_TOKEN;
import static dev.lensgate.client.Fixtures.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The API key and user token never appear in toString, messages or stack traces. */
class SecretHandlingTest {
  private final ScriptedServer server = ScriptedServer.start();
  private final LensgateClient client = Fixtures.client(server, Duration.ofMillis(400)).withUser(USER_TOKEN);

  @AfterEach
  void stop() {
    server.close();
  }

  private static String everything(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return t + "\n" + t.getMessage() + "\n" + out;
  }

  private static void assertNoSecret(String text) {
    assertThat(text).doesNotContain(API_KEY).doesNotContain(USER_TOKEN)
        .doesNotContain("SENTINEL");
  }

  @Test
  void clientToString_neitherKeyNorToken() {
    assertNoSecret(client.toString());
    assertNoSecret(LensgateClient.builder().apiKey(API_KEY).toString());
    assertThat(client.toString()).contains("user=true", server.uri().toString());
  }

  @Test
  void secretAndCredentials_toStringRedacted() {
    Secret key = Secret.of(API_KEY, "apiKey");
    assertThat(key.toString()).isEqualTo("[redacted]");
    assertNoSecret(new Credentials(key, Secret.of(USER_TOKEN, "userToken")).toString());
  }

  @Test
  void serverEchoingSecretsInErrorFields_scrubbedFromException() {
    server.then(ScriptedServer.reply(401, "application/json", q("{'error':{'code':'invalid_api_key',"
        + "'message':'key " + API_KEY + " with token " + USER_TOKEN + " rejected',"
        + "'requestId':'" + API_KEY + "'}}"), Map.of()));
    AuthenticationException e = (AuthenticationException) catchThrowable(
        () -> client.query("products", Query.all()));
    assertNoSecret(everything(e));
    assertNoSecret(e.errorMessage());
    assertThat(e.errorMessage()).contains("key [redacted] with token [redacted] rejected");
  }

  @Test
  void everyFailureKind_noSecretAnywhere() {
    List<Throwable> failures = new ArrayList<>();
    int[] statuses = {400, 401, 403, 404, 413, 429, 500, 502, 503, 504};
    for (int status : statuses) {
      server.json(status, q("{'error':{'code':'c','message':'" + API_KEY + "'}}"));
      failures.add(catchThrowable(() -> client.query("products", Query.all())));
    }
    server.then(ScriptedServer.reply(502, "text/html", "<p>" + API_KEY + USER_TOKEN + "</p>", Map.of()));
    failures.add(catchThrowable(() -> client.query("products", Query.all())));
    server.json(200, "{" + API_KEY);
    failures.add(catchThrowable(() -> client.query("products", Query.all())));
    server.json(200, q("{'rows':[{'id':'x'}],'meta':{'lens':'p','count':1}}"));
    failures.add(catchThrowable(() -> client.query("products", Query.all(), Long.class)));
    server.then(ex -> server.hold());
    failures.add(catchThrowable(() -> client.query("products", Query.all())));

    ScriptedServer gone = ScriptedServer.start();
    LensgateClient toNowhere = Fixtures.client(gone).withUser(USER_TOKEN);
    gone.close();
    failures.add(catchThrowable(() -> toNowhere.health()));
    failures.add(catchThrowable(() -> toNowhere.query("products", Query.all())));

    assertThat(failures).hasSize(statuses.length + 6).allSatisfy(
        f -> assertThat(f).isInstanceOf(LensgateClientException.class));
    for (Throwable f : failures) {
      assertNoSecret(everything(f));
    }
  }

  @Test
  void malformedKeyOrToken_rejectedWithoutEchoingIt() {
    String badKey = "sk_test_SENTINEL with space";
    assertThatThrownBy(() -> LensgateClient.builder().apiKey(badKey))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertNoSecret(everything(e)));
    assertThatThrownBy(() -> client.withUser("eyJSENTINEL\r\nX-Injected: 1"))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertNoSecret(everything(e)));
    assertThatThrownBy(() -> client.withUser("SENTINELé"))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertNoSecret(everything(e)));
  }
}
