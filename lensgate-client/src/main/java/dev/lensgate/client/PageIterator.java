package dev.lensgate.client;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Pages of one query, fetched lazily: a page is requested only when the consumer asks for it,
 * and the next request carries the previous page's {@code nextCursor} with the same filter, order,
 * size and projection (and no offset). Not thread-safe, like any iterator.
 */
final class PageIterator<P> implements Iterator<P> {
  private final Function<Query, P> fetch;
  private final Function<P, Optional<String>> nextCursor;
  private Query pending; // the next page to fetch; null once the last page was fetched
  private P buffered;

  PageIterator(Query first, Function<Query, P> fetch, Function<P, Optional<String>> nextCursor) {
    this.pending = first;
    this.fetch = fetch;
    this.nextCursor = nextCursor;
  }

  /** The pages as a sequential, lazy stream. */
  static <P> Stream<P> stream(Query first, Function<Query, P> fetch, Function<P, Optional<String>> nextCursor) {
    Iterator<P> pages = new PageIterator<>(first, fetch, nextCursor);
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(pages, Spliterator.ORDERED | Spliterator.NONNULL), false);
  }

  @Override
  public boolean hasNext() {
    if (buffered != null) {
      return true;
    }
    if (pending == null) {
      return false;
    }
    Query current = pending;
    buffered = fetch.apply(current);
    Optional<String> next = nextCursor.apply(buffered);
    if (next.isPresent() && next.get().equals(current.cursorOrNull())) {
      pending = null;
      buffered = null;
      // Following it would request the same page forever.
      throw LensgateTransportException.failed(
          "query paging", "the gateway returned the cursor it was sent", null);
    }
    pending = next.map(current::nextPage).orElse(null);
    return true;
  }

  @Override
  public P next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    P page = buffered;
    buffered = null;
    return page;
  }
}
