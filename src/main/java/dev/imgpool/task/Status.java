package dev.imgpool.task;

import java.util.Locale;

/** The outcome of one task, as written in the report. */
public enum Status {
  OK,
  SKIPPED,
  FAILED,
  TIMEOUT,
  CANCELLED;

  /** The lower-case word used in reports and summaries. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Status fromWord(String word) {
    return valueOf(word.toUpperCase(Locale.ROOT));
  }
}
