package dev.lensgate.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Separate JVMs on one data dir, as {@code lensgate serve} and {@code lensgate keys ...} run. Each
 * process is a fresh JVM, so H2 reads the loopback bind address that {@link MetadataStore} sets.
 */
class MetadataStoreMultiProcessTest {
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path tmp;
  private final List<Child> children = new ArrayList<>();

  @AfterEach
  void stopChildren() {
    children.forEach(Child::kill);
  }

  @Test
  void twoProcesses_sameDataDir_bothReadAndWrite() throws Exception {
    Path dataDir = tmp.resolve("data");
    Child gateway = start(dataDir);
    gateway.expect("ready");
    Child operator = start(dataDir);
    operator.expect("ready");

    String fromOperator = operator.ask("create by-operator").replace("created ", "");
    assertThat(gateway.ask("find " + fromOperator)).isEqualTo("found " + fromOperator);
    String fromGateway = gateway.ask("create by-gateway").replace("created ", "");
    assertThat(operator.ask("find " + fromGateway)).isEqualTo("found " + fromGateway);
    assertThat(operator.ask("find no-such-key")).isEqualTo("missing");
  }

  @Test
  void autoServer_advertisesAndListensOnLoopbackOnly() throws Exception {
    Path dataDir = tmp.resolve("data");
    Child gateway = start(dataDir);
    gateway.expect("ready");
    Properties lock = new Properties();
    try (InputStream in = Files.newInputStream(dataDir.resolve("metadata.lock.db"))) {
      lock.load(in);
    }
    String server = lock.getProperty("server");
    assertThat(server).as("H2 wrote its server address into the lock file").isNotNull();
    String host = server.substring(0, server.lastIndexOf(':'));
    int port = Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));
    assertThat(InetAddress.getByName(host).isLoopbackAddress()).as("advertised %s", host).isTrue();
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
      assertThat(s.isConnected()).isTrue();
    }
    Optional<InetAddress> external = nonLoopbackAddress();
    if (external.isPresent()) {
      try (Socket s = new Socket()) {
        boolean connected;
        try {
          s.connect(new InetSocketAddress(external.get(), port), 2_000);
          connected = true;
        } catch (IOException refused) {
          connected = false;
        }
        assertThat(connected).as("port %d reachable on %s", port, external.get()).isFalse();
      }
    }
  }

  @Test
  void firstProcessExits_secondKeepsWorkingAndTakesOver() throws Exception {
    Path dataDir = tmp.resolve("data");
    Child first = start(dataDir);
    first.expect("ready");
    Child second = start(dataDir);
    second.expect("ready");
    String before = second.ask("create before").replace("created ", "");
    assertThat(first.ask("quit")).isEqualTo("bye");
    assertThat(first.process.waitFor(30, TimeUnit.SECONDS)).isTrue();

    String after = second.ask("create after").replace("created ", "");
    assertThat(second.ask("find " + before)).isEqualTo("found " + before);
    Child third = start(dataDir);
    third.expect("ready");
    assertThat(third.ask("find " + after)).isEqualTo("found " + after);
  }

  @Test
  void dataDirReadableByOthers_notShared_secondProcessRefused() throws Exception {
    Path dataDir = tmp.resolve("data");
    Files.createDirectories(dataDir);
    Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Child gateway = start(dataDir);
    gateway.expect("ready");
    assertThat(dataDir.resolve("metadata.lock.db")).as("no server advertised for a directory others can read")
        .doesNotExist();
    Child operator = start(dataDir);
    assertThat(operator.next()).startsWith("error ").contains("StoreException");
  }

  private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
    for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nif.isUp() || nif.isLoopback()) {
        continue;
      }
      for (InetAddress a : Collections.list(nif.getInetAddresses())) {
        if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
          return Optional.of(a);
        }
      }
    }
    return Optional.empty();
  }

  private Child start(Path dataDir) throws IOException {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path stderr = Files.createTempFile(tmp, "child", ".err");
    ProcessBuilder pb = new ProcessBuilder(java.toString(), "-cp", classpath, StoreProcessMain.class.getName(),
        dataDir.toString());
    pb.redirectError(stderr.toFile());
    pb.environment().remove(MetadataStore.ENV_DB_URL);
    Child c = new Child(pb.start(), stderr);
    children.add(c);
    return c;
  }

  /** One child JVM, answering over stdin/stdout. */
  private static final class Child {
    final Process process;
    final Path stderr;
    final Writer stdin;
    final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

    Child(Process process, Path stderr) {
      this.process = process;
      this.stderr = stderr;
      this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line = r.readLine(); line != null; line = r.readLine()) {
            if (line.startsWith(StoreProcessMain.PREFIX)) {
              answers.add(line.substring(StoreProcessMain.PREFIX.length()));
            }
          }
        } catch (IOException e) {
          // Process gone; next() times out with its stderr.
        }
      }, "child-stdout");
      reader.setDaemon(true);
      reader.start();
    }

    String next() throws Exception {
      String answer = answers.poll(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (answer == null) {
        throw new AssertionError("child gave no answer in " + STEP_TIMEOUT + "; stderr:\n" + Files.readString(stderr));
      }
      return answer;
    }

    void expect(String answer) throws Exception {
      String got = next();
      assertThat(got).as("child stderr:%n%s", Files.readString(stderr)).isEqualTo(answer);
    }

    String ask(String command) throws Exception {
      stdin.write(command + "\n");
      stdin.flush();
      return next();
    }

    void kill() {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
