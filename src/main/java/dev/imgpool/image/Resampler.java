package dev.imgpool.image;

import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;

/**
 * Downscaling in two steps, the way libvips does it: an integer box shrink (each output pixel
 * the mean of a kx-by-ky block, which is both fast and a proper anti-aliasing filter), then a
 * separable Lanczos-3 reduce for the remaining factor, which is below 2. Works straight from the
 * decoder's byte or int rasters, so no full-size copy is made; images with alpha are filtered
 * premultiplied, so transparent pixels lend no colour to their neighbours.
 *
 * <p>Stateless and thread-safe.
 */
final class Resampler {
  private static final int LANCZOS_LOBES = 3;
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
    Planes planes = Planes.shrink(source, Math.max(1, source.getWidth() / target.width()),
        Math.max(1, source.getHeight() / target.height()), alpha);
    int[] argb = planes.reduce(target.width(), target.height());
    BufferedImage out =
        new BufferedImage(target.width(), target.height(), alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
    int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
    System.arraycopy(argb, 0, dst, 0, dst.length);
    return out;
  }

  /**
   * The image as packed premultiplied ARGB ints after the box shrink (alpha is 255 for opaque
   * images).
   */
  private record Planes(int[] argb, int width, int height, boolean alpha) {

    static Planes shrink(BufferedImage source, int kx, int ky, boolean alpha) {
      int w = source.getWidth() / kx;
      int h = source.getHeight() / ky;
      int[] out = new int[w * h];
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
        shrinkInts(((DataBufferInt) packed.getRaster().getDataBuffer()).getData(), packed.getWidth(), kx, ky, w, h,
            packed.getType() == BufferedImage.TYPE_INT_ARGB, out);
        alpha = packed.getType() == BufferedImage.TYPE_INT_ARGB;
      }
      return new Planes(out, w, h, alpha);
    }

    private static void shrinkBytes(Raster raster, int kx, int ky, int w, int h, boolean alpha, int[] out) {
      ComponentSampleModel model = (ComponentSampleModel) raster.getSampleModel();
      byte[] data = ((DataBufferByte) raster.getDataBuffer()).getData();
      int pixelStride = model.getPixelStride();
      int scanline = model.getScanlineStride();
      int[] offsets = model.getBandOffsets();
      int base = raster.getDataBuffer().getOffset();
      long[] sums = new long[w * 4];
      for (int y = 0; y < h; y++) {
        java.util.Arrays.fill(sums, 0);
        for (int dy = 0; dy < ky; dy++) {
          int row = base + (y * ky + dy) * scanline;
          if (alpha) {
            addBytesWithAlpha(data, row, w, kx, pixelStride, offsets, sums);
          } else {
            addBytes(data, row, w, kx, pixelStride, offsets, sums);
          }
        }
        store(sums, w, kx * ky, alpha, out, y * w);
      }
    }

    // One source row into the block sums. Small methods on purpose: the JIT compiles a method
    // called per row at once, where one huge loop nest would run interpreted until OSR.
    private static void addBytes(byte[] data, int row, int w, int kx, int stride, int[] offsets, long[] sums) {
      int ro = offsets[0];
      int go = offsets[1];
      int bo = offsets[2];
      int p = row;
      for (int x = 0; x < w; x++) {
        int r = 0;
        int g = 0;
        int b = 0;
        for (int dx = 0; dx < kx; dx++, p += stride) {
          r += data[p + ro] & 0xFF;
          g += data[p + go] & 0xFF;
          b += data[p + bo] & 0xFF;
        }
        int s = x << 2;
        sums[s] += r;
        sums[s + 1] += g;
        sums[s + 2] += b;
      }
    }

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

