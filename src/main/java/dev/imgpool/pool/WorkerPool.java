package dev.imgpool.pool;

import dev.imgpool.task.CancellationToken;
import dev.imgpool.task.TaskControl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A fixed pool of named worker threads over one bounded task queue. Every submitted task yields
 * exactly one result on the sink: the function's own, or one the pool makes when the run is
 * cancelled, the task runs past its time limit, or the function throws.
 *
 * <p>The pool knows nothing of what the tasks are. Cancellation comes from the run's token:
 * queued tasks are then drained as cancelled, running ones are aborted (their abort hooks run and
 * their threads are interrupted), and one that does not stop within the grace period is
 * abandoned: its result is published for it and a fresh worker takes its place.
 *
 * <p>{@link #submit} and {@link #finishInput} are for one producer thread; the rest is
 * thread-safe. Worker threads are daemons on purpose: an abandoned decoder stuck in native code
 * must not keep the JVM alive once the report is written.
 */
public final class WorkerPool<T, R> implements AutoCloseable {
  private static final long IDLE_POLL_MILLIS = 50;
  /** Queued behind the last task, one per worker: a worker waiting on an empty queue exits at once. */
  private static final Object END_OF_INPUT = new Object();

  private final PoolConfig config;
  private final TaskFunction<T, R> function;
  private final Outcomes<T, R> outcomes;
  private final Consumer<R> sink;
  private final CancellationToken token;
  private final Optional<RateLimiter> rateLimiter;
  private final BlockingQueue<Object> queue; // tasks, then END_OF_INPUT
  private final Set<Worker> workers = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService watchdog;
  private final AtomicInteger threadNumber = new AtomicInteger();
  private final AtomicInteger maxQueueDepth = new AtomicInteger();
  private final AtomicInteger abandoned = new AtomicInteger();
  private volatile boolean inputFinished;
  private volatile boolean closed;

  public WorkerPool(
      PoolConfig config,
      TaskFunction<T, R> function,
      Outcomes<T, R> outcomes,
      Consumer<R> sink,
      CancellationToken token,
      Optional<RateLimiter> rateLimiter) {
    this.config = Objects.requireNonNull(config, "config");
    this.function = Objects.requireNonNull(function, "function");
    this.outcomes = Objects.requireNonNull(outcomes, "outcomes");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.token = Objects.requireNonNull(token, "token");
    this.rateLimiter = Objects.requireNonNull(rateLimiter, "rateLimiter");
    this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
    this.watchdog =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, config.threadNamePrefix() + "watchdog");
              thread.setDaemon(true);
              return thread;
            });
    for (int i = 0; i < config.workers(); i++) {
      startWorker();
    }
    token.onCancel(this::abortAll);
  }

  /**
   * Queues a task, blocking while the queue is full (back-pressure on the producer). After a
   * cancel the task is not queued but reported cancelled at once.
   */
  public void submit(T task) throws InterruptedException {
    Objects.requireNonNull(task, "task");
    if (closed) {
      throw new IllegalStateException("pool is closed");
    }
    if (token.isCancelled()) {
      sink.accept(outcomes.cancelled(task));
      return;
    }
    while (!queue.offer(task, IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS)) {
      if (token.isCancelled()) {
        sink.accept(outcomes.cancelled(task));
        return;
      }
    }
    maxQueueDepth.accumulateAndGet(queue.size(), Math::max);
  }

  /** No more tasks will come: workers exit once the queue is empty. */
  public void finishInput() {
    inputFinished = true;
    // Where the queue has no room left, the workers are busy and check the flag before they wait.
    for (int i = 0; i < workers.size() && queue.offer(END_OF_INPUT); i++) {
      // one marker per worker
    }
  }

  /** The largest queue depth seen right after a submit; never above the capacity. */
  public int maxObservedQueueDepth() {
    return maxQueueDepth.get();
  }

  public int queueCapacity() {
    return config.queueCapacity();
  }


  /** Workers given up on because their task ignored an abort. */
  public int abandonedWorkers() {
    return abandoned.get();
  }

  /**
   * Waits up to {@code limit} for the workers to finish after {@link #finishInput}, then stops
   * the watchdog. Returns false when some worker was still alive (it is a daemon and is left).
   */
  public boolean awaitTermination(Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    for (Worker worker : List.copyOf(workers)) {
      long left = deadline - System.nanoTime();
      if (left > 0 && !worker.retired) { // an abandoned worker is not waited for
        TimeUnit.NANOSECONDS.timedJoin(worker.thread, left);
      }
    }
    boolean allDone = workers.stream().noneMatch(worker -> !worker.retired && worker.thread.isAlive());
    watchdog.shutdownNow();
    return allDone;
  }

  /** Stops accepting tasks and lets idle workers exit; running work is interrupted. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    inputFinished = true;
    for (Worker worker : workers) {
      Execution current = worker.current;
      if (current != null) {
        current.abort(AbortKind.CANCEL);
      }
    }
    watchdog.shutdownNow();
  }

  private void startWorker() {
    Worker worker = new Worker();
    worker.thread = new Thread(worker, config.threadNamePrefix() + threadNumber.incrementAndGet());
    worker.thread.setDaemon(true);
    workers.add(worker);
    worker.thread.start();
  }

  private void abortAll() {
    for (Worker worker : workers) {
      Execution current = worker.current;
      if (current != null) {
        current.abort(AbortKind.CANCEL);
      } else {
        // Wakes a worker waiting for a rate-limit permit; it then sees the token.
        worker.thread.interrupt();
      }
    }
  }

  private enum AbortKind {
    NONE,
    CANCEL,
    TIMEOUT
  }

  private enum State {
    RUNNING,
    COMMITTING,
    DONE,
    ABANDONED
  }

  private final class Worker implements Runnable {
    volatile Thread thread;
    volatile Execution current;
    volatile boolean retired;

    @Override
    public void run() {
      try {
        while (!retired) {
          if (inputFinished && queue.isEmpty()) {
            return; // finishInput found the queue full, so no marker is left for this worker
          }
          Object next;
          try {
            next = queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
          } catch (InterruptedException interrupted) {
            continue; // a cancel woke us; the token decides what the next task gets
          }
          if (next == END_OF_INPUT) {
            return;
          }
          if (next == null) {
            if (inputFinished) {
              return;
            }
            continue;
          }
          @SuppressWarnings("unchecked") // only submit() queues anything else, and it takes a T
          T task = (T) next;
          process(task);
        }
      } finally {
        workers.remove(this);
      }
    }

    private void process(T task) {
      if (token.isCancelled()) {
        sink.accept(outcomes.cancelled(task));
        return;
      }
      if (rateLimiter.isPresent()) {
        try {
          rateLimiter.get().acquire();
        } catch (InterruptedException interrupted) {
          sink.accept(outcomes.cancelled(task));
          return;
        }
        if (token.isCancelled()) {
          sink.accept(outcomes.cancelled(task));
          return;
        }
      }
      Execution execution = new Execution(task, this);
      current = execution;
      R result = null;
      Throwable failure = null;
      try {
        if (token.isCancelled()) {
          // A cancel between the check above and `current` being set saw no execution to abort.
          execution.abort(AbortKind.CANCEL);
        }
        config.fileTimeout().ifPresent(limit -> execution.scheduleTimeout(limit));
        result = function.apply(task, execution);
      } catch (Throwable t) { // per task: even an Error must not end the run
        failure = t;
      } finally {
        current = null;
      }
      execution.finish(result, failure);
      Thread.interrupted(); // an abort's interrupt must not leak into the next task
    }
  }

  private final class Execution implements TaskControl {
    private final T task;
    private final Worker worker;
    private final List<Runnable> hooks = new ArrayList<>(); // guarded by this
    private State state = State.RUNNING; // guarded by this
    private AbortKind abort = AbortKind.NONE; // guarded by this
    private ScheduledFuture<?> timeout; // guarded by this

    Execution(T task, Worker worker) {
      this.task = task;
      this.worker = worker;
    }

    synchronized void scheduleTimeout(Duration limit) {
      timeout = watchdog.schedule(() -> abort(AbortKind.TIMEOUT), limit.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public synchronized void onAbort(Runnable hook) {
      if (abort != AbortKind.NONE) {
        hook.run();
      } else {
        hooks.add(hook);
      }
    }

    @Override
    public synchronized void clearAbortHooks() {
      hooks.clear();
    }

    @Override
    public synchronized boolean isAborted() {
      return abort != AbortKind.NONE || state == State.ABANDONED;
    }

    @Override
    public synchronized boolean beginCommit() {
      if (state == State.COMMITTING) {
        return true; // a task with several outputs commits each of them
      }
      if (state != State.RUNNING || abort != AbortKind.NONE) {
        return false;
      }
      state = State.COMMITTING;
      return true;
    }

    void abort(AbortKind kind) {
      synchronized (this) {
        if (state != State.RUNNING || abort != AbortKind.NONE) {
          return;
        }
        abort = kind;
        for (Runnable hook : hooks) {
          try {
            hook.run();
          } catch (RuntimeException ignored) {
            // an abort hook on a closed reader may throw; the interrupt below still applies
          }
        }
        hooks.clear();
        worker.thread.interrupt();
      }
      try {
        watchdog.schedule(this::abandonIfStuck, config.abandonGrace().toNanos(), TimeUnit.NANOSECONDS);
      } catch (RuntimeException shutDown) {
        // the pool is closing; nothing waits for this task any more
      }
    }

    private void abandonIfStuck() {
      R result;
      synchronized (this) {
        if (state != State.RUNNING) {
          return;
        }
        state = State.ABANDONED;
        worker.retired = true; // under the lock: the worker, once back, must not take a new task
        result = abort == AbortKind.TIMEOUT
            ? outcomes.timedOut(task, config.fileTimeout().orElse(Duration.ZERO))
            : outcomes.cancelled(task);
      }
      abandoned.incrementAndGet();
      sink.accept(result);
      if (!closed) {
        startWorker();
      }
    }

    void finish(R result, Throwable failure) {
      R published;
      synchronized (this) {
        if (timeout != null) {
          timeout.cancel(false);
        }
        if (state == State.ABANDONED) {
          return; // its result was already published for it
        }
        boolean committed = state == State.COMMITTING;
        state = State.DONE;
        if (!committed && abort == AbortKind.TIMEOUT) {
          published = outcomes.timedOut(task, config.fileTimeout().orElse(Duration.ZERO));
        } else if (!committed && abort == AbortKind.CANCEL) {
          published = outcomes.cancelled(task);
        } else if (failure instanceof InterruptedException && token.isCancelled()) {
          published = outcomes.cancelled(task);
        } else if (failure != null) {
          published = outcomes.crashed(task, failure);
        } else if (result == null) {
          published = outcomes.crashed(task, new NullPointerException("task function returned null"));
        } else {
          published = result;
        }
      }
      sink.accept(published);
    }
  }
}
