package dev.imgpool.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imgpool.task.CancelCause;
import dev.imgpool.task.CancellationToken;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tests for {@link WorkerPool}. */
@Timeout(30)
class WorkerPoolTest {
  private final CancellationToken token = new CancellationToken();
  private final LinkedBlockingQueue<String> results = new LinkedBlockingQueue<>();

  private static final Outcomes<Integer, String> OUTCOMES =
      new Outcomes<>() {
        @Override
        public String cancelled(Integer task) {
          return task + ":cancelled";
        }

        @Override
        public String timedOut(Integer task, Duration limit) {
          return task + ":timeout";
        }

        @Override
        public String crashed(Integer task, Throwable error) {
          return task + ":crashed:" + error.getMessage();
        }
      };

  private WorkerPool<Integer, String> pool(PoolConfig config, TaskFunction<Integer, String> function) {
    return new WorkerPool<>(config, function, OUTCOMES, results::add, token, Optional.empty());
  }

  private List<String> take(int n) throws InterruptedException {
    List<String> taken = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String result = results.poll(10, TimeUnit.SECONDS);
      assertTrue(result != null, "result " + i + " of " + n + " never came; got " + taken);
      taken.add(result);
    }
    return taken;
  }

  @Test
  void submit_manyTasks_everyTaskYieldsExactlyOneResult() throws Exception {
    try (WorkerPool<Integer, String> pool = pool(PoolConfig.of(4, 3), (task, control) -> task + ":ok")) {
      for (int i = 0; i < 2000; i++) {
        pool.submit(i);
      }
      pool.finishInput();
      List<String> all = take(2000);
      assertTrue(pool.awaitTermination(Duration.ofSeconds(5)));
      Map<String, Boolean> seen = new ConcurrentHashMap<>();
      for (String result : all) {
        assertEquals(null, seen.put(result, true), "duplicate " + result);
      }
      for (int i = 0; i < 2000; i++) {
        assertTrue(seen.containsKey(i + ":ok"), "missing " + i);
      }
      assertTrue(results.isEmpty(), "extra results: " + results);
    }
  }

  @Test
  void submit_workersBlocked_queueStopsAtCapacityAndBlocksProducer() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch allWorkersBusy = new CountDownLatch(2);
    AtomicInteger submitted = new AtomicInteger();
    try (WorkerPool<Integer, String> pool =
        pool(PoolConfig.of(2, 3), (task, control) -> {
          allWorkersBusy.countDown();
          release.await();
          return task + ":ok";
        })) {
      Thread producer =
          new Thread(() -> {
            try {
              for (int i = 0; i < 20; i++) {
                pool.submit(i);
                submitted.incrementAndGet();
              }
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      producer.start();
      assertTrue(allWorkersBusy.await(5, TimeUnit.SECONDS));
      // Two tasks are running, three wait in the queue: the producer must be stuck on the sixth.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (submitted.get() < 5 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      producer.join(300); // a bounded wait: the producer must still be blocked afterwards
      assertTrue(producer.isAlive(), "producer should block on the full queue");
      assertEquals(5, submitted.get());
      assertEquals(3, pool.maxObservedQueueDepth(), "the queue filled to its capacity and no further");
      release.countDown();
      producer.join(5000);
      pool.finishInput();
      assertEquals(20, take(20).size());
      assertTrue(pool.maxObservedQueueDepth() <= pool.queueCapacity());
    }
  }

  @Test
  void cancel_whileRunning_queuedAndRunningTasksReportCancelled() throws Exception {
    CountDownLatch running = new CountDownLatch(2);
    try (WorkerPool<Integer, String> pool =
        pool(PoolConfig.of(2, 10), (task, control) -> {
          running.countDown();
          new CountDownLatch(1).await(); // until interrupted by the cancel
          return task + ":ok";
        })) {
      for (int i = 0; i < 10; i++) {
        pool.submit(i);
      }
      assertTrue(running.await(5, TimeUnit.SECONDS));
      token.cancel(CancelCause.SIGINT);
      pool.submit(99); // after the cancel: reported at once
      pool.finishInput();
      List<String> all = take(11);
      assertTrue(all.stream().allMatch(r -> r.endsWith(":cancelled")), all.toString());
      assertTrue(pool.awaitTermination(Duration.ofSeconds(5)));
    }
  }

  @Test
  void fileTimeout_slowTask_reportsTimeoutAndWorkerMovesOn() throws Exception {
    PoolConfig config = PoolConfig.of(1, 4).withFileTimeout(Optional.of(Duration.ofMillis(200)));
    try (WorkerPool<Integer, String> pool =
        pool(config, (task, control) -> {
          if (task == 0) {
            new CountDownLatch(1).await(); // interrupted by the timeout
          }
          return task + ":ok";
        })) {
      pool.submit(0);
      pool.submit(1);
      pool.finishInput();
      assertEquals(List.of("0:timeout", "1:ok"), take(2));
    }
  }

  @Test
  void fileTimeout_taskIgnoresAbort_workerIsAbandonedAndReplaced() throws Exception {
    CountDownLatch stuck = new CountDownLatch(1);
    PoolConfig config =
        PoolConfig.of(1, 4).withFileTimeout(Optional.of(Duration.ofMillis(100))).withAbandonGrace(Duration.ofMillis(200));
    try (WorkerPool<Integer, String> pool =
        pool(config, (task, control) -> {
          if (task == 0) {
            // A decoder that ignores interrupts and aborts.
            while (stuck.getCount() > 0) {
              try {
                stuck.await();
              } catch (InterruptedException ignored) {
                // swallowed on purpose
              }
            }
            return "0:late";
          }
          return task + ":ok";
        })) {
      pool.submit(0);
      pool.submit(1);
      pool.submit(2);
      pool.finishInput();
      List<String> first = take(3);
      assertEquals(List.of("0:timeout", "1:ok", "2:ok"), first);
      assertEquals(1, pool.abandonedWorkers());
      stuck.countDown();
      assertEquals(null, results.poll(500, TimeUnit.MILLISECONDS), "the abandoned task must not report twice");
    }
  }

  @Test
  void submit_functionThrows_reportedAsCrashedAndRunGoesOn() throws Exception {
    try (WorkerPool<Integer, String> pool =
        pool(PoolConfig.of(2, 4), (task, control) -> {
          if (task == 1) {
            throw new IllegalStateException("boom");
          }
          return task + ":ok";
        })) {
      for (int i = 0; i < 3; i++) {
        pool.submit(i);
      }
      pool.finishInput();
      List<String> all = new ArrayList<>(take(3));
      Collections.sort(all);
      assertEquals(List.of("0:ok", "1:crashed:boom", "2:ok"), all);
    }
  }

  @Test
  void beginCommit_afterTimeout_isRefused() throws Exception {
    PoolConfig config = PoolConfig.of(1, 1).withFileTimeout(Optional.of(Duration.ofMillis(100)));
    LinkedBlockingQueue<Boolean> commits = new LinkedBlockingQueue<>();
    try (WorkerPool<Integer, String> pool =
        pool(config, (task, control) -> {
          try {
            new CountDownLatch(1).await();
          } catch (InterruptedException e) {
            commits.add(control.beginCommit());
          }
          return task + ":ok";
        })) {
      pool.submit(0);
      pool.finishInput();
      assertEquals(List.of("0:timeout"), take(1));
      assertEquals(Boolean.FALSE, commits.poll(5, TimeUnit.SECONDS));
    }
  }
}
