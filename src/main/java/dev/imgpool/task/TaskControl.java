package dev.imgpool.task;

/**
 * What the pool offers the function running one task: a way to be aborted (cancel or per-file
 * timeout) and a gate that decides, once, whether the task's output may still be published.
 *
 * <p>Used by one worker thread at a time, while its abort side is driven from other threads.
 */
public interface TaskControl {

  /** Registers a hook (such as {@code ImageReader.abort()}) to run when this task is aborted. */
  void onAbort(Runnable hook);

  /** Removes every hook registered so far (the resource they touch is gone). */
  void clearAbortHooks();

  /** True once the task was aborted by a cancel or its timeout. */
  boolean isAborted();

  /**
   * Claims the right to make the task's result visible (the atomic move of its output). Returns
   * false when the task was aborted or abandoned first; the caller must then discard its work.
   * After a true return, an abort no longer affects the task, and later calls return true too
   * (a task with several outputs commits each).
   */
  boolean beginCommit();

  /** A control for code run outside a pool (tests, single files): never aborted. */
  static TaskControl none() {
    return new TaskControl() {
      @Override
      public void onAbort(Runnable hook) {}

      @Override
      public void clearAbortHooks() {}

      @Override
      public boolean isAborted() {
        return false;
      }

      @Override
      public boolean beginCommit() {
        return true;
      }
    };
  }
}
