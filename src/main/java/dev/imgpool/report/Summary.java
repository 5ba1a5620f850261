package dev.imgpool.report;

import dev.imgpool.task.Status;
import dev.imgpool.task.TaskResult;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Counts per status and totals of a run.
 *
 * @param files results in all
 * @param ok files made
 * @param skipped files left as they were
 * @param failed files that failed
 * @param timeout files over the per-file limit
 * @param cancelled files dropped by a cancel
 * @param bytesIn input bytes of the files made
 * @param bytesOut output bytes written
 * @param millis wall time of the run
 * @param exitCode the process exit code
 */
public record Summary(
    long files, long ok, long skipped, long failed, long timeout, long cancelled, long bytesIn, long bytesOut,
    long millis, int exitCode) {

  /** "120 files: 117 ok, 2 failed, 1 cancelled in 4.2 s", leaving out the zero counts. */
  public String toSentence() {
    StringBuilder out = new StringBuilder();
    out.append(files).append(files == 1 ? " file: " : " files: ");
    Map<Status, Long> counts = counts();
    boolean first = true;
    for (Map.Entry<Status, Long> entry : counts.entrySet()) {
      if (entry.getValue() == 0 && entry.getKey() != Status.OK) {
        continue;
      }
      if (!first) {
        out.append(", ");
      }
      out.append(entry.getValue()).append(' ').append(entry.getKey().word());
      first = false;
    }
    out.append(String.format(Locale.ROOT, " in %.1f s", millis / 1000.0));
    return out.toString();
  }

  public Map<Status, Long> counts() {
    Map<Status, Long> counts = new EnumMap<>(Status.class);
    counts.put(Status.OK, ok);
    counts.put(Status.SKIPPED, skipped);
    counts.put(Status.FAILED, failed);
    counts.put(Status.TIMEOUT, timeout);
    counts.put(Status.CANCELLED, cancelled);
    return counts;
  }

  /** Accumulates a summary from results as they arrive. Not thread-safe. */
  public static final class Builder {
    private final long[] counts = new long[Status.values().length];
    private long bytesIn;
    private long bytesOut;

    public void add(TaskResult result) {
      counts[result.status().ordinal()]++;
      if (result.status() == Status.OK) {
        bytesIn += Math.max(0, result.bytesIn());
        bytesOut += result.outputs().stream().mapToLong(output -> output.bytes()).sum();
      }
    }

    public long count(Status status) {
      return counts[status.ordinal()];
    }

    public long total() {
      long total = 0;
      for (long count : counts) {
        total += count;
      }
      return total;
    }

    public Summary build(long millis, int exitCode) {
      return new Summary(
          total(), count(Status.OK), count(Status.SKIPPED), count(Status.FAILED), count(Status.TIMEOUT),
          count(Status.CANCELLED), bytesIn, bytesOut, millis, exitCode);
    }
  }
}
