package dev.lensgate.cli;

import java.io.PrintWriter;

/**
 * Sync progress on stderr: on a terminal one bar redrawn in place ({@code \r}); otherwise one
 * {@code NN%} line per 10 % step, so logs stay short. An unknown total (0) shows the row count only.
 */
final class ProgressBar {
  private static final int WIDTH = 30;
  private final PrintWriter err;
  private final boolean terminal;
  private int lastStep = -1;
  private boolean drawn;

  ProgressBar(PrintWriter err, boolean terminal) {
    this.err = err;
    this.terminal = terminal;
  }

  void show(long done, long total) {
    int percent = total <= 0 ? -1 : (int) Math.min(100, done * 100 / Math.max(1, Math.max(total, done)));
    if (terminal) {
      String bar = percent < 0 ? "" : "[" + "#".repeat(percent * WIDTH / 100)
          + " ".repeat(WIDTH - percent * WIDTH / 100) + "] " + percent + "% ";
      err.print("\r" + bar + done + (total > 0 ? "/" + total : "") + " rows");
      err.flush();
      drawn = true;
      return;
    }
    int step = percent < 0 ? -1 : percent / 10;
    if (step > lastStep) {
      lastStep = step;
      err.println(percent + "% (" + done + "/" + total + " rows)");
      err.flush();
    }
  }

  void finish() {
    if (terminal && drawn) {
      err.println();
      err.flush();
    }
  }
}
