package dev.imgpool.task;

/** Why a run was cancelled; each cause maps to its own exit code. */
public enum CancelCause {
  TIMEOUT(124),
  SIGINT(130),
  SIGTERM(143),
  FAIL_FAST(1),
  /** imgpool itself failed (a bug); the run stops and reports what it has. */
  INTERNAL(3);

  private final int exitCode;

  CancelCause(int exitCode) {
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
