package dev.imgpool.cli;

import dev.imgpool.report.Summary;
import dev.imgpool.task.Status;
import dev.imgpool.task.TaskResult;
import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress on stderr: a redrawn bar on a terminal, a plain line every few seconds otherwise (cron
 * and CI logs), nothing when quiet. Per-file errors are printed as they come unless quiet; with
 * verbose, one line for every file.
 *
 * <p>Used by the collector thread only.
 */
final class Progress implements AutoCloseable {
  private static final long PLAIN_INTERVAL_NANOS = 5_000_000_000L;

  private final PrintStream err;
  private final BatchOptions.Verbosity verbosity;
  private final boolean bar;
  private final boolean plain;
  private final long startNanos = System.nanoTime();
  private long lastPlainNanos = startNanos;
  private ProgressBar progressBar; // created lazily: a run that ends at once draws nothing

  Progress(PrintStream err, BatchOptions.ProgressMode mode, BatchOptions.Verbosity verbosity, boolean terminal) {
    this.err = err;
    this.verbosity = verbosity;
    boolean show = verbosity != BatchOptions.Verbosity.QUIET && mode != BatchOptions.ProgressMode.NEVER;
    this.bar = show && verbosity != BatchOptions.Verbosity.VERBOSE
        && (terminal || mode == BatchOptions.ProgressMode.ALWAYS);
    this.plain = show && !bar && verbosity != BatchOptions.Verbosity.VERBOSE;
  }

  /** One result arrived. {@code total} is -1 while the scan goes on. */
  void onResult(TaskResult result, Summary.Builder counts, long total) {
    if (verbosity == BatchOptions.Verbosity.VERBOSE) {
      err.println(describe(result));
    } else if (isProblem(result.status())) {
      if (progressBar != null) {
        err.print("\r\033[K");
      }
      err.println("imgpool: " + oneLine(result.input()) + ": " + oneLine(result.error()));
    }
    tick(counts, total);
  }

  /** Called now and then even when nothing arrives, so the plain lines keep their rhythm. */
  void tick(Summary.Builder counts, long total) {
    long now = System.nanoTime();
    if (bar) {
      if (progressBar == null && now - startNanos > 300_000_000L) {
        progressBar =
            new ProgressBarBuilder()
                .setTaskName("imgpool")
                .setStyle(ProgressBarStyle.ASCII)
                .setInitialMax(-1)
                .setUpdateIntervalMillis(200)
                .setConsumer(new ConsoleProgressBarConsumer(err))
                .showSpeed()
                .setUnit(" files", 1)
                .build();
      }
      if (progressBar != null) {
        if (total >= 0) {
          progressBar.maxHint(total);
        }
        progressBar.stepTo(counts.total());
        long problems = counts.count(Status.FAILED) + counts.count(Status.TIMEOUT);
        progressBar.setExtraMessage(problems == 0 ? "" : problems + " failed");
      }
    } else if (plain && now - lastPlainNanos >= PLAIN_INTERVAL_NANOS) {
      lastPlainNanos = now;
      double seconds = (now - startNanos) / 1e9;
      err.printf(
          Locale.ROOT,
          "imgpool: %d/%s files, %d ok, %d failed, %.1f files/s%n",
          counts.total(), total >= 0 ? Long.toString(total) : "?", counts.count(Status.OK),
          counts.count(Status.FAILED) + counts.count(Status.TIMEOUT), counts.total() / Math.max(seconds, 1e-3));
    }
  }

  @Override
  public void close() {
    if (progressBar != null) {
      progressBar.close();
      progressBar = null;
    }
  }

  /** A file name may hold a newline; stderr lines stay one per file. */
  private static String oneLine(String text) {
    return text == null ? "" : text.replace("\n", "\\n").replace("\r", "\\r");
  }

  private static boolean isProblem(Status status) {
    return status == Status.FAILED || status == Status.TIMEOUT;
  }

  private static String describe(TaskResult result) {
    StringBuilder line = new StringBuilder(result.status().word()).append(' ').append(oneLine(result.input()));
    if (!result.outputs().isEmpty()) {
      line.append(" -> ").append(result.outputs().get(0).path());
      if (result.outputs().size() > 1) {
        line.append(" (+").append(result.outputs().size() - 1).append(')');
      }
    }
    if (result.error() != null && result.status() != Status.CANCELLED) {
      line.append(": ").append(result.error());
    }
    line.append(" (").append(result.millis()).append(" ms)");
    return line.toString();
  }
}
