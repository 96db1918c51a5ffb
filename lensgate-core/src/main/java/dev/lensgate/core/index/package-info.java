/**
 * The search index's view of a lens: {@link dev.lensgate.core.index.LensDocuments} (how a row is
 * written to and read back from a Lucene document, and which field names are the index's own) and
 * {@link dev.lensgate.core.index.LuceneFilterCompiler} (the third compiler of the {@code where}
 * AST, selecting exactly what {@link dev.lensgate.core.where.InMemoryPredicate} and the SQL
 * compiler select). No I/O here: the index itself lives in the server.
 *
 * <p>Typical use by an index writer and a search engine:
 * <pre>{@code
 * LensDocuments documents = new LensDocuments(lens);
 * Document doc = documents.document(row);            // filter fields + exact stored row
 * doc.add(new StringField(LensDocuments.ID_FIELD, id, Field.Store.YES)); // the index's own fields
 * ...
 * Query filter = LuceneFilterCompiler.compile(Filters.and(ruleFilter, where), lens);
 * TopDocs top = searcher.search(new KnnFloatVectorQuery(LensDocuments.VECTOR_FIELD, vector, k, filter), k);
 * Map<String, Object> stored = documents.readRow(searcher.storedFields(), top.scoreDocs[0].doc);
 * }</pre>
 */
package dev.lensgate.core.index;
