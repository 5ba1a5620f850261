package dev.imgpool.task;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One cancellation signal for a whole run, in the manner of Go's context: the first cause wins,
 * later calls are no-ops, and listeners run once on the thread that cancelled.
 *
 * <p>Thread-safe.
 */
public final class CancellationToken {
  private final AtomicReference<CancelCause> cause = new AtomicReference<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  /** Trips the token; returns true when this call was the one that did. */
  public boolean cancel(CancelCause why) {
    Objects.requireNonNull(why, "why");
    if (!cause.compareAndSet(null, why)) {
      return false;
    }
    for (Runnable listener : listeners) {
      // remove() decides who runs a listener that onCancel registers concurrently: exactly once.
      if (listeners.remove(listener)) {
        listener.run();
      }
    }
    return true;
  }

  public boolean isCancelled() {
    return cause.get() != null;
  }

  public Optional<CancelCause> cause() {
    return Optional.ofNullable(cause.get());
  }

  /**
   * Runs {@code listener} when the token trips, or at once when it already has. A listener must
   * be quick and must not throw.
   */
  public void onCancel(Runnable listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    if (isCancelled() && listeners.remove(listener)) {
      listener.run();
    }
  }
}
