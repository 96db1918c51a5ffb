package dev.lensgate.server.sync;

import dev.lensgate.server.index.IndexRecord;
import dev.lensgate.server.index.LensIndexWriter;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Adds a full rebuild's batches to the new generation on a thread of its own, so the sync thread
 * embeds batch N+1 while batch N goes into the index (HNSW graph building took as long as a
 * third of the embedding, serially after it, issue 4). The hand-off is bounded to one batch: each
 * {@link #add} first waits for the previous one, and a failed add is rethrown by the next
 * {@link #add} or by {@link #finish}, so a failure on either side fails the sync before the swap
 * and the old generation keeps serving.
 */
final class RebuildFeeder implements AutoCloseable {
  private final LensIndexWriter.Rebuild rebuild;
  private final ExecutorService adder;
  private Future<?> inFlight;

  RebuildFeeder(LensIndexWriter.Rebuild rebuild) {
    this.rebuild = rebuild;
    this.adder = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "lensgate-index-add");
      t.setDaemon(true);
      return t;
    });
  }

  /** Waits for the previous batch (rethrowing its failure), then starts adding {@code records}. */
  void add(List<IndexRecord> records) {
    awaitInFlight();
    inFlight = adder.submit(() -> rebuild.add(records));
  }

  /** Waits until every batch is added; rethrows a failed add. */
  void finish() {
    awaitInFlight();
  }

  private void awaitInFlight() {
    Future<?> f = inFlight;
    if (f == null) {
      return;
    }
    inFlight = null;
    try {
      f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while adding a batch to the rebuild", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      if (cause instanceof Error) {
        throw (Error) cause;
      }
      throw new IllegalStateException("adding a batch to the rebuild failed", cause);
    }
  }

  /**
   * Lets a batch still being added finish (its failure no longer matters: the sync is failing
   * already or has finished) before the rebuild is swapped in or discarded, then stops the thread.
   */
  @Override
  public void close() {
    Future<?> f = inFlight;
    inFlight = null;
    boolean interrupted = false;
    if (f != null) {
      while (true) {
        try {
          f.get();
          break;
        } catch (InterruptedException e) {
          interrupted = true; // the add holds the index lock briefly; wait it out, then restore
        } catch (ExecutionException e) {
          break;
        }
      }
    }
    adder.shutdown();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
