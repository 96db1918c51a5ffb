package dev.lensgate.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lensgate.client.ChangeEvent;
import dev.lensgate.client.CloseReason;
import dev.lensgate.client.Row;
import dev.lensgate.client.SubscriptionListener;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Prints what a live subscription delivers as NDJSON on stdout ({@code {"kind","record"}} per
 * change, {@code {"record"}} for observe's current state) and its interruptions on stderr;
 * {@link #closed()} completes with the final reason, or with none once {@code --limit} changes
 * were printed.
 */
final class StreamPrinter implements SubscriptionListener {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final PrintWriter out;
  private final PrintWriter err;
  private final CompletableFuture<Optional<CloseReason>> closed = new CompletableFuture<>();
  private final long limit;
  /** Callbacks of one subscription run one at a time (SubscriptionListener), so a plain field. */
  private long printed;

  /** @param limit stop after this many changes; 0 = never */
  StreamPrinter(PrintWriter out, PrintWriter err, long limit) {
    this.out = out;
    this.err = err;
    this.limit = limit;
  }

  CompletableFuture<Optional<CloseReason>> closed() {
    return closed;
  }

  @Override
  public void onEvent(ChangeEvent event) {
    if (closed.isDone()) {
      return;
    }
    ObjectNode line = JSON.createObjectNode();
    line.put("kind", event.kind().wire());
    line.set("record", JSON.valueToTree(event.record().asMap()));
    print(line);
    if (limit > 0 && ++printed >= limit) {
      closed.complete(Optional.empty());
    }
  }

  @Override
  public void onRecord(Optional<Row> record) {
    ObjectNode line = JSON.createObjectNode();
    if (record.isPresent()) {
      line.set("record", JSON.valueToTree(record.get().asMap()));
    } else {
      line.putNull("record");
    }
    print(line);
  }

  @Override
  public void onReconnecting(CloseReason reason) {
    err.println("lensgate: stream interrupted (" + reason.code() + "), reconnecting");
    err.flush();
  }

  @Override
  public void onResumed() {
    err.println("lensgate: stream resumed (changes while it was down are not replayed)");
    err.flush();
  }

  @Override
  public void onClosed(CloseReason reason) {
    closed.complete(Optional.of(reason));
  }

  private void print(ObjectNode line) {
    try {
      synchronized (out) {
        out.println(JSON.writeValueAsString(line));
        out.flush();
      }
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render JSON", e);
    }
  }

  /** Waits for the end: 0 after {@code --limit} changes, else the failure (exit 1) with the gateway's code. */
  static int await(StreamPrinter printer) {
    Optional<CloseReason> ended = printer.closed().join();
    if (ended.isEmpty() || ended.get().byClient()) {
      return 0;
    }
    CloseReason reason = ended.get();
    throw new CliFailure("stream closed: " + reason.code() + reason.messageText().map(m -> " (" + m + ")").orElse(""));
  }
}
