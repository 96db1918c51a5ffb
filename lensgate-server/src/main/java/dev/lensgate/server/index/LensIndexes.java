package dev.lensgate.server.index;

import dev.lensgate.core.config.LensConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The registry of lens indexes of one gateway: one {@link LensIndex} per (environment id, lens
 * name) under {@code <root>/<envId>/<lens>/}, opened lazily on first use and closed with the
 * registry (the gateway owns it). Nothing is shared between environments: two environments with a
 * lens of the same name have two directories and two indexes. Thread-safe.
 */
public final class LensIndexes implements AutoCloseable {
  /** Environment ids and lens names become directory names: only these characters. */
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-]{1,128}");

  private final Path root;
  private final Map<Key, LensIndex> open = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private record Key(String envId, String lens) {}

  /** @param root usually {@code <dataDir>/index} */
  public LensIndexes(Path root) {
    this.root = Objects.requireNonNull(root, "root");
  }

  public Path root() {
    return root;
  }

  /**
   * The writer of {@code lens} in environment {@code envId} (sync and ingest); documents are
   * encoded with this lens's schema.
   */
  public LensIndexWriter writer(String envId, LensConfig lens) {
    return index(envId, lens);
  }

  /**
   * The writer of lens {@code lens} by name, for counts, hashes and ids (tests, status). Writing
   * or reading rows needs the schema: it fails until the index was opened with its
   * {@link LensConfig} once in this process.
   */
  public LensIndexWriter writer(String envId, String lens) {
    return index(envId, lens);
  }

  /** The index of (envId, lens), opened on first use; its schema becomes {@code lens}'s. */
  public LensIndex index(String envId, LensConfig lens) {
    LensIndex index = index(envId, lens.name());
    index.useSchema(lens.schema());
    return index;
  }

  /** The index of (envId, lens), opened on first use. */
  public LensIndex index(String envId, String lens) {
    if (closed) {
      throw new IllegalStateException("the index registry is closed");
    }
    Key key = new Key(segment(envId, "environment id"), segment(lens, "lens name"));
    return open.computeIfAbsent(key, k -> LensIndex.open(root.resolve(k.envId()).resolve(k.lens())));
  }

  /** The index of (envId, lens) if it was opened already in this process. */
  public Optional<LensIndex> ifOpen(String envId, String lens) {
    return Optional.ofNullable(open.get(new Key(envId, lens)));
  }

  @Override
  public void close() {
    closed = true;
    List<LensIndex> all = new ArrayList<>(open.values());
    open.clear();
    for (LensIndex index : all) {
      index.close();
    }
  }

  private static String segment(String value, String what) {
    if (value == null || !SEGMENT.matcher(value).matches()) {
      throw new IllegalArgumentException("invalid " + what + " for an index directory");
    }
    return value;
  }
}
