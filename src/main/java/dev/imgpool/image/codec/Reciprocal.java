package dev.imgpool.image.codec;

/**
 * Division by a divisor that is fixed for a whole loop, as a multiplication and a shift: a
 * 64-bit division takes tens of cycles and the JIT does not turn one by a loop invariant into
 * anything cheaper. Used for block means, where {@code n} is a sum of at most 255 * 255 per
 * pixel of the block and {@code d} a block area (times 255 for premultiplied colour).
 *
 * <p>{@link #round} gives round(n / d) with halves rounded up, exactly whenever
 * {@code n * d < 2^51}: the multiplier is 2^52 / d rounded up, too large by less than 1, so the
 * product is off by less than n / 2^52, which stays below the 1 / (2d) that separates a value
 * that is not a half from the nearest rounding boundary.
 */
public final class Reciprocal {
  private static final int SHIFT = 52;
  private static final long HALF = 1L << (SHIFT - 1);

  private Reciprocal() {}

  /** The multiplier for dividing by {@code divisor} (at least 1). */
  public static long of(long divisor) {
    if (divisor < 1) {
      throw new IllegalArgumentException("divisor " + divisor);
    }
    return ((1L << SHIFT) - 1) / divisor + 1;
  }

  /** round(n / d), halves up, for 0 <= n and the multiplier {@code of(d)}; n * multiplier must stay below 2^62. */
  public static int round(long n, long multiplier) {
    return (int) ((n * multiplier + HALF) >>> SHIFT);
  }
}
