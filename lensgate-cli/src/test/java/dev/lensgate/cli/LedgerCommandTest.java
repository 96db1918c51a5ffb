package dev.lensgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lensgate.server.store.Environment;
import dev.lensgate.server.store.EnvironmentStore;
import dev.lensgate.server.store.MetadataStore;
import dev.lensgate.server.store.RunnerJobRow;
import dev.lensgate.server.store.RunnerJobStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;
  private final Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);

  private CliHarness cli() {
    return CliHarness.embedded(dir);
  }

  @BeforeEach
  void rows() {
    cli().store("envs", "create", "staging");
    try (MetadataStore store = MetadataStore.openFromEnvironment(dir, Map.of(), Clock.systemUTC())) {
      String dev = store.defaultEnvironment().id();
      Environment staging = new EnvironmentStore(store.dataSource(), Clock.systemUTC())
          .findBySlug(store.defaultOrg().id(), "staging").orElseThrow();
      RunnerJobStore ledger = new RunnerJobStore(store.dataSource(), Clock.systemUTC());
      ledger.append(new RunnerJobRow("job-old", Optional.of("r1"), dev, "shop", "query", "succeeded", 5, 3,
          Optional.empty(), now.minus(Duration.ofDays(8))));
      ledger.append(new RunnerJobRow("job-day", Optional.of("r1"), dev, "shop", "query", "succeeded", 7, 2,
          Optional.empty(), now.minus(Duration.ofDays(1))));
      ledger.append(new RunnerJobRow("job-odd", Optional.empty(), dev, "we,ird\"name", "count", "failed", 0, 0,
          Optional.of("no_runners_online"), now.minus(Duration.ofHours(1))));
      ledger.append(new RunnerJobRow("job-stg", Optional.of("r2"), staging.id(), "shop", "read", "timed_out", 30000, 0,
          Optional.of("upstream_timeout"), now.minus(Duration.ofMinutes(5))));
    }
  }

  @Test
  void store_forEachSince_pagesByKeysetAcrossRowsWithTheSameTimestamp() {
    try (MetadataStore store = MetadataStore.openFromEnvironment(dir, Map.of(), Clock.systemUTC())) {
      RunnerJobStore ledger = new RunnerJobStore(store.dataSource(), Clock.systemUTC());
      String dev = store.defaultEnvironment().id();
      Instant tie = now.minus(Duration.ofMinutes(2));
      for (String id : new String[] {"tie-c", "tie-a", "tie-b"}) {
        ledger.append(new RunnerJobRow(id, Optional.empty(), dev, "shop", "query", "succeeded", 1, 1, Optional.empty(), tie));
      }
      java.util.List<String> paged = new java.util.ArrayList<>();
      ledger.forEachSince(now.minus(Duration.ofDays(30)), 2, r -> paged.add(r.id()));

      assertThat(paged).containsExactly("job-old", "job-day", "job-odd", "job-stg", "tie-a", "tie-b", "tie-c");
      assertThat(ledger.since(now.minus(Duration.ofDays(30))).stream().map(RunnerJobRow::id)).containsExactlyElementsOf(paged);
    }
  }

  @Test
  void export_defaultCsv_hasHeaderRowsOfTheLastSevenDaysAndQuotesFields() {
    CliHarness.Result r = cli().store("ledger", "export");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.outLines()).containsExactly(
        "id,runner_id,env,source,kind,status,duration_ms,row_count,error_code,created_at",
        "job-day,r1,development,shop,query,succeeded,7,2,," + now.minus(Duration.ofDays(1)),
        "job-odd,,development,\"we,ird\"\"name\",count,failed,0,0,no_runners_online," + now.minus(Duration.ofHours(1)),
        "job-stg,r2,staging,shop,read,timed_out,30000,0,upstream_timeout," + now.minus(Duration.ofMinutes(5)));
  }

  @Test
  void export_jsonSinceAndEnv_filterAndRenderAnArray() throws Exception {
    CliHarness cli = cli();

    JsonNode recent = JSON.readTree(cli.store("ledger", "export", "--format", "json", "--since", "12h").out());
    JsonNode staging = JSON.readTree(cli.store("ledger", "export", "--format", "JSON", "--env", "staging",
        "--since", "30d").out());
    CliHarness.Result none = cli.store("ledger", "export", "--since", "30m", "--env", "development");

    assertThat(recent.isArray()).isTrue();
    assertThat(recent).extracting(n -> n.get("id").asText()).containsExactly("job-odd", "job-stg");
    JsonNode odd = recent.get(0);
    assertThat(odd.get("runnerId").isNull()).isTrue();
    assertThat(odd.get("source").asText()).isEqualTo("we,ird\"name");
    assertThat(odd.get("errorCode").asText()).isEqualTo("no_runners_online");
    assertThat(odd.get("durationMs").asLong()).isZero();
    assertThat(odd.get("createdAt").asText()).isEqualTo(now.minus(Duration.ofHours(1)).toString());
    assertThat(staging).extracting(n -> n.get("env").asText()).containsExactly("staging");
    assertThat(none.outLines()).containsExactly(LedgerCommand.CSV_HEADER);
  }

  @Test
  void export_badSinceFormatOrEnv_failsWithUsageOrOperationError() {
    CliHarness cli = cli();

    CliHarness.Result badUnit = cli.store("ledger", "export", "--since", "7x");
    CliHarness.Result zero = cli.store("ledger", "export", "--since", "0");
    CliHarness.Result badFormat = cli.store("ledger", "export", "--format", "xml");
    CliHarness.Result unknownEnv = cli.store("ledger", "export", "--env", "nope");
    CliHarness.Result noSub = cli.store("ledger");

    assertThat(badUnit.exit()).isEqualTo(2);
    assertThat(badUnit.err()).contains("expected a duration");
    assertThat(zero.exit()).isEqualTo(2);
    assertThat(badFormat.exit()).isEqualTo(2);
    assertThat(unknownEnv.exit()).isEqualTo(1);
    assertThat(unknownEnv.err()).contains("unknown environment");
    assertThat(noSub.exit()).isEqualTo(2);
    for (CliHarness.Result r : new CliHarness.Result[] {badUnit, zero, badFormat, unknownEnv}) {
      assertThat(r.out()).isEmpty();
    }
  }

  @Test
  void csvField_quotesOnlyWhatNeedsIt() {
    assertThat(LedgerCommand.csvField("plain")).isEqualTo("plain");
    assertThat(LedgerCommand.csvField("a,b")).isEqualTo("\"a,b\"");
    assertThat(LedgerCommand.csvField("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    assertThat(LedgerCommand.csvField("two\nlines")).isEqualTo("\"two\nlines\"");
  }
}
