package dev.imgpool.pool;

import java.time.Duration;

/** The results the pool makes on a task's behalf when the task function could not give one. */
public interface Outcomes<T, R> {

  /** The run was cancelled before or while the task ran. */
  R cancelled(T task);

  /** The task ran past its per-file limit and was aborted. */
  R timedOut(T task, Duration limit);

  /** The task function threw: a bug, reported per file so the run goes on. */
  R crashed(T task, Throwable error);
}
