package dev.imgpool.image.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ReciprocalTest {
  /** round(n / d) with halves up, in exact integer arithmetic. */
  private static long exact(long n, long d) {
    return (2 * n + d) / (2 * d);
  }

  @Test
  void everyBlockMean_ofSmallBlocks_isExact_halvesRoundedUp() {
    for (long area = 1; area <= 64; area++) {
      for (long d : new long[] {area, 255 * area}) {
        Reciprocal reciprocal = new Reciprocal(d);
        for (long n = 0; n <= 255 * d; n++) {
          if (reciprocal.round(n) != exact(n, d)) {
            assertEquals(exact(n, d), reciprocal.round(n), n + " / " + d);
          }
        }
      }
    }
    assertEquals(3, new Reciprocal(4).round(10), "2.5 rounds up");
    assertEquals(2, new Reciprocal(255 * 4).round(255 * 3 * 2), "1.5 rounds up");
  }

  @Test
  void largeBlocks_onBothSidesOfTheMultiplierBound_areExact() {
    // 576,299,999 / 10,200,000 = 56.4999...: the multiplier alone gives 57 for so large a divisor
    assertEquals(56, new Reciprocal(10_200_000).round(576_299_999L));
    Random random = new Random(3);
    for (int i = 0; i < 400_000; i++) {
      long area = 1 + random.nextInt(i % 4 == 0 ? 1 << 30 : 20_000);
      long d = i % 3 == 0 ? area : 255 * area;
      long n = (long) (random.nextDouble() * 255 * d);
      if (i % 2 == 0) {
        n = (n / d) * d + d / 2 + random.nextInt(3) - 1; // next to a half
      }
      n = Math.max(0, Math.min(255 * d, n));
      assertEquals(exact(n, d), new Reciprocal(d).round(n), n + " / " + d);
    }
  }

  @Test
  void theMultiplierBound_isTheLargestDivisorItHolds() {
    long bound = Reciprocal.MAX_MULTIPLIED;
    assertTrue(255 * bound * bound < 1L << 51);
    assertTrue(255 * (bound + 1) * (bound + 1) >= 1L << 51);
  }

  @Test
  void divisorBelowOne_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Reciprocal(0));
  }
}
