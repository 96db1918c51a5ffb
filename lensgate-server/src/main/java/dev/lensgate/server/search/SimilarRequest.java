package dev.lensgate.server.search;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lensgate.core.config.LensConfig;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.where.FieldValues;
import dev.lensgate.core.where.Filter;
import dev.lensgate.core.where.SafeText;
import dev.lensgate.core.where.WhereParser;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The body of {@code POST /v1/similar/:lens} (CONTRACT §4), validated: {@code id} (the seed's
 * primary key as a JSON string or number, coerced to the key's type like a where value),
 * {@code limit} (1..100, default 10), {@code minScore} (0..1, default 0), {@code fields?} (a
 * non-empty list of the lens's searchable fields: the similarity basis), {@code where?}.
 *
 * @param id the seed's primary key as index id text ({@link FieldValues#toText})
 * @param fields the searchable fields to compare on; empty means all of them
 */
public record SimilarRequest(String id, JsonNode rawId, int limit, double minScore, List<String> fields, Filter where) {
  private static final Set<String> KEYS = Set.of("id", "limit", "minScore", "fields", "where");

  public SimilarRequest {
    Objects.requireNonNull(id, "id");
    fields = List.copyOf(fields);
    Objects.requireNonNull(where, "where");
  }

  public static SimilarRequest parse(JsonNode body, LensConfig lens) {
    RequestFields.onlyKeys(body, KEYS, "similar");
    JsonNode idNode = RequestFields.present(body.get("id"));
    if (idNode == null || !(idNode.isTextual() || idNode.isNumber())) {
      throw RequestFields.invalid("id must be the seed row's primary key, a string or a number");
    }
    String id;
    try {
      dev.lensgate.core.lens.LensField pk = lens.schema().primaryKeyField();
      id = idNode.isNumber() && pk.type() == dev.lensgate.core.lens.FieldType.STRING
          ? idNode.asText()
          : FieldValues.toText(FieldValues.coerce(idNode, pk));
    } catch (LensgateException e) {
      throw RequestFields.invalid("id is not a valid primary key value of this lens");
    }
    int limit = RequestFields.limit(body);
    double minScore = RequestFields.minScore(body);
    List<String> fields = fields(RequestFields.present(body.get("fields")), lens);
    Filter where = RequestFields.where(body, lens.schema());
    return new SimilarRequest(id, idNode, limit, minScore, fields, where);
  }

  private static List<String> fields(JsonNode n, LensConfig lens) {
    if (n == null) {
      return List.of();
    }
    if (!n.isArray() || n.size() == 0) {
      throw RequestFields.invalid("fields must be a non-empty array of searchable field names");
    }
    if (n.size() > lens.schema().fields().size()) {
      throw RequestFields.invalid("fields names more fields than the lens declares");
    }
    Set<String> out = new LinkedHashSet<>();
    for (JsonNode f : n) {
      if (!f.isTextual()) {
        throw RequestFields.invalid("fields must be a non-empty array of searchable field names");
      }
      String name = f.textValue();
      if (lens.schema().field(name).isEmpty()) {
        throw WhereParser.unknownField(name);
      }
      if (!lens.searchableFields().contains(name)) {
        throw RequestFields.invalid("field '" + SafeText.name(name) + "' is not searchable");
      }
      out.add(name);
    }
    return new ArrayList<>(out);
  }
}
