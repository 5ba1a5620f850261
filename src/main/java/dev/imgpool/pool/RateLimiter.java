package dev.imgpool.pool;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A token bucket that paces task starts: {@code permitsPerSecond} on average, at most
 * {@code burst} at once after an idle spell. Each caller reserves a permit (the count may go
 * negative) and then sleeps until its permit is due, so waiting callers are served in order.
 *
 * <p>Thread-safe.
 */
public final class RateLimiter {

  /** Sleeps for a number of nanoseconds; replaced in tests by one that advances a fake clock. */
  public interface Sleeper {
    void sleepNanos(long nanos) throws InterruptedException;
  }

  private final double permitsPerNano;
  private final double burst;
  private final LongSupplier nanoClock;
  private final Sleeper sleeper;
  private double permits; // guarded by this; may go negative (reserved in advance)
  private long lastRefill; // guarded by this

  public RateLimiter(double permitsPerSecond, int burst, LongSupplier nanoClock, Sleeper sleeper) {
    if (!(permitsPerSecond > 0)) {
      throw new IllegalArgumentException("permitsPerSecond (" + permitsPerSecond + ") must be positive");
    }
    if (burst < 1) {
      throw new IllegalArgumentException("burst (" + burst + ") must be at least 1");
    }
    this.permitsPerNano = permitsPerSecond / 1e9;
    this.burst = burst;
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.permits = burst;
    this.lastRefill = nanoClock.getAsLong();
  }

  /** A limiter on the system's monotonic clock. */
  public static RateLimiter create(double permitsPerSecond, int burst) {
    return new RateLimiter(
        permitsPerSecond,
        burst,
        System::nanoTime,
        nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
  }

  /** Waits until a permit is due. */
  public void acquire() throws InterruptedException {
    long wait = reserve();
    if (wait > 0) {
      sleeper.sleepNanos(wait);
    }
  }


  private synchronized long reserve() {
    refill();
    permits -= 1;
    return permits >= 0 ? 0 : (long) Math.ceil(-permits / permitsPerNano);
  }

  private void refill() {
    long now = nanoClock.getAsLong();
    permits = Math.min(burst, permits + (now - lastRefill) * permitsPerNano);
    lastRefill = now;
  }
}
