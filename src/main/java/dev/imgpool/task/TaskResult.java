package dev.imgpool.task;

import java.util.List;
import java.util.Objects;

/**
 * The one result every task yields. Per-file errors are values of this type, never exceptions.
 *
 * @param input the input path relative to INPUT (or to --base), with '/' separators
 * @param status the outcome
 * @param reason a machine-readable reason when the status is not ok or skipped, else null
 * @param error a one-line human message, or null
 * @param width decoded width of the input, 0 when not known
 * @param height decoded height of the input, 0 when not known
 * @param bytesIn size of the input file, -1 when not known
 * @param outputs the files written (or, for skipped, the files already there)
 * @param warnings non-fatal notes (a truncated file accepted, frames ignored)
 * @param frames number of frames in the input when more than one, else 0
 * @param millis wall time spent on the task
 */
public record TaskResult(
    String input,
    Status status,
    String reason,
    String error,
    int width,
    int height,
    long bytesIn,
    List<OutputFile> outputs,
    List<String> warnings,
    int frames,
    long millis) {

  public TaskResult {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(status, "status");
    outputs = List.copyOf(outputs);
    warnings = List.copyOf(warnings);
  }

  public static TaskResult failed(String input, Status status, String reason, String error, long millis) {
    return new TaskResult(input, status, reason, error, 0, 0, -1, List.of(), List.of(), 0, millis);
  }

  public static TaskResult cancelled(String input) {
    return failed(input, Status.CANCELLED, Reason.CANCELLED, "cancelled before it was processed", 0);
  }

  /** This result with another elapsed time. */
  public TaskResult withMillis(long newMillis) {
    return new TaskResult(input, status, reason, error, width, height, bytesIn, outputs, warnings, frames, newMillis);
  }
}
