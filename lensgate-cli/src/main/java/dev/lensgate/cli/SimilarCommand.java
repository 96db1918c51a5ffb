package dev.lensgate.cli;

import dev.lensgate.client.LensgateApiException;
import dev.lensgate.client.SearchResult;
import dev.lensgate.client.SimilarRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lensgate similar LENS ID [--limit] [--min-score] [--fields] [--where]}: calls
 * {@code POST /v1/similar/:lens} (the seed row itself is never in the answer). An all-digit ID is
 * sent as a number, anything else as a string. A table on a terminal, NDJSON when piped.
 */
@Command(name = "similar", mixinStandardHelpOptions = true, description = "Finds rows similar to one row of a lens.")
final class SimilarCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "Lens name.")
  String lens;

  @Parameters(index = "1", description = "Primary key of the seed row.")
  String id;

  @Option(names = "--limit", description = "Results (1-100, default 10).")
  Integer limit;

  @Option(names = "--min-score", description = "Drop results scoring below this (0-1).")
  Double minScore;

  @Option(names = "--fields", split = ",", description = "Searchable fields to compare on.")
  List<String> fields = new ArrayList<>();

  @Option(names = "--where", description = "Filter as JSON, e.g. '{\"category\":\"kitchen\"}'.")
  String where;

  @Mixin
  ApiOptions api;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    SimilarRequest request = request();
    try {
      SearchResult result = api.client(spec.commandLine()).similar(lens, request);
      SearchOutput.warnIndexState(spec.commandLine().getErr(), result.meta());
      SearchOutput.print(spec.commandLine().getOut(), result, api.ndjson());
      return 0;
    } catch (LensgateApiException e) {
      throw new CliFailure("HTTP " + e.status() + " " + e.code() + ": " + e.errorMessage());
    }
  }

  SimilarRequest request() {
    SimilarRequest r;
    try {
      r = id.matches("-?[0-9]{1,18}") ? SimilarRequest.of(Long.parseLong(id)) : SimilarRequest.of(id);
      if (limit != null) {
        r = r.limit(limit);
      }
      if (minScore != null) {
        r = r.minScore(minScore);
      }
      if (!fields.isEmpty()) {
        r = r.fields(fields.toArray(new String[0]));
      }
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    if (where != null) {
      r = r.where(SearchCommand.where(spec.commandLine(), where));
    }
    return r;
  }
}
