package dev.lensgate.server.index;

/**
 * Names of the index's own fields. They contain a dot, which no lens field name can
 * ({@link dev.lensgate.core.lens.LensField#IDENTIFIER}), so they never collide with a declared
 * field encoded for filtering.
 */
public final class IndexFields {
  /** The primary key value as text: indexed untokenized, stored. */
  public static final String ID = "lg.id";
  /** The keyword text (searchable fields repeated by weight): tokenized, BM25, not stored. */
  public static final String TEXT = "lg.text";
  /** The unit-length embedding of the text. */
  public static final String VECTOR = "lg.vector";
  /** The record's content hash, stored. */
  public static final String HASH = "lg.hash";
  /** The declared fields as the read path returned them, stored ({@link StoredRows}). */
  public static final String ROW = "lg.row";
  /** Commit user-data key: the embedder id a generation was built with. */
  static final String EMBEDDER_COMMIT_KEY = "lensgate.embedder";

  private IndexFields() {}
}
