package dev.imgpool.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imgpool.task.MemoryBudget;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tests for {@link MemoryBudget}: waits, order, and requests that can never be served. */
@Timeout(30)
class MemoryBudgetTest {

  @Test
  void reserve_withinBudget_returnsAtOnce() throws Exception {
    MemoryBudget budget = new MemoryBudget(100);
    budget.reserve(60);
    budget.reserve(40);
    assertEquals(0, budget.available());
    budget.release(100);
    assertEquals(100, budget.available());
  }

  @Test
  void reserve_whenSpent_blocksUntilARelease() throws Exception {
    MemoryBudget budget = new MemoryBudget(100);
    budget.reserve(80);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch reserved = new CountDownLatch(1);
    Thread waiter = new Thread(() -> {
      started.countDown();
      try {
        budget.reserve(50);
        reserved.countDown();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    waiter.start();
    started.await();
    awaitWaiting(budget, 1);
    assertFalse(reserved.await(50, TimeUnit.MILLISECONDS), "reserved 50 of the 20 left");
    budget.release(80);
    assertTrue(reserved.await(10, TimeUnit.SECONDS));
    assertEquals(50, budget.available());
  }

  @Test
  void reserve_overTheWholeBudget_failsAtOnceWithAMessage() {
    MemoryBudget budget = new MemoryBudget(10L << 20);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> budget.reserve(11L << 20));
    assertEquals("a request for 11 MB is more than the whole memory budget of 10 MB", e.getMessage());
    assertFalse(budget.fits(11L << 20));
    assertEquals(10L << 20, budget.available());
  }

  @Test
  void reserve_servesRequestsInArrivalOrder_soALargeOneIsNotStarved() throws Exception {
    MemoryBudget budget = new MemoryBudget(100);
    budget.reserve(90);
    List<String> served = new CopyOnWriteArrayList<>();
    Thread large = reserveInThread(budget, 50, "large", served);
    awaitWaiting(budget, 1);
    // 10 are free, enough for the small one, but the large one came first
    Thread small = reserveInThread(budget, 10, "small", served);
    awaitWaiting(budget, 2);
    assertTrue(served.isEmpty(), served.toString());
    budget.release(45); // 55 free: the large one is served, and then the small one no longer fits
    large.join();
    assertEquals(List.of("large"), served);
    assertEquals(5, budget.available());
    assertEquals(1, budget.waiting());
    budget.release(45);
    small.join();
    assertEquals(List.of("large", "small"), served);
    assertEquals(40, budget.available());
  }

  @Test
  void reserve_interruptedWhileWaiting_leavesTheLineAndTheBudgetIntact() throws Exception {
    MemoryBudget budget = new MemoryBudget(100);
    budget.reserve(100);
    CountDownLatch interrupted = new CountDownLatch(1);
    Thread waiter = new Thread(() -> {
      try {
        budget.reserve(30);
      } catch (InterruptedException e) {
        interrupted.countDown();
      }
    });
    waiter.start();
    awaitWaiting(budget, 1);
    waiter.interrupt();
    assertTrue(interrupted.await(10, TimeUnit.SECONDS));
    waiter.join();
    assertEquals(0, budget.waiting());
    budget.release(100);
    assertEquals(100, budget.available());
    // the line moves on for the next request
    budget.reserve(100);
  }

  private static Thread reserveInThread(MemoryBudget budget, long bytes, String name, List<String> served) {
    Thread thread = new Thread(() -> {
      try {
        budget.reserve(bytes);
        served.add(name);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, name);
    thread.start();
    return thread;
  }

  /** Polls until {@code count} requests wait; bounded by the class's timeout. */
  private static void awaitWaiting(MemoryBudget budget, int count) {
    while (budget.waiting() < count) {
      LockSupport.parkNanos(100_000);
    }
  }
}
