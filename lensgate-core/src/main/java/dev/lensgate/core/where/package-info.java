/**
 * The {@code where} language (CONTRACT §4): one AST ({@link dev.lensgate.core.where.Filter}), one
 * bounded parser ({@link dev.lensgate.core.where.WhereParser}), and compilers that must select the
 * same rows, because a rule filter is a security boundary: SQL
 * ({@link dev.lensgate.core.where.SqlFilterCompiler}) and in-memory
 * ({@link dev.lensgate.core.where.InMemoryPredicate}); the search index compiler lives with the
 * index.
 *
 * <h2>Semantics every compiler implements</h2>
 * <ul>
 *   <li>SQL three-valued logic: comparing with NULL is UNKNOWN, NOT UNKNOWN is UNKNOWN, only TRUE
 *       selects. {@code $ne}/{@code $nin} do not match NULL; {@code {f: null}} and
 *       {@code $exists} test for NULL.</li>
 *   <li>Strings are compared exactly (binary; no case, accent or trailing-space folding, whatever
 *       the column's collation) and ordered by Unicode code point.</li>
 *   <li>{@code $like}: {@code %} and {@code _} wildcards, {@code \} escapes, case-sensitive.
 *       {@code $ilike}: the same with ASCII letters A–Z folded to a–z on both sides; other letters
 *       compare exactly (the one definition all databases can implement identically).
 *       {@code $contains/$startsWith/$endsWith}: literal, case-sensitive substrings.</li>
 *   <li>Values are normalized per field type ({@link dev.lensgate.core.where.FieldValues});
 *       numbers compare numerically.</li>
 * </ul>
 *
 * <h2>Known dialect limits</h2>
 * See {@link dev.lensgate.core.where.SqlColumns}: H2 counts UTF-16 units (differs only with
 * characters outside the BMP), NUMBER fields on floating-point columns compare in floating point
 * on the database, and TIMESTAMP columns must be zone-aware (PostgreSQL, H2) or hold UTC
 * (MariaDB).
 */
package dev.lensgate.core.where;
