package dev.imgpool.report;

import dev.imgpool.task.Status;
import dev.imgpool.task.TaskResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Merges JSON Lines reports (one per shard, say) into one: every file line is passed on in the
 * order read, counted, and fed to the page; an input already seen in an earlier report is
 * flagged as a duplicate (a warning on stderr, a count, a mark on the page) but kept, since
 * nothing tells which of the two results is right. The merged summary counts every line; its
 * wall time is the longest of the reports' (shards run side by side), and its exit code is 0
 * when every file was ok or skipped, else 1.
 *
 * <p>Memory: a fingerprint per input (see {@link InputSet}) plus what the page keeps.
 *
 * <p>Not thread-safe.
 */
public final class ReportMerge {
  /** Duplicate warnings printed one by one; past this, only their number. */
  static final int DUPLICATES_SHOWN = 20;

  private final PrintStream err;
  private final Optional<JsonLinesReport> merged;
  private final Optional<HtmlReport> page;
  private final Summary.Builder counts = new Summary.Builder();
  private final InputSet seen = new InputSet();
  private final List<String> names = new ArrayList<>();
  private long duplicates;
  private long longestMillis;
  private final List<String> unfinished = new ArrayList<>();

  /**
   * @param err where warnings go
   * @param merged where the merged lines go, if anywhere
   * @param page the page to feed, if any
   */
  public ReportMerge(PrintStream err, Optional<JsonLinesReport> merged, Optional<HtmlReport> page) {
    this.err = Objects.requireNonNull(err, "err");
    this.merged = Objects.requireNonNull(merged, "merged");
    this.page = Objects.requireNonNull(page, "page");
  }

  /**
   * Reads one report to its end.
   *
   * @throws IOException when the report cannot be read or holds a line that is not a report line
   * @throws UncheckedIOException when the merged report cannot be written
   */
  public void add(BufferedReader reader, String name) throws IOException {
    int index = names.size();
    names.add(name);
    boolean[] summarized = {false};
    ReportReader.read(reader, name, new ReportReader.Handler() {
      @Override
      public void result(TaskResult result) {
        int earlier = seen.add(result.input(), index);
        boolean duplicate = earlier >= 0;
        if (duplicate) {
          duplicates++;
          if (duplicates <= DUPLICATES_SHOWN) {
            err.println("imgpool: duplicate input " + result.input() + " in " + name + ", already in "
                + names.get(earlier));
          }
        }
        counts.add(result);
        if (merged.isPresent()) {
          try {
            merged.get().write(result);
          } catch (IOException e) {
            // Told apart from a read failure by the caller: see add's Javadoc.
            throw new UncheckedIOException(e);
          }
        }
        if (page.isPresent()) {
          page.get().add(result, duplicate);
        }
      }

      @Override
      public void summary(Summary summary) {
        summarized[0] = true;
        longestMillis = Math.max(longestMillis, summary.millis());
      }
    });
    if (!summarized[0]) {
      unfinished.add(name);
      err.println("imgpool: " + name + " has no summary line: its run did not finish, so files may be missing");
    }
  }

  /** Ends the merge: writes the merged summary line and returns the merged summary. */
  public Summary finish() throws IOException {
    if (duplicates > DUPLICATES_SHOWN) {
      err.println("imgpool: " + (duplicates - DUPLICATES_SHOWN) + " more duplicate inputs not listed");
    }
    if (duplicates > 0) {
      err.println("imgpool: " + duplicates + (duplicates == 1 ? " input appears" : " inputs appear")
          + " in more than one report; each copy is kept and counted");
    }
    long problems = counts.count(Status.FAILED) + counts.count(Status.TIMEOUT) + counts.count(Status.CANCELLED);
    Summary summary = counts.build(longestMillis, problems > 0 ? 1 : 0);
    if (merged.isPresent()) {
      merged.get().writeSummary(summary);
    }
    if (page.isPresent()) {
      page.get().note("Merged from " + names.size() + (names.size() == 1 ? " report: " : " reports: ")
          + String.join(", ", names) + ". Wall time is the longest report's.");
      if (!unfinished.isEmpty()) {
        page.get().note("Without a summary line (their runs did not finish): " + String.join(", ", unfinished) + ".");
      }
    }
    return summary;
  }

  /** Inputs seen in more than one report (each extra copy counts once). */
  public long duplicates() {
    return duplicates;
  }
}
