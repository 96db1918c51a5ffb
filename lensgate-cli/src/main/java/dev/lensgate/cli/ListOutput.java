package dev.lensgate.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * The {@code --json} option of the list commands and the printing it selects: aligned
 * {@link Listing} lines (id first) by default, a JSON array of objects with {@code --json}.
 */
final class ListOutput {
  @Option(names = "--json", description = "Print a JSON array instead.")
  boolean json;

  /**
   * Prints {@code items} in the chosen form.
   *
   * @param cells one listing line per item, id first
   * @param fields fills the JSON object of one item
   */
  <T> void print(PrintWriter out, List<T> items, Function<T, String[]> cells, BiConsumer<T, ObjectNode> fields) {
    if (json) {
      ArrayNode array = Listing.newJsonArray();
      for (T item : items) {
        fields.accept(item, array.addObject());
      }
      Listing.printJson(out, array);
    } else {
      Listing listing = new Listing();
      for (T item : items) {
        listing.add(cells.apply(item));
      }
      listing.print(out);
    }
  }
}
