package dev.imgpool.task;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A budget of bytes for decoded pixels, shared by all workers: a worker reserves its image's
 * decoded size before decoding and waits (on a condition) while the budget is spent, so many
 * workers over large images slow down instead of running out of heap.
 *
 * <p>Thread-safe.
 */
public final class MemoryBudget {
  private final long capacity;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition released = lock.newCondition();
  private long available; // guarded by lock

  public MemoryBudget(long capacityBytes) {
    if (capacityBytes <= 0) {
      throw new IllegalArgumentException("capacityBytes (" + capacityBytes + ") must be positive");
    }
    this.capacity = capacityBytes;
    this.available = capacityBytes;
  }

  /** A budget of a share of this JVM's maximum heap. */
  public static MemoryBudget shareOfMaxHeap(double share) {
    return new MemoryBudget((long) (Runtime.getRuntime().maxMemory() * share));
  }

  public long capacity() {
    return capacity;
  }

  public long available() {
    lock.lock();
    try {
      return available;
    } finally {
      lock.unlock();
    }
  }

  /** True when {@code bytes} could ever be reserved. */
  public boolean fits(long bytes) {
    return bytes <= capacity;
  }

  /**
   * Blocks until {@code bytes} are available, then takes them. The caller must {@link #release}
   * the same amount in a finally block.
   *
   * @throws IllegalArgumentException when the request exceeds the whole budget
   * @throws InterruptedException when interrupted while waiting (the flag is then clear, as usual)
   */
  public void reserve(long bytes) throws InterruptedException {
    if (bytes < 0 || bytes > capacity) {
      throw new IllegalArgumentException("bytes (" + bytes + ") must be within the budget of " + capacity);
    }
    lock.lockInterruptibly();
    try {
      while (available < bytes) {
        // A bounded wait re-checks now and then, so a lost signal can never hang a worker.
        released.await(200, TimeUnit.MILLISECONDS);
      }
      available -= bytes;
    } finally {
      lock.unlock();
    }
  }

  public void release(long bytes) {
    lock.lock();
    try {
      available = Math.min(capacity, available + bytes);
      released.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
