package dev.lensgate.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lensgate.client.LensgateApiException;
import dev.lensgate.client.SearchResult;
import dev.lensgate.client.SearchMode;
import dev.lensgate.client.SearchRequest;
import dev.lensgate.client.Where;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lensgate search LENS "text" [--mode] [--limit] [--min-score] [--where]}: calls
 * {@code POST /v1/search/:lens}. A table on a terminal, one JSON object per result when piped.
 */
@Command(name = "search", mixinStandardHelpOptions = true, description = "Searches a lens over the HTTP API.")
final class SearchCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Parameters(index = "0", description = "Lens name.")
  String lens;

  @Parameters(index = "1", description = "What to search for.")
  String text;

  @Option(names = "--mode", description = "semantic (default), keyword or hybrid.")
  String mode;

  @Option(names = "--limit", description = "Results (1-100, default 10).")
  Integer limit;

  @Option(names = "--min-score", description = "Drop results scoring below this (0-1).")
  Double minScore;

  @Option(names = "--where", description = "Filter as JSON, e.g. '{\"category\":\"kitchen\"}'.")
  String where;

  @Mixin
  ApiOptions api;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    SearchRequest request = request();
    try {
      SearchResult result = api.client(spec.commandLine()).search(lens, request);
      SearchOutput.warnIndexState(spec.commandLine().getErr(), result.meta());
      SearchOutput.print(spec.commandLine().getOut(), result, api.ndjson());
      return 0;
    } catch (LensgateApiException e) {
      throw new CliFailure("HTTP " + e.status() + " " + e.code() + ": " + e.errorMessage());
    }
  }

  SearchRequest request() {
    SearchRequest r;
    try {
      r = SearchRequest.of(text);
      if (mode != null) {
        r = r.mode(mode(mode));
      }
      if (limit != null) {
        r = r.limit(limit);
      }
      if (minScore != null) {
        r = r.minScore(minScore);
      }
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    if (where != null) {
      r = r.where(where(spec.commandLine(), where));
    }
    return r;
  }

  private SearchMode mode(String wire) {
    for (SearchMode m : SearchMode.values()) {
      if (m.wire().equals(wire.toLowerCase(Locale.ROOT))) {
        return m;
      }
    }
    throw new CommandLine.ParameterException(spec.commandLine(), "--mode must be semantic, keyword or hybrid");
  }

  static Where where(CommandLine cmd, String json) {
    try {
      Map<String, Object> parsed = JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
      return Where.raw(parsed);
    } catch (IOException e) {
      throw new CommandLine.ParameterException(cmd, "--where is not a JSON object");
    }
  }
}
