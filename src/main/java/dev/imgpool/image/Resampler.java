package dev.imgpool.image;

import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;

/**
 * Downscaling in two steps: an integer box shrink (each output pixel
 * the mean of a kx-by-ky block: fast, but a blunt low-pass filter), then a
 * separable Lanczos-3 reduce for the remaining factor, which the box leaves at 2 or more so the
 * Lanczos filter does most of the anti-aliasing. Works straight from the
 * decoder's byte or int rasters, so no full-size copy is made; images with alpha are filtered
 * premultiplied, so transparent pixels lend no colour to their neighbours.
 *
 * <p>Stateless and thread-safe.
 */
final class Resampler {
  private static final int LANCZOS_LOBES = 3;
  /** The box shrink leaves at least this factor to the Lanczos reduce (-Dimgpool.boxGap=1: box all the way). */
  private static final int BOX_GAP = Integer.getInteger("imgpool.boxGap", 2);
  private static final int WEIGHT_BITS = 14;
  private static final int WEIGHT_ONE = 1 << WEIGHT_BITS;

  private Resampler() {}

  /** True when this class handles a resize from {@code source} to {@code target}: downscales. */
  static boolean handles(BufferedImage source, Size target) {
    return target.width() <= source.getWidth() && target.height() <= source.getHeight();
  }

