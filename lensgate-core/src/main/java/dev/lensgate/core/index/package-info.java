/**
 * The search index's view of a lens: {@link dev.lensgate.core.index.LensDocuments} (how a row is
 * written to and read back from a Lucene document, and which field names are reserved) and
 * {@link dev.lensgate.core.index.LuceneFilterCompiler} (the third compiler of the {@code where}
 * AST, selecting exactly what {@link dev.lensgate.core.where.InMemoryPredicate} and the SQL
 * compiler select). No I/O here: the index itself lives in the server.
 */
package dev.lensgate.core.index;
