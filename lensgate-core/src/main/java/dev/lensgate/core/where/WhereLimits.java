package dev.lensgate.core.where;

/**
 * Bounds on a {@code where} object, checked while parsing and before any per-element work (an
 * oversized array or object is rejected from its size alone).
 *
 * @param maxDepth nesting of logical operators ({@code $and/$or/$not}) and operator objects
 * @param maxNodes filter nodes in the tree
 * @param maxListSize elements of one {@code $in}/{@code $nin} list
 * @param maxValues comparison values in the whole tree (each becomes one bind parameter)
 */
public record WhereLimits(int maxDepth, int maxNodes, int maxListSize, int maxValues) {
  /** What a client may send: depth 16, 256 nodes, lists of 1000, 4096 values in all. */
  public static final WhereLimits CLIENT = new WhereLimits(16, 256, 1000, 4096);

  /**
   * Room for a rule filter ANDed with a client filter, each within {@link #CLIENT}, written in the
   * canonical form of {@link WhereWriter} (which spells every conjunction as {@code $and} and every
   * comparison as an operator object, so it nests up to twice as deep as what a client wrote).
   * Used when a serialized read spec is parsed again (e.g. by a runner).
   */
  public static final WhereLimits MERGED = new WhereLimits(
      2 * (CLIENT.maxDepth() + 1) + 2, 2 * CLIENT.maxNodes() + 1, CLIENT.maxListSize(), 2 * CLIENT.maxValues());

  public WhereLimits {
    if (maxDepth < 1 || maxNodes < 1 || maxListSize < 0 || maxValues < 0) {
      throw new IllegalArgumentException("where limits must be positive");
    }
  }
}
