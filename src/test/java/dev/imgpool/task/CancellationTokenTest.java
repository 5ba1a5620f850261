package dev.imgpool.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Tests for {@link CancellationToken}. */
class CancellationTokenTest {
  @Test
  void cancel_twice_firstCauseWinsAndListenersRunOnce() {
    CancellationToken token = new CancellationToken();
    AtomicInteger calls = new AtomicInteger();
    token.onCancel(calls::incrementAndGet);
    assertFalse(token.isCancelled());
    assertTrue(token.cancel(CancelCause.TIMEOUT));
    assertFalse(token.cancel(CancelCause.SIGINT));
    assertEquals(Optional.of(CancelCause.TIMEOUT), token.cause());
    assertEquals(1, calls.get());
  }

  @Test
  void onCancel_afterCancel_runsAtOnce() {
    CancellationToken token = new CancellationToken();
    token.cancel(CancelCause.SIGTERM);
    AtomicInteger calls = new AtomicInteger();
    token.onCancel(calls::incrementAndGet);
    assertEquals(1, calls.get());
    assertEquals(143, token.cause().orElseThrow().exitCode());
  }

  @Test
  void onCancel_racingWithCancel_runsExactlyOnce() throws Exception {
    for (int round = 0; round < 200; round++) {
      CancellationToken token = new CancellationToken();
      AtomicInteger calls = new AtomicInteger();
      Thread canceller = new Thread(() -> token.cancel(CancelCause.SIGINT));
      canceller.start();
      token.onCancel(calls::incrementAndGet);
      canceller.join();
      assertEquals(1, calls.get(), "round " + round);
    }
  }
}
