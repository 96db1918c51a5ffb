package dev.lensgate.bench;

import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.core.jwt.DevIssuer;
import dev.lensgate.server.Gateway;
import dev.lensgate.server.GatewaySettings;
import dev.lensgate.server.http.HttpSettings;
import dev.lensgate.server.store.CreatedKey;
import dev.lensgate.server.store.IndexState;
import dev.lensgate.server.stream.StreamSettings;
import dev.lensgate.server.sync.ChangeListener;
import dev.lensgate.testkit.TestDatabase;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Issue 5's speed target through a real gateway and real WebSockets: a {@link Gateway} (127.0.0.1,
 * port 0, temp data dir, H2 metadata, rate limit off) with lens {@code tickets} whose
 * {@code subscribe} rule derives a filter from the user token's claims ({@link TicketSockets});
 * {@code --sockets} (500) JDK WebSocket clients, each with its own ES256 user token, each sending
 * {@code --per-socket} (20) subscribe frames with their own {@code where} (10,000 subscriptions);
 * then {@code --rate} (1,000) changes/s of {@link FanoutLoad} for {@code --warmup-seconds} (10) +
 * {@code --seconds} (30), fed to {@code gateway.streamHub().changed(...)} — exactly where sync and
 * ingest hand over committed changes — each stamped with its send time in the row's declared
 * {@code sentNanos}. Reports client-side event-to-delivery latency, frames delivered against the
 * count expected from the filters' arithmetic, slow-consumer closes, CPU, heap, and the database
 * work during the window: statements run on the gateway's H2 metadata store (H2 query statistics)
 * and reads of the lens's PostgreSQL source table (pg_stat_user_tables; the table stays empty).
 * {@code --clients child} (default) runs the clients in a child JVM; {@code same} in this one.
 */
public final class StreamSocketsBenchmark {
  private StreamSocketsBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = MachineLoad.options(args);
    int socketCount = Integer.parseInt(o.getOrDefault("--sockets", "500"));
    int perSocket = Integer.parseInt(o.getOrDefault("--per-socket", "20"));
    int orgs = Integer.parseInt(o.getOrDefault("--orgs", "100"));
    int step = Integer.parseInt(o.getOrDefault("--step", "15"));
    int rows = Integer.parseInt(o.getOrDefault("--rows", "100000"));
    int rate = Integer.parseInt(o.getOrDefault("--rate", "1000"));
    int warmupSeconds = Integer.parseInt(o.getOrDefault("--warmup-seconds", "10"));
    int seconds = Integer.parseInt(o.getOrDefault("--seconds", "30"));
    int clientThreads = Integer.parseInt(o.getOrDefault("--client-threads", "4"));
    boolean child = !"same".equals(o.getOrDefault("--clients", "child"));
    String out = o.get("--out");
    int total = socketCount * perSocket;
    TicketSockets shape = new TicketSockets(socketCount, orgs, perSocket, step);

    StringBuilder report = new StringBuilder();
    String loadBefore = MachineLoad.average();
    report.append(String.format(Locale.ROOT, "StreamSocketsBenchmark: %,d sockets x %d subscriptions = %,d, %d orgs,"
        + " where step %d, %,d rows, %,d changes/s, %d s warmup + %d s measured, clients in %s (%d threads); %d cores,"
        + " Java %s, max heap %,d MiB; load average before %s%n", socketCount, perSocket, total, orgs, step, rows, rate,
        warmupSeconds, seconds, child ? "a child JVM" : "the gateway's JVM", clientThreads,
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() >> 20, loadBefore));
    report.append("changes enter at gateway.streamHub().changed(...), where sync/ingest hand over committed changes;"
        + " the source table stays empty and is never synced from\n");

