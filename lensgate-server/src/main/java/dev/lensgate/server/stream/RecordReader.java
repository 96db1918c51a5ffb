package dev.lensgate.server.stream;

import dev.lensgate.core.config.LensConfig;
import java.util.Map;
import java.util.Optional;

/** The stored row of one record, read from the lens index (never the database), for observe. */
@FunctionalInterface
public interface RecordReader {
  Optional<Map<String, Object>> read(String envId, LensConfig lens, String recordId);
}
