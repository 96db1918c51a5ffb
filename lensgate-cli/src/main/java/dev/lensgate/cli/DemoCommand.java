package dev.lensgate.cli;

import dev.lensgate.cli.demo.DemoDataset;
import dev.lensgate.cli.demo.DemoEnvironment;
import dev.lensgate.cli.demo.DemoWalkthrough;
import java.io.PrintWriter;
import java.nio.file.Path;
import dev.lensgate.server.store.IndexState;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lensgate demo}: a gateway with sample data, keys and curl lines, until Ctrl-C. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Starts a gateway on an embedded demo source and prints keys and ready-to-paste curl lines.")
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "8080", description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Bind address (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--data-dir", defaultValue = ".lensgate", description = "Data directory; the demo uses <data-dir>/demo and wipes it first.")
  Path dataDir;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  private static final Duration SEARCH_INDEX_TIMEOUT = Duration.ofSeconds(120);

  /** Lets the test stop a demo started in-process. */
  final CountDownLatch stop = new CountDownLatch(1);

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    DemoEnvironment demo = DemoEnvironment.start(dataDir, host, port, Version.current(), Clock.systemUTC());
    Thread hook = new Thread(() -> {
      demo.close();
      stop.countDown();
    }, "lensgate-demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    PrintWriter err = spec.commandLine().getErr();
    err.println("Indexing the products lens for search (the first start loads the local embedding model)...");
    err.flush();
    IndexState searchIndex = demo.awaitSearchIndex(SEARCH_INDEX_TIMEOUT);
    if (searchIndex != IndexState.READY) {
      err.println("The search index is " + searchIndex.wireName() + " after " + SEARCH_INDEX_TIMEOUT.toSeconds()
          + " s; the search examples are left out (lensgate status --data-dir " + dataDir.resolve("demo") + " tells more).");
    }
    print(out, demo, searchIndex == IndexState.READY);
    out.flush();
    stop.await();
    demo.close();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook is running; it closes the demo itself
    }
    return 0;
  }

  private void print(PrintWriter out, DemoEnvironment demo, boolean searchReady) {
    String url = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + demo.port();
    boolean defaultDir = dataDir.normalize().equals(Path.of(".lensgate"));
    String mint = "./lensgate token mint" + (defaultDir ? "" : " --data-dir " + dataDir);
    out.println();
    out.println("Lensgate demo is running on " + url + "  (Ctrl-C stops it)");
    out.println();
    out.println("  source   shop: " + DemoDataset.PRODUCTS + " products and " + DemoDataset.ORDERS
        + " orders across " + String.join(", ", DemoDataset.ORGS));
    out.println("  lenses   products (public query and search), orders (users see only their orgId's rows)");
    out.println("  config   " + demo.demoDir().resolve("lensgate.yaml"));
    out.println();
    out.println("Keys (shown once; the demo mints new ones on every start):");
    out.println("  export PK=" + demo.publishableKey() + "   # pk_: browser-safe, subject to grants");
    out.println("  export SK=" + demo.secretKey() + "   # sk_: server-only, bypasses grants");
    out.println("  export LENSGATE_URL=" + url);
    out.println();
    out.println("Try it:");
    int n = 1;
    for (DemoWalkthrough.Step step : DemoWalkthrough.steps(mint, searchReady)) {
      out.println();
      out.println("  # " + n++ + ". " + step.title());
      out.println("  # expect: " + step.expect());
      for (String line : step.lines()) {
        out.println("  " + line);
      }
    }
    out.println();
  }
}
