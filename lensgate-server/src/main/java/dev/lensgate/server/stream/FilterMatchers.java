package dev.lensgate.server.stream;

import dev.lensgate.core.config.LensConfig;
import dev.lensgate.core.where.Filter;
import java.util.Optional;

/** {@link MatcherFactory} over the hub's {@link FilterMatcher} (so the hub can index by equality). */
final class FilterMatchers implements MatcherFactory {
  @Override
  public RowMatcher matcher(LensConfig lens, Optional<Filter> ruleFilter, Filter where, Optional<String> recordId) {
    return recordId.isPresent()
        ? FilterMatcher.forRecord(lens.schema(), ruleFilter, Optional.of(where), recordId.get())
        : FilterMatcher.of(ruleFilter, Optional.of(where));
  }
}
