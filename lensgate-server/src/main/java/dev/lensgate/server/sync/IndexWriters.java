package dev.lensgate.server.sync;

import dev.lensgate.core.config.LensConfig;
import dev.lensgate.server.index.LensIndexWriter;

/** The index writer of one lens in one environment ({@code dev.lensgate.server.index.LensIndexes::writer}). */
@FunctionalInterface
public interface IndexWriters {
  LensIndexWriter writer(String envId, LensConfig lens);
}
