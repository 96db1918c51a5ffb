package dev.lensgate.server.store;

import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.crypto.MasterKeys;
import dev.lensgate.core.keys.KeyHasher;
import dev.lensgate.core.keys.KeyRevocations;
import dev.lensgate.core.keys.PartnerSecretHasher;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Set;

/**
 * A second (or third) process for {@link MetadataStoreMultiProcessTest}: opens the embedded store on
 * the data dir given as the only argument, then answers one command per stdin line. Answers start
 * with {@value #PREFIX} so they stand apart from log output on stdout.
 *
 * <pre>
 * create NAME  → "created ID"   (a pk_ key in the default environment)
 * find ID      → "found ID" | "missing"
 * quit         → "bye", exit 0
 * </pre>
 * Opening prints "ready"; any failure prints "error ClassName" and exits 1.
 */
public final class StoreProcessMain {
  static final String PREFIX = "lg> ";

  private StoreProcessMain() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    try (MetadataStore store = MetadataStore.openFromEnvironment(Path.of(args[0]), Map.of(), Clock.systemUTC())) {
      ApiKeyService keys = new ApiKeyService(store.dataSource(), new KeyHasher(MasterKeys.ephemeral()),
          PartnerSecretHasher.unsafeLowCostBcryptForTests(4), new KeyRevocations(), Clock.systemUTC());
      out.println(PREFIX + "ready");
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] cmd = line.strip().split(" ", 2);
        switch (cmd[0]) {
          case "create":
            out.println(PREFIX + "created " + keys.create(KeyType.PK, store.defaultEnvironment().id(), cmd[1], Set.of()).id());
            break;
          case "find":
            out.println(PREFIX + keys.find(cmd[1]).map(k -> "found " + k.id()).orElse("missing"));
            break;
          case "quit":
            out.println(PREFIX + "bye");
            return;
          default:
            out.println(PREFIX + "unknown command");
        }
      }
    } catch (RuntimeException e) {
      out.println(PREFIX + "error " + e.getClass().getName());
      e.printStackTrace();
      System.exit(1);
    }
  }
}
