package dev.imgpool.image.codec;

/**
 * A box shrink's sums and means, shared by the resampler and the PNG decoder: each source row is
 * added into column sums, then each block's means come from the sums of its columns. A column
 * sum holds, for one source column, each channel's sum over the block's rows, the channels
 * interleaved; {@code kx} columns make a block. With alpha the colour sums are of colour times
 * alpha, so their means are premultiplied colours. Means are rounded halves up
 * ({@link Reciprocal}).
 *
 * <p>One method per layout, each plain counted loops: one method with the layout test inside and
 * an index carried from the outer loop into the inner one was at times never compiled by C2 and
 * ran several times slower for a whole run.
 *
 * <p>Immutable.
 */
public final class BlockMeans {
  /** The most rows a block may have: a column's sum over that many rows of 255 * 255 fits an int. */
  public static final int MAX_ROWS = 32_767;

  private final int kx;
  private final Reciprocal mean; // over the area: samples, or alpha
  private final Reciprocal colourMean; // over 255 times the area: colours weighted by alpha

  /** For blocks of {@code kx} by {@code ky} samples. */
  public BlockMeans(int kx, int ky) {
    if (kx < 1 || ky < 1 || ky > MAX_ROWS) {
      throw new IllegalArgumentException("block " + kx + "x" + ky);
    }
    this.kx = kx;
    this.mean = new Reciprocal((long) kx * ky);
    this.colourMean = new Reciprocal(255L * kx * ky);
  }

  /** Adds {@code n} packed RGB pixels from {@code src[start...]} to {@code columns}: R, G, B per column. */
  public static void addRgb(int[] src, int start, int n, int[] columns) {
    for (int x = 0, i = 0; x < n; x++, i += 3) {
      int v = src[start + x];
      columns[i] += (v >> 16) & 0xFF;
      columns[i + 1] += (v >> 8) & 0xFF;
      columns[i + 2] += v & 0xFF;
    }
  }

  /** Adds {@code n} packed ARGB pixels, colours weighted by alpha: R*A, G*A, B*A, A per column. */
  public static void addArgb(int[] src, int start, int n, int[] columns) {
    for (int x = 0, i = 0; x < n; x++, i += 4) {
      int v = src[start + x];
      int a = v >>> 24;
      columns[i] += ((v >> 16) & 0xFF) * a;
      columns[i + 1] += ((v >> 8) & 0xFF) * a;
      columns[i + 2] += (v & 0xFF) * a;
      columns[i + 3] += a;
    }
  }

  /**
   * {@link #addRgb} for {@code n} interleaved byte pixels from {@code src[start...]},
   * {@code pixelStride} bytes apart, with R, G and B at {@code offsets} within a pixel.
   */
  public static void addBytes(byte[] src, int start, int pixelStride, int[] offsets, int n, int[] columns) {
    int ro = offsets[0];
    int go = offsets[1];
    int bo = offsets[2];
    for (int x = 0, p = start, i = 0; x < n; x++, p += pixelStride, i += 3) {
      columns[i] += src[p + ro] & 0xFF;
      columns[i + 1] += src[p + go] & 0xFF;
      columns[i + 2] += src[p + bo] & 0xFF;
    }
  }

  /**
   * {@link #addArgb} for {@code n} interleaved byte pixels from {@code src[start...]},
   * {@code pixelStride} bytes apart, with R, G, B and A at {@code offsets} within a pixel.
   */
  public static void addBytesWithAlpha(byte[] src, int start, int pixelStride, int[] offsets, int n, int[] columns) {
    int ro = offsets[0];
    int go = offsets[1];
    int bo = offsets[2];
    int ao = offsets[3];
    for (int x = 0, p = start, i = 0; x < n; x++, p += pixelStride, i += 4) {
      int a = src[p + ao] & 0xFF;
      columns[i] += (src[p + ro] & 0xFF) * a;
      columns[i + 1] += (src[p + go] & 0xFF) * a;
      columns[i + 2] += (src[p + bo] & 0xFF) * a;
      columns[i + 3] += a;
    }
  }

  /** One channel: {@code blocks} means of {@code columns} into {@code v}. */
  public void gray(int[] columns, int[] v, int blocks) {
    int k = kx;
    for (int x = 0; x < blocks; x++) {
      int from = k * x;
      long sum = 0;
      for (int j = 0; j < k; j++) {
        sum += columns[from + j];
      }
      v[x] = mean.round(sum);
    }
  }

  /** Three channels, R G B. */
  public void opaque(int[] columns, int[] r, int[] g, int[] b, int blocks) {
    int k = kx;
    for (int x = 0; x < blocks; x++) {
      int from = 3 * k * x;
      long sr = 0;
      long sg = 0;
      long sb = 0;
      for (int j = 0; j < k; j++) {
        int i = from + 3 * j;
        sr += columns[i];
        sg += columns[i + 1];
        sb += columns[i + 2];
      }
      r[x] = mean.round(sr);
      g[x] = mean.round(sg);
      b[x] = mean.round(sb);
    }
  }

  /** Four channels, R G B weighted by alpha, then A: premultiplied colours and alpha. */
  public void alpha(int[] columns, int[] r, int[] g, int[] b, int[] a, int blocks) {
    int k = kx;
    for (int x = 0; x < blocks; x++) {
      int from = 4 * k * x;
      long sr = 0;
      long sg = 0;
      long sb = 0;
      long sa = 0;
      for (int j = 0; j < k; j++) {
        int i = from + 4 * j;
        sr += columns[i];
        sg += columns[i + 1];
        sb += columns[i + 2];
        sa += columns[i + 3];
      }
      r[x] = colourMean.round(sr);
      g[x] = colourMean.round(sg);
      b[x] = colourMean.round(sb);
      a[x] = mean.round(sa);
    }
  }
}
