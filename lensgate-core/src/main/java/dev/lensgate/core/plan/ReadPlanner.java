package dev.lensgate.core.plan;

import dev.lensgate.core.lens.LensSchema;
import dev.lensgate.core.where.Filter;
import dev.lensgate.core.where.Filters;
import dev.lensgate.core.where.WhereParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns a validated {@link QueryRequest} plus the caller's rule filter into a {@link ReadSpec}:
 * parses the client where, ANDs the rule filter in front of it (the client cannot remove or
 * override it: a where can only narrow a conjunction), appends the primary key as the last sort
 * key, resolves {@code select}, and verifies a client cursor against exactly this query.
 *
 * <p>Thread-safe.
 */
public final class ReadPlanner {
  private final CursorCodec codec;

  public ReadPlanner(CursorCodec codec) {
    this.codec = Objects.requireNonNull(codec, "codec");
  }

  /**
   * @param ruleFilter the filter from the caller's access rule, if any
   * @param envId the environment the request belongs to (cursors are bound to it)
   * @throws dev.lensgate.core.error.LensgateException {@code UNKNOWN_FIELD},
   *     {@code UNSUPPORTED_OPERATOR}, {@code INVALID_REQUEST} or {@code INVALID_CURSOR}
   */
  public ReadSpec plan(QueryRequest req, Optional<Filter> ruleFilter, LensSchema lens, String envId) {
    Objects.requireNonNull(req, "req");
    Objects.requireNonNull(ruleFilter, "ruleFilter");
    Objects.requireNonNull(lens, "lens");
    Objects.requireNonNull(envId, "envId");
    Filter client = WhereParser.parse(req.where(), lens);
    Filter merged = Filters.and(ruleFilter.orElse(Filters.matchAll()), client);
    List<SortKey> order = withTieBreaker(req.orderBy(), lens);
    List<String> select = req.select().isEmpty() ? new ArrayList<>(lens.fields().keySet()) : req.select();
    int offset = req.offset() == null ? 0 : req.offset();
    ReadSpec spec;
    try {
      spec = new ReadSpec(lens.name(), merged, order, req.limit(), offset, Optional.empty(), select);
    } catch (IllegalArgumentException e) {
      // Only reachable for a QueryRequest built in code with duplicate names; parse() rejects them.
      throw QueryRequest.invalid("invalid query: " + e.getMessage());
    }
    spec.validate(lens);
    if (req.cursor() == null) {
      return spec;
    }
    return spec.withAfter(codec.decode(req.cursor(), envId, spec, lens));
  }

  /** Signs the next cursor for a page a source (direct JDBC or a runner) returned for {@code spec}. */
  public ReadResult complete(ReadSpec spec, ReadPage page, String envId) {
    Objects.requireNonNull(envId, "envId");
    Optional<String> next = page.next().map(p -> codec.encode(envId, spec, p));
    return new ReadResult(page.rows(), next);
  }

  static List<SortKey> withTieBreaker(List<SortKey> requested, LensSchema lens) {
    List<SortKey> order = new ArrayList<>(requested.size() + 1);
    boolean hasPk = false;
    for (SortKey k : requested) {
      if (lens.field(k.field()).isEmpty()) {
        throw WhereParser.unknownField(k.field());
      }
      hasPk |= k.field().equals(lens.primaryKey());
      order.add(k);
    }
    if (!hasPk) {
      order.add(SortKey.asc(lens.primaryKey()));
    }
    return order;
  }
}
