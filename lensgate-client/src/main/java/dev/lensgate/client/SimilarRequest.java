package dev.lensgate.client;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The body of {@code POST /v1/similar/:lens}: rows like the one with {@code id} (which is itself
 * left out of the answer). Immutable; unset parts take the gateway's defaults.
 */
public final class SimilarRequest {
  private final Object id;
  private final Integer limit;
  private final Double minScore;
  private final List<String> fields;
  private final Where where;

  private SimilarRequest(Object id, Integer limit, Double minScore, List<String> fields, Where where) {
    this.id = id;
    this.limit = limit;
    this.minScore = minScore;
    this.fields = fields;
    this.where = where;
  }

  /** Rows similar to the row whose primary key is {@code id}. */
  public static SimilarRequest of(String id) {
    Objects.requireNonNull(id, "id");
    if (id.isBlank()) {
      throw new IllegalArgumentException("id is blank");
    }
    return new SimilarRequest(id, null, null, null, null);
  }

  /** Rows similar to the row whose numeric primary key is {@code id}. */
  public static SimilarRequest of(long id) {
    return new SimilarRequest(id, null, null, null, null);
  }

  public SimilarRequest limit(int limit) {
    return new SimilarRequest(id, checkLimit(limit), minScore, fields, where);
  }

  public SimilarRequest minScore(double minScore) {
    return new SimilarRequest(id, limit, checkMinScore(minScore), fields, where);
  }

  /** Compare on these lens fields only (at least one). */
  public SimilarRequest fields(String... fields) {
    Objects.requireNonNull(fields, "fields");
    if (fields.length == 0) {
      throw new IllegalArgumentException("fields needs at least one field");
    }
    for (String f : fields) {
      Where.checkField(f);
    }
    return new SimilarRequest(id, limit, minScore, List.copyOf(Arrays.asList(fields)), where);
  }

  public SimilarRequest where(Where where) {
    return new SimilarRequest(id, limit, minScore, fields, Objects.requireNonNull(where, "where"));
  }

  Map<String, Object> toBody() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", id);
    Query.putIfSet(body, "limit", limit);
    Query.putIfSet(body, "minScore", minScore);
    Query.putIfSet(body, "fields", fields);
    Query.putIfSet(body, "where", where == null ? null : where.toMap());
    return Collections.unmodifiableMap(body);
  }

  static int checkLimit(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
    return limit;
  }

  static double checkMinScore(double minScore) {
    if (!(minScore >= 0) || Double.isInfinite(minScore)) {
      throw new IllegalArgumentException("minScore must be finite and not negative, was " + minScore);
    }
    return minScore;
  }

  @Override
  public String toString() {
    return "SimilarRequest" + toBody();
  }
}
