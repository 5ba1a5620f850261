package dev.imgpool.task;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A budget of bytes for decoded pixels, shared by all workers: a worker reserves its image's
 * decoded size before decoding and waits (on a condition) while the budget is spent, so many
 * workers over large images slow down instead of running out of heap.
 *
 * <p>Requests are served in arrival order: a large request at the head of the line holds back
 * smaller ones behind it, so it cannot be starved by a stream of small images that would each
 * fit. A request larger than the whole budget fails at once instead of waiting forever.
 *
 * <p>Thread-safe.
 */
public final class MemoryBudget {
  private final long capacity;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition released = lock.newCondition();
  private long available; // guarded by lock
  private final Deque<Thread> line = new ArrayDeque<>(); // waiting requests, oldest first; guarded by lock

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
   * Blocks until {@code bytes} are available and every earlier request has been served, then
   * takes them. The caller must {@link #release} the same amount in a finally block.
   *
   * @throws IllegalArgumentException when the request exceeds the whole budget (it could never be served)
   * @throws InterruptedException when interrupted while waiting (the flag is then clear, as usual)
   */
  public void reserve(long bytes) throws InterruptedException {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes (" + bytes + ") may not be negative");
    }
    if (bytes > capacity) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "a request for %d MB is more than the whole memory budget of %d MB", bytes >> 20, capacity >> 20));
    }
    lock.lockInterruptibly();
    try {
      if (line.isEmpty() && available >= bytes) {
        available -= bytes;
        return;
      }
      Thread me = Thread.currentThread();
      line.addLast(me);
      try {
        while (line.peekFirst() != me || available < bytes) {
          // A bounded wait re-checks now and then, so a lost signal can never hang a worker.
          released.await(200, TimeUnit.MILLISECONDS);
        }
        available -= bytes;
      } finally {
        line.remove(me); // served or interrupted: either way the next in line may go
        released.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Requests waiting right now; for tests and progress. */
  public int waiting() {
    lock.lock();
    try {
      return line.size();
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
