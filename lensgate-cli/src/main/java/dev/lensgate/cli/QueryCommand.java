package dev.lensgate.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lensgate.client.Direction;
import dev.lensgate.client.LensgateApiException;
import dev.lensgate.client.LensgateClient;
import dev.lensgate.client.Query;
import dev.lensgate.client.QueryResult;
import dev.lensgate.client.Row;
import dev.lensgate.client.Where;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lensgate query LENS}: calls {@code POST /v1/query/:lens}. A table on a terminal, one JSON
 * object per line when piped. The API key comes from {@code LENSGATE_API_KEY} or a file, never argv.
 */
@Command(name = "query", mixinStandardHelpOptions = true, description = "Queries a lens over the HTTP API.")
final class QueryCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Parameters(index = "0", description = "Lens name.")
  String lens;

  @Option(names = "--where", description = "Filter as JSON, e.g. '{\"category\":\"kitchen\"}'.")
  String where;

  @Option(names = "--order-by", description = "field or field:desc (repeatable).")
  List<String> orderBy = new ArrayList<>();

  @Option(names = "--limit", description = "Rows per page (1-1000, default 100).")
  Integer limit;

  @Option(names = "--offset", description = "Rows to skip.")
  Integer offset;

  @Option(names = "--cursor", description = "nextCursor of a previous page.")
  String cursor;

  @Option(names = "--select", split = ",", description = "Fields to return.")
  List<String> select = new ArrayList<>();

  @Option(names = "--url", defaultValue = "${env:LENSGATE_URL:-http://127.0.0.1:8080}", description = "Gateway URL (default: ${DEFAULT-VALUE}).")
  String url;

  @Option(names = "--key-file", description = "File holding the API key (default: $LENSGATE_API_KEY).")
  Path keyFile;

  @Option(names = "--user-token-file", description = "File holding an end-user JWT (default: $LENSGATE_USER_TOKEN).")
  Path userTokenFile;

  @Option(names = "--json", description = "Print one JSON object per row even on a terminal.")
  boolean json;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    String key = secret(keyFile, "LENSGATE_API_KEY");
    if (key == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "set LENSGATE_API_KEY or pass --key-file");
    }
    LensgateClient client = LensgateClient.builder().baseUrl(url).apiKey(key).build();
    String user = secret(userTokenFile, "LENSGATE_USER_TOKEN");
    if (user != null) {
      client = client.withUser(user);
    }
    Query q = buildQuery();
    PrintWriter out = spec.commandLine().getOut();
    try {
      QueryResult result = client.query(lens, q);
      if (json || System.console() == null) {
        for (Row row : result.rows()) {
          out.println(JSON.writeValueAsString(row.asMap()));
        }
      } else {
        Table.print(out, result.rows());
        out.println("(" + result.rows().size() + " rows" + result.nextCursor().map(c -> "; more: --cursor " + c).orElse("") + ")");
      }
      out.flush();
      return 0;
    } catch (LensgateApiException e) {
      throw new CliFailure("HTTP " + e.status() + " " + e.code() + ": " + e.errorMessage());
    }
  }

  private Query buildQuery() {
    Query q = Query.all();
    if (where != null) {
      try {
        Map<String, Object> parsed = JSON.readValue(where, new TypeReference<LinkedHashMap<String, Object>>() {});
        q = Query.where(Where.raw(parsed));
      } catch (IOException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--where is not a JSON object");
      }
    }
    for (String o : orderBy) {
      int colon = o.lastIndexOf(':');
      boolean desc = colon > 0 && o.substring(colon + 1).equalsIgnoreCase("desc");
      String field = colon > 0 ? o.substring(0, colon) : o;
      q = q.orderBy(field, desc ? Direction.DESC : Direction.ASC);
    }
    if (limit != null) {
      q = q.limit(limit);
    }
    if (offset != null) {
      q = q.offset(offset);
    }
    if (cursor != null) {
      q = q.cursor(cursor);
    }
    if (!select.isEmpty()) {
      q = q.select(select.toArray(new String[0]));
    }
    return q;
  }

  private static String secret(Path file, String envName) throws IOException {
    if (file != null) {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    }
    String v = System.getenv(envName);
    return v == null || v.isBlank() ? null : v.strip();
  }
}
