package dev.lensgate.server.index;

/**
 * Names of the index's own fields. They do not start with {@code f.}, so they never collide with
 * the filter fields and stored row {@link dev.lensgate.core.index.LensDocuments} writes for the
 * declared fields ({@link dev.lensgate.core.index.LensDocuments#isReserved}).
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
  /** Commit user-data key: the embedder id a generation was built with. */
  static final String EMBEDDER_COMMIT_KEY = "lensgate.embedder";
  /** Commit user-data key: the {@link SchemaFingerprint} a generation's documents were written with. */
  static final String SCHEMA_COMMIT_KEY = "lensgate.schema";

  private IndexFields() {}
}
