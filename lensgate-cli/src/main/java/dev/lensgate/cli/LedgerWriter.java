package dev.lensgate.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lensgate.server.store.RunnerJobRow;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/** Writes ledger rows as they are read, so an export never holds the whole window. */
sealed interface LedgerWriter extends AutoCloseable {
  void write(RunnerJobRow row, String envSlug);

  /** Ends the document (the JSON array's bracket); the writer itself stays open. */
  @Override
  void close();

  /** A header row, then one RFC 4180 line per job. */
  final class Csv implements LedgerWriter {
    private final PrintWriter out;

    Csv(PrintWriter out) {
      this.out = out;
      out.print(LedgerCommand.CSV_HEADER + "\n");
    }

    @Override
    public void write(RunnerJobRow row, String envSlug) {
      out.print(LedgerCommand.csvLine(row, envSlug) + "\n");
    }

    @Override
    public void close() {
      out.flush();
    }
  }

  /** One indented JSON array of objects, streamed element by element. */
  final class Json implements LedgerWriter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonGenerator generator;

    Json(PrintWriter out) {
      try {
        generator = JSON.getFactory().createGenerator(out).useDefaultPrettyPrinter()
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        generator.writeStartArray();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void write(RunnerJobRow row, String envSlug) {
      ObjectNode o = JSON.createObjectNode();
      LedgerCommand.json(row, envSlug, o);
      try {
        generator.writeTree(o);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() {
      try {
        generator.writeEndArray();
        generator.writeRaw('\n');
        generator.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
