package dev.imgpool.pool;

import dev.imgpool.task.TaskControl;

/**
 * The work the pool runs for each task. It returns a result for every task, failures included;
 * an exception that escapes it is a bug, reported through {@link Outcomes#crashed}.
 */
@FunctionalInterface
public interface TaskFunction<T, R> {
  R apply(T task, TaskControl control) throws Exception;
}
