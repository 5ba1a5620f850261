package dev.imgpool.image;

/**
 * What a decode may cost, checked from the header before any pixel is allocated.
 *
 * @param maxPixels largest width x height accepted, 0 for no limit
 * @param maxSide largest width or height accepted
 * @param maxFrames largest number of frames accepted in an animated file
 * @param allowTruncated accept truncated data with a warning instead of failing
 */
public record DecodeLimits(long maxPixels, int maxSide, int maxFrames, boolean allowTruncated) {
  /** Pillow's decompression-bomb error threshold (2 x 89,478,485): generous for photos, fatal for bombs. */
  public static final long DEFAULT_MAX_PIXELS = 178_956_970L;
  /** The largest side the JPEG and WebP formats can hold. */
  public static final int DEFAULT_MAX_SIDE = 65_535;
  public static final int DEFAULT_MAX_FRAMES = 10_000;

  public DecodeLimits {
    if (maxPixels < 0) {
      throw new IllegalArgumentException("maxPixels (" + maxPixels + ") may not be negative");
    }
    if (maxSide < 1 || maxFrames < 1) {
      throw new IllegalArgumentException("maxSide and maxFrames must be positive");
    }
  }

  public static DecodeLimits defaults() {
    return new DecodeLimits(DEFAULT_MAX_PIXELS, DEFAULT_MAX_SIDE, DEFAULT_MAX_FRAMES, false);
  }
}
