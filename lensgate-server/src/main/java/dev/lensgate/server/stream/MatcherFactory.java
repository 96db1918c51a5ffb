package dev.lensgate.server.stream;

import dev.lensgate.core.config.LensConfig;
import dev.lensgate.core.where.Filter;
import java.util.Optional;

/** Builds what one subscription may see: rule filter AND where (AND primary key = recordId for observe). */
@FunctionalInterface
interface MatcherFactory {
  RowMatcher matcher(LensConfig lens, Optional<Filter> ruleFilter, Filter where, Optional<String> recordId);
}
