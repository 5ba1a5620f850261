package dev.imgpool.pool;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link WorkerPool} is shaped.
 *
 * @param workers number of worker threads
 * @param queueCapacity capacity of the task queue; a full queue blocks the producer
 * @param fileTimeout limit for one task, empty for none
 * @param abandonGrace how long an aborted task may take to notice before its worker is abandoned
 *     and replaced, so a decoder that ignores aborts cannot hold the run
 * @param threadNamePrefix worker thread names are this plus a number
 */
public record PoolConfig(
    int workers, int queueCapacity, Optional<Duration> fileTimeout, Duration abandonGrace, String threadNamePrefix) {

  public PoolConfig {
    if (workers < 1) {
      throw new IllegalArgumentException("workers (" + workers + ") must be positive");
    }
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queueCapacity (" + queueCapacity + ") must be positive");
    }
    Objects.requireNonNull(fileTimeout, "fileTimeout");
    Objects.requireNonNull(abandonGrace, "abandonGrace");
    Objects.requireNonNull(threadNamePrefix, "threadNamePrefix");
    fileTimeout.ifPresent(
        limit -> {
          if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("fileTimeout (" + limit + ") must be positive");
          }
        });
  }

  public static PoolConfig of(int workers, int queueCapacity) {
    return new PoolConfig(workers, queueCapacity, Optional.empty(), Duration.ofSeconds(2), "imgpool-worker-");
  }

  public PoolConfig withFileTimeout(Optional<Duration> limit) {
    return new PoolConfig(workers, queueCapacity, limit, abandonGrace, threadNamePrefix);
  }

  public PoolConfig withAbandonGrace(Duration grace) {
    return new PoolConfig(workers, queueCapacity, fileTimeout, grace, threadNamePrefix);
  }
}
