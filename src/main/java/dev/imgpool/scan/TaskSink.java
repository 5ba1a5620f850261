package dev.imgpool.scan;

import dev.imgpool.task.ImageTask;
import dev.imgpool.task.TaskResult;

/** Where the scanner sends what it finds. */
public interface TaskSink {
  /** A task for the pool; may block (back-pressure). */
  void task(ImageTask task) throws InterruptedException;

  /** A result the scanner settles itself: a collision, a path outside the base, a cancel. */
  void result(TaskResult result);
}
