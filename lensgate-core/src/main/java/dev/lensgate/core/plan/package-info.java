/**
 * Planning and running reads: {@link dev.lensgate.core.plan.QueryRequest} (the client body) →
 * {@link dev.lensgate.core.plan.ReadPlanner} (rule filter ANDed in, primary-key tie-breaker,
 * cursor verified) → {@link dev.lensgate.core.plan.ReadSpec} (plain, serializable data a runner
 * can receive and re-validate) → {@link dev.lensgate.core.plan.JdbcReadExecutor} (one bound
 * {@code SELECT}) → {@link dev.lensgate.core.plan.ReadResult} with an HMAC-signed keyset cursor
 * ({@link dev.lensgate.core.plan.CursorCodec}).
 *
 * <p>Ordering: ascending puts NULLs last, descending puts them first (NULL is the largest value)
 * on every database; strings sort by code point. A cursor continues strictly after the last row
 * of the previous page, so pages never repeat or skip rows, whatever the mix of directions.
 */
package dev.lensgate.core.plan;