    Clock clock = Clock.systemUTC();
    Path dataDir = Files.createTempDirectory("lensgate-bench-sockets-");
    try (TestDatabase db = TestDatabase.postgres()) {
      db.execute(TicketSockets.TABLE_DDL);
      DevIssuer issuer = DevIssuer.generate(BenchConfig.ISSUER, BenchConfig.AUDIENCE, clock);
      Path jwks = dataDir.resolve("jwks.json");
      issuer.writeJwks(jwks);
      // Caps raised for the bench: one key holds all subscriptions (default 1,000 per key).
      Map<String, String> env = Map.of(
          StreamSettings.MAX_PER_SOCKET, Integer.toString(Math.max(100, perSocket)),
          StreamSettings.MAX_PER_KEY, Integer.toString(total),
          StreamSettings.MAX_PER_LENS, Integer.toString(Math.max(10_000, total)));
      report.append("stream caps for the bench: ").append(new TreeMap<>(env)).append('\n');
      GatewaySettings settings = GatewaySettings.defaults(dataDir.resolve("gateway"),
          HttpSettings.plain("127.0.0.1", 0), env, "bench").withRateLimit(0, 0);
      try (Gateway gateway = Gateway.start(settings, clock)) {
        String envId = gateway.store().defaultEnvironment().id();
        try (SecretBytes password = SecretBytes.fromUtf8(db.password())) {
          gateway.sources().connect(envId, TicketSockets.SOURCE, db.jdbcUrl(), db.user(), password);
        }
        gateway.configs().push(envId, TicketSockets.yaml(jwks, db.jdbcUrl(), db.name()));
        gateway.refreshConfigs();
        CreatedKey pk = gateway.keys().create(KeyType.PK, envId, "stream bench", Set.of());
        report.append("lens state before the run: ").append(awaitReady(gateway, envId)).append('\n');

        List<SocketClients.Spec> specs = new ArrayList<>();
        for (int s = 0; s < socketCount; s++) {
          specs.add(new SocketClients.Spec(issuer.mint("bench-user-" + s, shape.claims(s), Duration.ofHours(2)),
              shape.lo(s)));
        }
        URI url = URI.create("ws://127.0.0.1:" + gateway.port() + "/v1/stream");
        long t0 = System.nanoTime();
        try (BenchClients clients = BenchClients.start(child, url, pk.plaintext().revealUtf8(), specs, perSocket, step,
            clientThreads, dataDir)) {
          int live = awaitLive(gateway, envId, total);
          report.append(String.format(Locale.ROOT, "opened %,d sockets, %,d live subscriptions in %.1f s (gateway: %,d open"
              + " sockets)%n", socketCount, live, (System.nanoTime() - t0) / 1e9, gateway.streamEndpoint().openSockets()));
          if (live != total) {
            throw new IllegalStateException("only " + live + " of " + total + " subscriptions became live");
          }

          FanoutLoad load = new FanoutLoad(orgs, rows, 42);
          ChangeListener hub = c -> gateway.streamHub().changed(TicketSockets.stamped(c, envId, System.nanoTime()));
          long[] expected = new long[2];
          long[] windowExpected = new long[2];
          long[] sent = new long[2];
          long warmEnd = System.nanoTime() + warmupSeconds * 1_000_000_000L;
          long lagWarm = load.run(hub, rate, () -> System.nanoTime() < warmEnd, c -> {
            shape.expected(c, expected);
            sent[0]++;
          });

          DatabaseReads dbReads = new DatabaseReads(gateway.store().dataSource(), db, "tickets");
          dbReads.start();
          long slowBefore = gateway.streamEndpoint().slowConsumers();
          ThreadGroupCpu cpuStart = ThreadGroupCpu.take();
          long windowStart = System.nanoTime();
          long windowEnd = windowStart + seconds * 1_000_000_000L;
          // Open end: a change due before windowEnd may be stamped a few µs after it.
          clients.window(windowStart, Long.MAX_VALUE);
          long lag = load.run(hub, rate, () -> System.nanoTime() < windowEnd, c -> {
            shape.expected(c, expected);
            shape.expected(c, windowExpected);
            sent[0]++;
            sent[1]++;
          });
          ThreadGroupCpu cpuEnd = ThreadGroupCpu.take();
          double wall = (System.nanoTime() - windowStart) / 1e9;
          ClientSummary r = clients.await(expected[0]);
          String reads = dbReads.finish(windowEnd);

          report.append(String.format(Locale.ROOT, "changes fed: %,d (%,d in the window: %.0f/s); generator max lag behind"
              + " schedule %.1f ms (warmup %.1f ms)%n", sent[0], sent[1], sent[1] / wall, lag / 1e6, lagWarm / 1e6));
          report.append(String.format(Locale.ROOT, "event frames received: %,d of %,d expected from the filters (%s);"
              + " %,d with the row (expected %,d), %,d key-only deletes; window: %,d latency samples of %,d expected"
              + " (%.0f events/s)%n", r.get("frames"), expected[0], r.get("frames") == expected[0] ? "exact" : "MISMATCH",
              r.get("withRow"), expected[1], r.get("deletes"), r.get("samples"), windowExpected[1],
              windowExpected[0] / wall));
          report.append(String.format(Locale.ROOT, "event-to-delivery latency (generator send -> client receives the whole"
              + " frame; insert/update frames), window: p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms"
              + " (target p99 < 100 ms: %s); negative samples %d%n", ms(r.get("p50")), ms(r.get("p90")), ms(r.get("p99")),
              ms(r.get("p999")), ms(r.get("max")), ms(r.get("p99")) < 100 ? "met" : "MISSED", r.get("negative")));
          report.append(String.format(Locale.ROOT, "slow-consumer closes: %d (gateway counter); send-queue high water: %,d"
              + " frames; client saw error frames %d, closed frames %d, socket closes %d; codes: %s%n",
              gateway.streamEndpoint().slowConsumers() - slowBefore, gateway.streamEndpoint().queueHighWater(),
              r.get("errors"), r.get("closedFrames"), r.get("socketCloses"), r.codes()));
          report.append("CPU in the window, gateway JVM").append(child ? " (gateway + generator): " : " (gateway +"
              + " generator + clients): ").append(cpuEnd.since(cpuStart, wall)).append('\n');
          if (child) {
            report.append(String.format(Locale.ROOT, "CPU in the window, client JVM: %.2f s = %.1f %% of one core%n",
                r.get("cpuNanos") / 1e9, 100 * r.get("cpuNanos") / 1e9 / wall));
          }
          report.append(reads);
          report.append(String.format(Locale.ROOT, "heap used after the run + GC (gateway JVM): %,d MiB; load average after"
              + " %s%n", usedHeapAfterGc() >> 20, MachineLoad.average()));
        }
      }
    } finally {
      AuthorizeFixture.deleteTree(dataDir);
    }
    System.out.print(report);
    if (out != null) {
      Path dir = Path.of(out);
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("stream-sockets.txt"), report, StandardCharsets.UTF_8);
    }
    System.exit(0); // the child client JVM's pipes and any stray pool thread must not keep the bench alive
  }

  /** The lens's state once settled (paused, or ready after a first sync), so no sync starts in the window. */
  private static String awaitReady(Gateway gateway, String envId) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      var s = gateway.indexStates().get(envId, TicketSockets.LENS);
      // A new lens starts paused (no sync until one is asked for): nothing will read the source.
      if (s.isPresent() && (s.get().state() == IndexState.READY || s.get().state() == IndexState.PAUSED)) {
        return s.get().state().wireName();
      }
      Thread.sleep(100);
    }
    return gateway.indexStates().get(envId, TicketSockets.LENS).map(s -> s.state().toString()).orElse("no state");
  }

  /** Subscribe frames have no acknowledgement: the hub's live count says when all are registered. */
  private static int awaitLive(Gateway gateway, String envId, int total) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    int live;
    while ((live = gateway.streamHub().liveCount(envId, TicketSockets.LENS)) < total && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    return live;
  }

  private static long usedHeapAfterGc() {
    ManagementFactory.getMemoryMXBean().gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

}