  /**
   * {@code source} reduced to {@code target}, as {@code TYPE_INT_RGB}, or {@code TYPE_INT_ARGB}
   * when the source has alpha. The source must be at least as large as the target on each side.
   */
  static BufferedImage downscale(BufferedImage source, Size target) {
    boolean alpha = source.getColorModel().hasAlpha();
    // The box may only take the image down to BOX_GAP times the target: a box is a poor low-pass
    // filter, and boxing all the way (then a short Lanczos step) measured several dB below a pure
    // Lanczos resize; leaving Lanczos a factor of 2 comes within a fraction of a dB of it.
    Planes planes = Planes.shrink(source, Math.max(1, source.getWidth() / (BOX_GAP * target.width())),
        Math.max(1, source.getHeight() / (BOX_GAP * target.height())), alpha);
    int[] argb = planes.reduce(target.width(), target.height());
    BufferedImage out =
        new BufferedImage(target.width(), target.height(), alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
    int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
    System.arraycopy(argb, 0, dst, 0, dst.length);
    return out;
  }

  /**
   * The image after the box shrink as one int array per channel (premultiplied by alpha when
   * there is alpha; {@code a} is null for opaque images). Planar data lets each pass run along
   * contiguous rows with int arithmetic.
   */
  private record Planes(int[] r, int[] g, int[] b, int[] a, int width, int height) {

    static Planes shrink(BufferedImage source, int kx, int ky, boolean alpha) {
      int w = source.getWidth() / kx;
      int h = source.getHeight() / ky;
      int[][] out = {new int[w * h], new int[w * h], new int[w * h], alpha ? new int[w * h] : null};
      Raster raster = source.getRaster();
      int type = source.getType();
      boolean byteInterleaved =
          raster.getDataBuffer() instanceof DataBufferByte
              && raster.getSampleModel() instanceof ComponentSampleModel
              && raster.getNumBands() >= 3
              && (type == BufferedImage.TYPE_3BYTE_BGR || type == BufferedImage.TYPE_4BYTE_ABGR
                  || (!alpha && raster.getNumBands() == 3 && source.getColorModel().getColorSpace().isCS_sRGB()));
      if (byteInterleaved && raster.getParent() == null) {
        shrinkBytes(raster, kx, ky, w, h, alpha, out);
      } else {
        BufferedImage packed = Pixels.toPackedRgb(source);
        boolean packedAlpha = packed.getType() == BufferedImage.TYPE_INT_ARGB;
        if (packedAlpha && out[3] == null) {
          out[3] = new int[w * h];
        }
        shrinkInts(((DataBufferInt) packed.getRaster().getDataBuffer()).getData(), packed.getWidth(), kx, ky, w, h,
            packedAlpha, out);
        if (packed.getType() != BufferedImage.TYPE_INT_ARGB) {
          out[3] = null;
        }
      }
      return new Planes(out[0], out[1], out[2], out[3], w, h);
    }

    private static void shrinkBytes(Raster raster, int kx, int ky, int w, int h, boolean alpha, int[][] out) {
      ComponentSampleModel model = (ComponentSampleModel) raster.getSampleModel();
      byte[] data = ((DataBufferByte) raster.getDataBuffer()).getData();
      int pixelStride = model.getPixelStride();
      int scanline = model.getScanlineStride();
      int[] offsets = model.getBandOffsets();
      int base = raster.getDataBuffer().getOffset();
      long[] sums = new long[w * 4];
      if (!alpha) {
        shrinkOpaqueBytes(data, base, scanline, pixelStride, offsets, kx, ky, w, h, sums, out);
        return;
      }
      for (int y = 0; y < h; y++) {
        java.util.Arrays.fill(sums, 0);
        for (int dy = 0; dy < ky; dy++) {
          int row = base + (y * ky + dy) * scanline;
          addBytesWithAlpha(data, row, w, kx, pixelStride, offsets, sums);
        }
        store(sums, w, kx * ky, true, out, y * w);
      }
    }

    /**
     * The opaque byte case, in two steps that run along memory: first the ky rows of a block row
     * are summed sample by sample into one int row (a plain loop the JIT vectorises), then each
     * kx-wide block of that row is summed.
     */
    private static void shrinkOpaqueBytes(byte[] data, int base, int scanline, int stride, int[] offsets, int kx, int ky,
        int w, int h, long[] sums, int[][] out) {
      int used = w * kx * stride; // the samples that fall into whole blocks
      int[] columns = new int[used];
      for (int y = 0; y < h; y++) {
        java.util.Arrays.fill(columns, 0);
        for (int dy = 0; dy < ky; dy++) {
          addRow(data, base + (y * ky + dy) * scanline, columns, used);
        }
        sumBlocks(columns, w, kx, stride, offsets, sums);
        store(sums, w, kx * ky, false, out, y * w);
      }
    }

    private static void addRow(byte[] data, int start, int[] columns, int n) {
      for (int i = 0; i < n; i++) {
        columns[i] += data[start + i] & 0xFF;
      }
    }

    private static void sumBlocks(int[] columns, int w, int kx, int stride, int[] offsets, long[] sums) {
      int ro = offsets[0];
      int go = offsets[1];
      int bo = offsets[2];
      int p = 0;
      for (int x = 0; x < w; x++) {
        long r = 0;
        long g = 0;
        long b = 0;
        for (int dx = 0; dx < kx; dx++, p += stride) {
          r += columns[p + ro];
          g += columns[p + go];
          b += columns[p + bo];
        }
        int s = x << 2;
        sums[s] = r;
        sums[s + 1] = g;
        sums[s + 2] = b;
      }
    }


    // One source row into the block sums. Small methods on purpose: the JIT compiles a method
    // called per row at once, where one huge loop nest would run interpreted until OSR.
    private static void addBytesWithAlpha(byte[] data, int row, int w, int kx, int stride, int[] offsets, long[] sums) {
      int ro = offsets[0];
      int go = offsets[1];
      int bo = offsets[2];
      int ao = offsets[3];
      int p = row;
      for (int x = 0; x < w; x++) {
        long r = 0;
        long g = 0;
        long b = 0;
        int a = 0;
        for (int dx = 0; dx < kx; dx++, p += stride) {
          int av = data[p + ao] & 0xFF;
          r += (data[p + ro] & 0xFF) * av;
          g += (data[p + go] & 0xFF) * av;
          b += (data[p + bo] & 0xFF) * av;
          a += av;
        }
        int s = x << 2;
        sums[s] += r;
        sums[s + 1] += g;
        sums[s + 2] += b;
        sums[s + 3] += a;
      }
    }

    private static void shrinkInts(int[] data, int stride, int kx, int ky, int w, int h, boolean alpha, int[][] out) {
      long[] sums = new long[w * 4];
      for (int y = 0; y < h; y++) {
        java.util.Arrays.fill(sums, 0);
        for (int dy = 0; dy < ky; dy++) {
          addInts(data, (y * ky + dy) * stride, w, kx, alpha, sums);
        }
        store(sums, w, kx * ky, alpha, out, y * w);
      }
    }

    private static void addInts(int[] data, int row, int w, int kx, boolean alpha, long[] sums) {
      int p = row;
      for (int x = 0; x < w; x++) {
        long r = 0;
        long g = 0;
        long b = 0;
        long a = 0;
        for (int dx = 0; dx < kx; dx++, p++) {
          int v = data[p];
          if (alpha) {
            int av = v >>> 24;
            r += ((v >> 16) & 0xFF) * av;
            g += ((v >> 8) & 0xFF) * av;
            b += (v & 0xFF) * av;
            a += av;
          } else {
            r += (v >> 16) & 0xFF;
            g += (v >> 8) & 0xFF;
            b += v & 0xFF;
          }
        }
        int s = x << 2;
        sums[s] += r;
        sums[s + 1] += g;
        sums[s + 2] += b;
        sums[s + 3] += a;
      }
    }

    /** Writes one row of block sums as channel values (premultiplied where there is alpha). */
    private static void store(long[] sums, int w, int area, boolean alpha, int[][] out, int start) {
      int[] ro = out[0];
      int[] go = out[1];
      int[] bo = out[2];
      int[] ao = out[3];
      // Division by a constant as a multiplication: sum < 256 * divisor, so the product stays
      // below 2^48, and the result is exact to rounding.
      long colourMul = (1L << 40) / (alpha ? 255L * area : area);
      long alphaMul = (1L << 40) / area;
      long half = 1L << 39;
      for (int x = 0; x < w; x++) {
        int s = x << 2;
        ro[start + x] = (int) ((sums[s] * colourMul + half) >>> 40);
        go[start + x] = (int) ((sums[s + 1] * colourMul + half) >>> 40);
        bo[start + x] = (int) ((sums[s + 2] * colourMul + half) >>> 40);
        if (alpha) {
          ao[start + x] = (int) ((sums[s + 3] * alphaMul + half) >>> 40);
        }
      }
    }

    /** Lanczos-3 reduce to exactly {@code tw} x {@code th}; returns straight (not premultiplied) ARGB. */
    int[] reduce(int tw, int th) {
      int[][] channels = a == null ? new int[][] {r, g, b} : new int[][] {r, g, b, a};
      int[][] reduced = new int[channels.length][];
      Weights across = width == tw ? null : Weights.lanczos(width, tw);
      Weights down = height == th ? null : Weights.lanczos(height, th);
      for (int c = 0; c < channels.length; c++) {
        // Rows first: the vertical pass runs along memory and vectorises, so it takes the
        // larger image; the horizontal pass, a gather, gets the smaller.
        int[] vertical = down == null ? channels[c] : vertical(channels[c], width, height, th, down);
        reduced[c] = across == null ? vertical : horizontal(vertical, width, th, tw, across);
      }
      int[] argb = new int[tw * th];
      for (int y = 0; y < th; y++) {
        packRow(reduced, a != null, argb, y * tw, tw);
      }
      return argb;
    }

    /** One row of channel values to straight ARGB, clamped, alpha divided out. */
    private static void packRow(int[][] reduced, boolean alpha, int[] argb, int start, int n) {
      for (int i = start; i < start + n; i++) {
        int av = !alpha ? 255 : clamp8(reduced[3][i]);
        int rv = clamp8(reduced[0][i]);
        int gv = clamp8(reduced[1][i]);
        int bv = clamp8(reduced[2][i]);
        if (alpha) {
          if (av == 0) {
            rv = 0;
            gv = 0;
            bv = 0;
          } else if (av < 255) {
            rv = Math.min(255, (rv * 255 + av / 2) / av);
            gv = Math.min(255, (gv * 255 + av / 2) / av);
            bv = Math.min(255, (bv * 255 + av / 2) / av);
          }
        }
        argb[i] = (av << 24) | (rv << 16) | (gv << 8) | bv;
      }
    }

    /** Along each row: {@code to} outputs per row, each a weighted sum of neighbouring samples. */
    private static int[] horizontal(int[] src, int w, int h, int to, Weights weights) {
      int[] out = new int[to * h];
      for (int y = 0; y < h; y++) {
        filterRow(src, y * w, weights, out, y * to, to);
      }
      return out;
    }

    private static void filterRow(int[] src, int rowStart, Weights weights, int[] out, int outStart, int to) {
      int[] values = weights.values;
      int stride = weights.stride;
      for (int i = 0; i < to; i++) {
        int p = rowStart + weights.first[i];
        int k = i * stride;
        int taps = weights.count[i];
        int sum = 0;
        for (int t = 0; t < taps; t++) {
          sum += src[p + t] * values[k + t];
        }
        out[outStart + i] = sum;
      }
      for (int i = 0; i < to; i++) {
        out[outStart + i] = round(out[outStart + i]);
      }
    }

    /**
     * Down the columns, one output row at a time: each output row is a weighted sum of whole
     * source rows, so every access runs along memory.
     */
    private static int[] vertical(int[] src, int w, int h, int to, Weights weights) {
      int[] out = new int[w * to];
      int[] row = new int[w];
      for (int i = 0; i < to; i++) {
        java.util.Arrays.fill(row, 0);
        int first = weights.first[i];
        int k = i * weights.stride;
        for (int t = 0; t < weights.count[i]; t++) {
          addScaledRow(src, (first + t) * w, weights.values[k + t], row, w);
        }
        roundRow(row, out, i * w, w);
      }
      return out;
    }

    // A loop of its own, called per row, so the JIT compiles it at once (inside vertical() it ran
    // interpreted for the first images and showed as the hottest frame).
    private static void roundRow(int[] row, int[] out, int start, int w) {
      for (int x = 0; x < w; x++) {
        out[start + x] = round(row[x]);
      }
    }

    private static void addScaledRow(int[] src, int start, int weight, int[] row, int w) {
      for (int x = 0; x < w; x++) {
        row[x] += src[start + x] * weight;
      }
    }

    /** A fixed-point sum back to a sample; may leave 0-255 (Lanczos rings), clamped at the end. */
    private static int round(int fixed) {
      return (fixed + (WEIGHT_ONE >> 1)) >> WEIGHT_BITS;
    }

    private static int clamp8(int v) {
      return v < 0 ? 0 : Math.min(v, 255);
    }

  }

  /** Fixed-point Lanczos weights for every output sample of one pass. */
  private record Weights(int[] first, int[] count, int[] values, int stride) {
    static Weights lanczos(int from, int to) {
      double scale = (double) from / to; // >= 1: a reduce
      double support = LANCZOS_LOBES * Math.max(1, scale);
      int stride = (int) Math.ceil(support * 2) + 2;
      int[] first = new int[to];
      int[] count = new int[to];
      int[] values = new int[to * stride];
      double[] w = new double[stride];
      for (int i = 0; i < to; i++) {
        double center = (i + 0.5) * scale - 0.5;
        int lo = (int) Math.floor(center - support) + 1;
        int hi = (int) Math.floor(center + support);
        lo = Math.max(lo, 0);
        hi = Math.min(hi, from - 1);
        int n = Math.min(hi - lo + 1, stride);
        double sum = 0;
        for (int t = 0; t < n; t++) {
          w[t] = lanczos((lo + t - center) / Math.max(1, scale));
          sum += w[t];
        }
        int total = 0;
        for (int t = 0; t < n; t++) {
          int k = (int) Math.round(w[t] / sum * WEIGHT_ONE);
          values[i * stride + t] = k;
          total += k;
        }
        values[i * stride + n / 2] += WEIGHT_ONE - total; // exact unity gain after rounding
        first[i] = lo;
        count[i] = n;
      }
      return new Weights(first, count, values, stride);
    }

    private static double lanczos(double x) {
      if (x == 0) {
        return 1;
      }
      if (Math.abs(x) >= LANCZOS_LOBES) {
        return 0;
      }
      double px = Math.PI * x;
      return LANCZOS_LOBES * Math.sin(px) * Math.sin(px / LANCZOS_LOBES) / (px * px);
    }
  }
}
