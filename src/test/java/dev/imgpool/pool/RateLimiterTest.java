package dev.imgpool.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Tests for {@link RateLimiter}, on a fake clock that sleeping advances. */
class RateLimiterTest {
  private long now = 1_000_000_000L;
  private final List<Long> starts = new ArrayList<>();

  private RateLimiter limiter(double perSecond, int burst) {
    return new RateLimiter(perSecond, burst, () -> now, nanos -> now += nanos);
  }

  private void acquire(RateLimiter limiter, int times) throws InterruptedException {
    for (int i = 0; i < times; i++) {
      limiter.acquire();
      starts.add(now);
    }
  }

  @Test
  void acquire_fivePerSecondBurstOne_twentyStartsSpanAboutFourSeconds() throws InterruptedException {
    long begin = now;
    acquire(limiter(5, 1), 20);
    assertEquals(TimeUnit.MILLISECONDS.toNanos(3800), starts.get(19) - begin, TimeUnit.MILLISECONDS.toNanos(1));
    for (int i = 1; i < 20; i++) {
      assertEquals(TimeUnit.MILLISECONDS.toNanos(200), starts.get(i) - starts.get(i - 1), TimeUnit.MILLISECONDS.toNanos(1));
    }
  }

  @Test
  void acquire_burstThree_firstThreeStartAtOnce() throws InterruptedException {
    long begin = now;
    acquire(limiter(2, 3), 5);
    assertEquals(List.of(begin, begin, begin), starts.subList(0, 3));
    assertEquals(TimeUnit.MILLISECONDS.toNanos(500), starts.get(3) - begin, TimeUnit.MILLISECONDS.toNanos(1));
    assertEquals(TimeUnit.MILLISECONDS.toNanos(1000), starts.get(4) - begin, TimeUnit.MILLISECONDS.toNanos(1));
  }

  @Test
  void acquire_afterIdleSpell_refillsNoMoreThanBurst() throws InterruptedException {
    RateLimiter limiter = limiter(1, 2);
    acquire(limiter, 2);
    now += TimeUnit.SECONDS.toNanos(60);
    long idleEnd = now;
    acquire(limiter, 3);
    assertEquals(idleEnd, starts.get(2));
    assertEquals(idleEnd, starts.get(3));
    assertEquals(TimeUnit.SECONDS.toNanos(1), starts.get(4) - idleEnd, TimeUnit.MILLISECONDS.toNanos(1));
  }

  @Test
  void create_nonPositiveRate_isRejected() {
    assertThrows(IllegalArgumentException.class, () -> limiter(0, 1));
    assertThrows(IllegalArgumentException.class, () -> limiter(1, 0));
  }
}
