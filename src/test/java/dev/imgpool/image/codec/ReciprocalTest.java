package dev.imgpool.image.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
        long multiplier = Reciprocal.of(d);
        long max = d == area ? 255 * area : 255 * 255 * area;
        for (long n = 0; n <= max; n++) {
          if (Reciprocal.round(n, multiplier) != exact(n, d)) {
            assertEquals(exact(n, d), Reciprocal.round(n, multiplier), n + " / " + d);
          }
        }
      }
    }
    assertEquals(3, Reciprocal.round(10, Reciprocal.of(4)), "2.5 rounds up");
    assertEquals(2, Reciprocal.round(255 * 3 * 2, Reciprocal.of(255 * 4)), "1.5 rounds up");
  }

  @Test
  void largeBlocks_withinTheDocumentedBound_areExact() {
    Random random = new Random(3);
    for (int i = 0; i < 200_000; i++) {
      long area = 1 + random.nextInt(11_000);
      long d = 255 * area;
      long n = (long) (random.nextDouble() * 255 * 255 * area);
      if (i % 2 == 0) {
        n = (n / d) * d + d / 2 + random.nextInt(3) - 1; // next to a half
      }
      n = Math.max(0, Math.min(255L * 255 * area, n));
      assertEquals(exact(n, d), Reciprocal.round(n, Reciprocal.of(d)), n + " / " + d);
    }
  }

  @Test
  void divisorBelowOne_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> Reciprocal.of(0));
  }
}
