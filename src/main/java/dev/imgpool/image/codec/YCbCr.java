package dev.imgpool.image.codec;

/**
 * YCbCr to packed RGB by the equations of the JFIF specification (version 1.02):
 * R = Y + 1.402 (Cr-128), G = Y - 0.34414 (Cb-128) - 0.71414 (Cr-128), B = Y + 1.772 (Cb-128),
 * in 16-bit fixed point, each chroma term rounded to nearest before it is added to Y.
 */
final class YCbCr {
  private YCbCr() {}

  private static final int HALF = 1 << 15;
  private static final int CR_R = 91881; // round(1.402 * 2^16)
  private static final int CB_B = 116130; // round(1.772 * 2^16)
  private static final int CB_G = 22554; // round(0.34414 * 2^16)
  private static final int CR_G = 46802; // round(0.71414 * 2^16)

  // the -128 of the chroma samples folded into the rounding constants (exact in integer arithmetic)
  private static final int R_BIAS = HALF - 128 * CR_R;
  private static final int G_BIAS = HALF + 128 * (CB_G + CR_G);
  private static final int B_BIAS = HALF - 128 * CB_B;

  /**
   * Converts the first {@code count} samples (0-255) of three lines to {@code rgb}. One loop per
   * channel, all arrays indexed alike: the JIT vectorises each of them, but neither one loop for all
   * three channels nor loops with different offsets into int arrays (they might be one array).
   */
  static void toRgb(int[] y, int[] cb, int[] cr, int[] rgb, int count) {
    for (int i = 0; i < count; i++) {
      rgb[i] = ScaledIdct.clamp(y[i] + ((CR_R * cr[i] + R_BIAS) >> 16)) << 16;
    }
    for (int i = 0; i < count; i++) {
      rgb[i] |= ScaledIdct.clamp(y[i] + ((G_BIAS - CB_G * cb[i] - CR_G * cr[i]) >> 16)) << 8;
    }
    for (int i = 0; i < count; i++) {
      rgb[i] |= ScaledIdct.clamp(y[i] + ((CB_B * cb[i] + B_BIAS) >> 16));
    }
  }
}
