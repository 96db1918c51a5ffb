package dev.lensgate.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.core.lens.FieldType;
import dev.lensgate.core.lens.LensField;
import dev.lensgate.core.lens.LensSchema;
import dev.lensgate.core.runner.JobCredentials;
import dev.lensgate.core.runner.JobKind;
import dev.lensgate.core.runner.LensMapping;
import dev.lensgate.core.runner.RunnerFrame;
import dev.lensgate.testkit.TestDatabase;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/** Test jobs over an {@code items(id, name)} table. */
final class Jobs {
  static final ObjectMapper JSON = new ObjectMapper();
  static final LensSchema ITEMS = new LensSchema("items", null, "items", "id",
      List.of(new LensField("id", "id", FieldType.INTEGER), new LensField("title", "name", FieldType.STRING)));

  private Jobs() {}

  static void createItems(TestDatabase db, int rows) {
    // H2 folds unquoted names to upper case; the runner's SQL quotes the lens's lower-case names.
    boolean h2 = db.kind() == TestDatabase.Kind.H2;
    db.execute(h2 ? "CREATE TABLE \"items\" (\"id\" INTEGER PRIMARY KEY, \"name\" VARCHAR(100))"
        : "CREATE TABLE items (id INTEGER PRIMARY KEY, name VARCHAR(100))");
    StringBuilder sql = new StringBuilder(h2 ? "INSERT INTO \"items\" (\"id\", \"name\") VALUES " : "INSERT INTO items (id, name) VALUES ");
    for (int i = 1; i <= rows; i++) {
      sql.append(i > 1 ? "," : "").append("(").append(i).append(", 'item ").append(i).append("')");
    }
    db.execute(sql.toString());
  }

  static JsonNode spec(String where, int limit) {
    try {
      return JSON.readTree("{\"lens\":\"items\",\"where\":" + where + ",\"orderBy\":[{\"field\":\"id\",\"dir\":\"asc\"}],"
          + "\"limit\":" + limit + ",\"offset\":0,\"select\":[\"id\",\"title\"]}");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static JobCredentials credentials(TestDatabase db) {
    return new JobCredentials(db.jdbcUrl(), db.user(), SecretBytes.fromUtf8(db.password()));
  }

  static RunnerFrame.Job query(String id, String source, JsonNode spec, Optional<JobCredentials> creds, long deadlineMillis) {
    return new RunnerFrame.Job(id, JobKind.QUERY, source, LensMapping.of(ITEMS), spec, creds, deadlineMillis);
  }

  static RunnerFrame.Job query(String id, TestDatabase db) {
    return query(id, "main", spec("{}", 10), Optional.of(credentials(db)), 30_000);
  }

  static CompletableFuture<RunnerFrame> submit(JobHandler h, RunnerFrame.Job job) {
    CompletableFuture<RunnerFrame> f = new CompletableFuture<>();
    h.submit(job, f::complete);
    return f;
  }

  /** Polls a condition (not a timing assertion: only a liveness bound). */
  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long end = System.nanoTime() + 20_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }
}
