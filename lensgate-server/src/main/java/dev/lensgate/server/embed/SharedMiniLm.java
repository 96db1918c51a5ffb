package dev.lensgate.server.embed;

import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import java.nio.file.Path;

/**
 * The process's one copy of the local model, reference-counted: loaded by the first
 * {@link #acquire}, closed when the last holder {@link #release releases} it (a gateway closing
 * while another in the same JVM, e.g. a test, keeps serving must not pull the model from under it).
 *
 * <p>This is the one piece of process-wide mutable state in the embedders, on purpose: the model
 * costs ~130 MB resident (measured) and a few seconds to load, and it has no per-tenant state.
 * All access is synchronized; a failed load (including a native library that cannot link on this
 * platform) is {@code EMBEDDING_FAILED}, not cached, so the next acquire retries.
 */
final class SharedMiniLm {
  static final SharedMiniLm PROCESS = new SharedMiniLm();

  private MiniLmModel model;
  private int holders;

  private SharedMiniLm() {}

  /** The loaded model, loading it on first use; pair every successful call with {@link #release}. */
  synchronized MiniLmModel acquire(Path cacheDir) {
    if (model == null) {
      try {
        model = MiniLmModel.load(cacheDir);
      } catch (Exception | LinkageError e) {
        throw new LensgateException(ErrorCode.EMBEDDING_FAILED,
            "the local embedding model could not be loaded (" + e.getClass().getSimpleName() + ")", e);
      }
    }
    holders++;
    return model;
  }

  synchronized void release(MiniLmModel held) {
    if (held != model || holders == 0) {
      return;
    }
    holders--;
    if (holders == 0) {
      model.close();
      model = null;
    }
  }

  /** For tests: how many embedders hold the model now. */
  synchronized int holders() {
    return holders;
  }
}