    private static void shrinkInts(int[] data, int stride, int kx, int ky, int w, int h, boolean alpha, int[] out) {
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

    /** Writes one row of block sums as premultiplied ARGB (opaque: alpha 255). */
    private static void store(long[] sums, int w, int area, boolean alpha, int[] out, int start) {
      for (int x = 0; x < w; x++) {
        int s = x * 4;
        int r;
        int g;
        int b;
        int a;
        if (alpha) {
          // premultiplied: sum(c * a) / (255 * area), alpha: sum(a) / area
          long scale = 255L * area;
          r = (int) ((sums[s] + scale / 2) / scale);
          g = (int) ((sums[s + 1] + scale / 2) / scale);
          b = (int) ((sums[s + 2] + scale / 2) / scale);
          a = (int) ((sums[s + 3] + area / 2) / area);
        } else {
          r = (int) ((sums[s] + area / 2) / area);
          g = (int) ((sums[s + 1] + area / 2) / area);
          b = (int) ((sums[s + 2] + area / 2) / area);
          a = 255;
        }
        out[start + x] = (a << 24) | (r << 16) | (g << 8) | b;
      }
    }

    /** Lanczos-3 reduce to exactly {@code tw} x {@code th}; returns straight (not premultiplied) ARGB. */
    int[] reduce(int tw, int th) {
      int[] horizontal = width == tw ? argb : pass(argb, width, height, tw, true);
      int[] both = height == th ? horizontal : pass(horizontal, tw, height, th, false);
      if (alpha) {
        unpremultiply(both);
      } else if (both == argb) {
        both = both.clone();
      }
      return both;
    }

    private static void unpremultiply(int[] pixels) {
      for (int i = 0; i < pixels.length; i++) {
        int v = pixels[i];
        int a = v >>> 24;
        if (a == 0) {
          pixels[i] = 0;
        } else if (a < 255) {
          int r = Math.min(255, (((v >> 16) & 0xFF) * 255 + a / 2) / a);
          int g = Math.min(255, (((v >> 8) & 0xFF) * 255 + a / 2) / a);
          int b = Math.min(255, ((v & 0xFF) * 255 + a / 2) / a);
          pixels[i] = (a << 24) | (r << 16) | (g << 8) | b;
        }
      }
    }

    /** One separable pass, along x ({@code horizontal}) or along y, from {@code from} to {@code to} samples. */
    private static int[] pass(int[] src, int w, int h, int to, boolean horizontal) {
      int from = horizontal ? w : h;
      Weights weights = Weights.lanczos(from, to);
      int outW = horizontal ? to : w;
      int outH = horizontal ? h : to;
      int[] out = new int[outW * outH];
      int step = horizontal ? 1 : w;
      int outStep = horizontal ? 1 : outW;
      for (int line = 0; line < (horizontal ? h : w); line++) {
        filterLine(src, horizontal ? line * w : line, step, weights, to, out, horizontal ? line * outW : line, outStep);
      }
      return out;
    }

    /** One line of one pass: {@code to} outputs, each a weighted sum of source samples. */
    private static void filterLine(
        int[] src, int lineStart, int step, Weights weights, int to, int[] out, int outStart, int outStep) {
      for (int i = 0; i < to; i++) {
        int first = weights.first[i];
        int taps = weights.count[i];
        int wBase = i * weights.stride;
        long a = 0;
        long r = 0;
        long g = 0;
        long b = 0;
        int p = lineStart + first * step;
        for (int t = 0; t < taps; t++, p += step) {
          int v = src[p];
          int k = weights.values[wBase + t];
          a += (long) (v >>> 24) * k;
          r += (long) ((v >> 16) & 0xFF) * k;
          g += (long) ((v >> 8) & 0xFF) * k;
          b += (long) (v & 0xFF) * k;
        }
        int av = clamp(a);
        // premultiplied colour may not exceed its alpha
        int rv = Math.min(clamp(r), av);
        int gv = Math.min(clamp(g), av);
        int bv = Math.min(clamp(b), av);
        out[outStart + i * outStep] = (av << 24) | (rv << 16) | (gv << 8) | bv;
      }
    }

    private static int clamp(long fixed) {
      long v = (fixed + (WEIGHT_ONE >> 1)) >> WEIGHT_BITS;
      return v < 0 ? 0 : v > 255 ? 255 : (int) v;
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
