package dev.imgpool.image.codec;

/**
 * Division by a divisor that is fixed for a whole loop, as a multiplication and a shift: a
 * 64-bit division takes tens of cycles, and the JIT does not turn one by a loop invariant into
 * anything cheaper. For block means: the dividend is a sum over a block and never exceeds 255
 * times the divisor (a colour sum of 255 * 255 per pixel over 255 times the area, or an 8-bit
 * sum over the area).
 *
 * <p>{@link #round} gives round(n / d) with halves rounded up, exactly. The multiplier is 2^52 / d
 * rounded up, too large by less than 1, so the product is off by less than n / 2^52; that stays
 * below the 1 / (2d) between a value that is not a half and the nearest rounding boundary while
 * n * d < 2^51, which n <= 255 d guarantees for d up to {@link #MAX_MULTIPLIED} (a premultiplied
 * block of about 11,600 pixels). Larger divisors, blocks of more than 107 by 107 pixels, divide:
 * once per block of that size, the division costs nothing that matters.
 *
 * <p>Immutable.
 */
public final class Reciprocal {
  private static final int SHIFT = 52;
  private static final long HALF = 1L << (SHIFT - 1);
  /** The largest divisor d with 255 * d * d < 2^51. */
  static final long MAX_MULTIPLIED = 2_971_630;

  private final long divisor;
  private final long multiplier; // 0: divide

  /** For dividing by {@code divisor} (at least 1). */
  public Reciprocal(long divisor) {
    if (divisor < 1) {
      throw new IllegalArgumentException("divisor " + divisor);
    }
    this.divisor = divisor;
    this.multiplier = divisor <= MAX_MULTIPLIED ? ((1L << SHIFT) - 1) / divisor + 1 : 0;
  }

  /** round(n / divisor), halves up, for 0 <= n <= 255 * divisor. */
  public int round(long n) {
    return multiplier != 0 ? (int) ((n * multiplier + HALF) >>> SHIFT) : (int) ((2 * n + divisor) / (2 * divisor));
  }
}
