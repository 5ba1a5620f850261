package dev.imgpool.image;

import dev.imgpool.image.codec.BlockMeans;
import dev.imgpool.image.codec.Reciprocal;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;
import java.util.Arrays;

/**
 * Downscaling in two steps: an integer box shrink (each pixel the mean of a kx-by-ky block:
 * fast, but a blunt low-pass filter), then a separable Lanczos-3 reduce for the remaining
 * factor, which the box leaves at 2 or more so the Lanczos filter does most of the
 * anti-aliasing. Images with alpha are filtered premultiplied, so transparent pixels lend no
 * colour to their neighbours.
 *
 * <p>The work streams down the image: each box-shrunk row goes into a ring of as many rows as
 * the vertical filter spans, each output row is made from the ring and then filtered
 * horizontally. Nothing image-sized is allocated besides the result, and the ring stays in the
 * CPU's cache. Every source row in the ring is an array of its own: that lets the JIT vectorise
 * the vertical sums, which it does not do across offsets into one large array.
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
    // The box may only take the image down to BOX_GAP times the target: a box is a poor low-pass
    // filter, and boxing all the way (then a short Lanczos step) measured several dB below a pure
    // Lanczos resize; leaving Lanczos a factor of 2 comes within a fraction of a dB of it.
    int kx = boxFactor(source.getWidth(), target.width());
    int ky = boxFactor(source.getHeight(), target.height());
    BoxRows rows = BoxRows.of(source, kx, ky);
    BufferedImage out = new BufferedImage(
        target.width(), target.height(), rows.alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
    reduce(rows, target.width(), target.height(), ((DataBufferInt) out.getRaster().getDataBuffer()).getData());
    return out;
  }

  /**
   * The box shrink along one side from {@code from} samples towards {@code to}: the largest that
   * leaves at least {@link #BOX_GAP} times {@code to}. Capped so that a column's sum over that
   * many rows (up to 255 * 255 each, with alpha) fits an int. The PNG decoder shrinks by the same
   * factor as it decodes.
   */
  static int boxFactor(int from, int to) {
    return Math.min(BlockMeans.MAX_ROWS, Math.max(1, from / (BOX_GAP * to)));
  }

  /** Lanczos-3 reduce of the box-shrunk rows to exactly {@code tw} x {@code th}, as straight ARGB. */
  private static void reduce(BoxRows rows, int tw, int th, int[] argb) {
    Ring ring = new Ring(rows, Weights.lanczos(rows.height, th), Weights.lanczos(rows.width, tw));
    for (int y = 0; y < th; y++) {
      ring.readRowsFor(y);
      ring.outputRow(y, argb, y * tw);
    }
  }

  /**
   * The source rows the vertical filter spans, and the work for one output row. One call per
   * output row keeps each compiled method small: as one long loop nest the JIT compiled it
   * again and again (on-stack replacement, then recompiles as new paths came up), which cost
   * more CPU than the resizing itself on a run over a hundred files.
   */
  private static final class Ring {
    private final BoxRows rows;
    private final Weights down;
    private final Weights across;
    private final int span;
    private final int[][][] slots; // [source row % span][channel][x]
    private final int[][] sums;
    private final long[] redBlue; // the vertical results, red and blue paired for the horizontal pass
    private final long[] greenAlpha; // green and alpha paired; null without alpha
    private final int[][] filtered;
    private int next; // the next source row to read

    Ring(BoxRows rows, Weights down, Weights across) {
      this.rows = rows;
      this.down = down;
      this.across = across;
      int channels = rows.alpha ? 4 : 3;
      this.span = down.maxCount();
      this.slots = new int[span][channels][rows.width];
      this.sums = new int[channels][rows.width];
      this.redBlue = new long[rows.width];
      this.greenAlpha = rows.alpha ? new long[rows.width] : null;
      this.filtered = new int[channels][across.first.length];
    }

    /**
     * Reads the source rows that output row {@code y} needs. Kept out of {@link #outputRow} so
     * that a new path in the box step recompiles only this small method, not the filters too.
     */
    void readRowsFor(int y) {
      int end = down.first[y] + down.count[y];
      while (next < end) {
        rows.next(slots[next % span]);
        next++;
      }
    }

    /** Filters output row {@code y} from the rows {@link #readRowsFor} has read. */
    void outputRow(int y, int[] argb, int start) {
      int first = down.first[y];
      int count = down.count[y];
      int w = rows.width;
      for (int c = 0; c < sums.length; c++) {
        int[] sum = sums[c];
        Arrays.fill(sum, 0);
        for (int t = 0; t < count; t++) {
          addScaled(slots[(first + t) % span][c], down.values[y * down.stride + t], sum, w);
        }
      }
      int tw = filtered[0].length;
      pair(sums[0], sums[2], redBlue, w);
      if (rows.alpha) {
        pair(sums[1], sums[3], greenAlpha, w);
        filterPairs(redBlue, greenAlpha, across, filtered[0], filtered[2], filtered[1], filtered[3], tw);
        packAlpha(filtered[0], filtered[1], filtered[2], filtered[3], argb, start, tw);
      } else {
        roundAll(sums[1], w);
        filterPairAndOne(redBlue, sums[1], across, filtered[0], filtered[2], filtered[1], tw);
        packOpaque(filtered[0], filtered[1], filtered[2], argb, start, tw);
      }
    }
  }

  private static void addScaled(int[] row, int weight, int[] sums, int w) {
    for (int x = 0; x < w; x++) {
      sums[x] += row[x] * weight;
    }
  }

  private static void roundAll(int[] values, int n) {
    for (int x = 0; x < n; x++) {
      values[x] = round(values[x]);
    }
  }

  /**
   * Two rounded vertical sums in one long: {@code high * 2^32 + low}. The horizontal pass then
   * weighs both with one 64-bit multiplication. The sums stay exact: the weights of one output
   * add up to 2^14 (their magnitudes to about 1.3 times that) and the samples stay within a few
   * hundred, so each channel's weighted sum is far within an int; the low half of the total is
   * then the low channel's sum and the rest the high channel's times 2^32, signs included.
   */
  static void pair(int[] low, int[] high, long[] pairs, int n) {
    for (int x = 0; x < n; x++) {
      pairs[x] = ((long) round(high[x]) << 32) + round(low[x]);
    }
  }

  /** Along one row, for two channel pairs: each of the {@code to} outputs a weighted sum of neighbouring samples. */
  static void filterPairs(long[] first, long[] second, Weights weights, int[] outLow1, int[] outHigh1,
      int[] outLow2, int[] outHigh2, int to) {
    int[] values = weights.values;
    int stride = weights.stride;
    for (int i = 0; i < to; i++) {
      int p = weights.first[i];
      int k = i * stride;
      int taps = weights.count[i];
      long s1 = 0;
      long s2 = 0;
      for (int t = 0; t < taps; t++) {
        long weight = values[k + t];
        s1 += first[p + t] * weight;
        s2 += second[p + t] * weight;
      }
      int low1 = (int) s1;
      int low2 = (int) s2;
      outLow1[i] = round(low1);
      outHigh1[i] = round((int) ((s1 - low1) >> 32));
      outLow2[i] = round(low2);
      outHigh2[i] = round((int) ((s2 - low2) >> 32));
    }
  }

  /** {@link #filterPairs} for one channel pair and one single channel. */
  static void filterPairAndOne(long[] pairs, int[] single, Weights weights, int[] outLow, int[] outHigh,
      int[] outSingle, int to) {
    int[] values = weights.values;
    int stride = weights.stride;
    for (int i = 0; i < to; i++) {
      int p = weights.first[i];
      int k = i * stride;
      int taps = weights.count[i];
      long sp = 0;
      int ss = 0;
      for (int t = 0; t < taps; t++) {
        int weight = values[k + t];
        sp += pairs[p + t] * weight;
        ss += single[p + t] * weight;
      }
      int low = (int) sp;
      outLow[i] = round(low);
      outHigh[i] = round((int) ((sp - low) >> 32));
      outSingle[i] = round(ss);
    }
  }

  /**
   * One opaque row of channel values to packed RGB, clamped. Opaque and alpha rows have a loop
   * each, without branches on the pixels: a branch that the first images never took made the
   * JIT compile the whole row method again when a later image took it.
   */
  private static void packOpaque(int[] r, int[] g, int[] b, int[] argb, int start, int n) {
    for (int i = 0; i < n; i++) {
      argb[start + i] = 0xFF000000 | (clamp8(r[i]) << 16) | (clamp8(g[i]) << 8) | clamp8(b[i]);
    }
  }

  /** One row of premultiplied channel values to straight ARGB, clamped, alpha divided out. */
  private static void packAlpha(int[] r, int[] g, int[] b, int[] a, int[] argb, int start, int n) {
    for (int i = 0; i < n; i++) {
      int av = clamp8(a[i]);
      int half = av >> 1;
      int divisor = Math.max(av, 1);
      int rv = Math.min(255, (clamp8(r[i]) * 255 + half) / divisor);
      int gv = Math.min(255, (clamp8(g[i]) * 255 + half) / divisor);
      int bv = Math.min(255, (clamp8(b[i]) * 255 + half) / divisor);
      int visible = -((av + 255) >> 8); // all ones unless alpha is 0: then the colour is 0 too
      argb[start + i] = ((av << 24) | (rv << 16) | (gv << 8) | bv) & visible;
    }
  }

  /** A fixed-point sum back to a sample; may leave 0-255 (Lanczos rings), clamped at the end. */
  private static int round(int fixed) {
    return (fixed + (WEIGHT_ONE >> 1)) >> WEIGHT_BITS;
  }

  private static int clamp8(int v) {
    return Math.max(0, Math.min(v, 255));
  }

  /**
   * The source's rows after the box shrink, one at a time, as one int row per channel (R, G, B
   * and, with alpha, A; colours premultiplied by alpha). Reads the decoder's packed-int or
   * interleaved-byte raster in place, premultiplied packed ints included; any other layout is
   * packed once first.
   */
  private static class BoxRows {
    final int width;
    final int height;
    final boolean alpha;
    private final int kx;
    private final int ky;
    final int[] ints; // packed ARGB/RGB source, or null
    private final byte[] bytes; // interleaved byte source, or null
    final int base;
    final int scanline;
    private final int pixelStride;
    private final int[] bandOffsets;
    private final boolean premultiplied; // packed ints with premultiplied colours
    private final int[] columns; // per source column and channel: the sum over the block's rows
    private final BlockMeans means;
    int row; // the next output row

    private BoxRows(BufferedImage source, int kx, int ky, boolean alpha, Raster raster) {
      this.width = source.getWidth() / kx;
      this.height = source.getHeight() / ky;
      this.alpha = alpha;
      this.kx = kx;
      this.ky = ky;
      if (raster.getDataBuffer() instanceof DataBufferInt buffer) {
        SinglePixelPackedSampleModel model = (SinglePixelPackedSampleModel) raster.getSampleModel();
        this.ints = buffer.getData();
        this.bytes = null;
        this.scanline = model.getScanlineStride();
        this.pixelStride = 1;
        this.bandOffsets = null;
      } else {
        ComponentSampleModel model = (ComponentSampleModel) raster.getSampleModel();
        this.ints = null;
        this.bytes = ((DataBufferByte) raster.getDataBuffer()).getData();
        this.scanline = model.getScanlineStride();
        this.pixelStride = model.getPixelStride();
        this.bandOffsets = model.getBandOffsets();
      }
      this.base = raster.getDataBuffer().getOffset();
      this.premultiplied = source.isAlphaPremultiplied();
      this.columns = new int[width * kx * (alpha ? 4 : 3)];
      this.means = new BlockMeans(kx, ky);
    }

    static BoxRows of(BufferedImage source, int kx, int ky) {
      boolean alpha = source.getColorModel().hasAlpha();
      Raster raster = source.getRaster();
      int type = source.getType();
      boolean packedInts = (type == BufferedImage.TYPE_INT_RGB || type == BufferedImage.TYPE_INT_ARGB
          || type == BufferedImage.TYPE_INT_ARGB_PRE) && raster.getParent() == null;
      boolean byteInterleaved = raster.getDataBuffer() instanceof DataBufferByte
          && raster.getSampleModel() instanceof ComponentSampleModel
          && raster.getParent() == null
          && (type == BufferedImage.TYPE_3BYTE_BGR || type == BufferedImage.TYPE_4BYTE_ABGR
              || (!alpha && raster.getNumBands() == 3 && source.getColorModel().getColorSpace().isCS_sRGB()));
      if (packedInts && kx == 1 && ky == 1) {
        return !alpha ? new UnboxedOpaque(source, raster)
            : source.isAlphaPremultiplied() ? new UnboxedPremultiplied(source, raster) : new UnboxedAlpha(source, raster);
      }
      if (packedInts || byteInterleaved) {
        return new BoxRows(source, kx, ky, alpha, raster);
      }
      BufferedImage packed = Pixels.toPackedRgb(source);
      return new BoxRows(packed, kx, ky, packed.getType() == BufferedImage.TYPE_INT_ARGB, packed.getRaster());
    }

    /** Fills {@code out[channel][0, width)} with the next row. */
    void next(int[][] out) {
      Arrays.fill(columns, 0);
      for (int dy = 0; dy < ky; dy++) {
        int y = row * ky + dy;
        if (premultiplied) {
          addPremultiplied(base + y * scanline);
        } else if (ints != null) {
          addInts(base + y * scanline);
        } else {
          addBytes(base + y * scanline);
        }
      }
      store(out);
      row++;
    }

    private void addInts(int start) {
      if (alpha) {
        BlockMeans.addArgb(ints, start, width * kx, columns);
      } else {
        BlockMeans.addRgb(ints, start, width * kx, columns);
      }
    }

    /** Premultiplied colours times 255: the scale of the straight colours times alpha that addInts sums. */
    private void addPremultiplied(int start) {
      int[] c = columns;
      int n = width * kx;
      for (int x = 0, i = 0; x < n; x++, i += 4) {
        int v = ints[start + x];
        c[i] += ((v >> 16) & 0xFF) * 255;
        c[i + 1] += ((v >> 8) & 0xFF) * 255;
        c[i + 2] += (v & 0xFF) * 255;
        c[i + 3] += v >>> 24;
      }
    }

    private void addBytes(int start) {
      if (alpha) {
        BlockMeans.addBytesWithAlpha(bytes, start, pixelStride, bandOffsets, width * kx, columns);
      } else {
        BlockMeans.addBytes(bytes, start, pixelStride, bandOffsets, width * kx, columns);
      }
    }

    /** The block sums as channel values (premultiplied where there is alpha). */
    private void store(int[][] out) {
      if (alpha) {
        means.alpha(columns, out[0], out[1], out[2], out[3], width);
      } else {
        means.opaque(columns, out[0], out[1], out[2], width);
      }
    }
  }

  /**
   * Packed rows without a box shrink (the decoders' reduced images), split into channels. Each
   * layout's unpack loop is a method of a class of its own rather than a branch in one loop: the
   * JIT then compiles each loop once, where a layout first met in a later file made it compile a
   * shared loop again with everything it inlined. The row step that calls them is shared.
   */
  private abstract static class Unboxed extends BoxRows {
    Unboxed(BufferedImage source, Raster raster, boolean alpha) {
      super(source, 1, 1, alpha, raster);
    }

    @Override
    final void next(int[][] out) {
      unpack(ints, base + row * scanline, out);
      row++;
    }

    /** Splits the packed row at {@code src[start...]} into {@code out[channel][0, width)}. */
    abstract void unpack(int[] src, int start, int[][] out);

    static void unpackRgb(int[] src, int start, int[] r, int[] g, int[] b, int width) {
      for (int x = 0; x < width; x++) {
        int v = src[start + x];
        r[x] = (v >> 16) & 0xFF;
        g[x] = (v >> 8) & 0xFF;
        b[x] = v & 0xFF;
      }
    }
  }

  private static final class UnboxedOpaque extends Unboxed {
    UnboxedOpaque(BufferedImage source, Raster raster) {
      super(source, raster, false);
    }

    @Override
    void unpack(int[] src, int start, int[][] out) {
      unpackRgb(src, start, out[0], out[1], out[2], width);
    }
  }

  /** Straight alpha, premultiplied as the box step would (same rounding). */
  private static final class UnboxedAlpha extends Unboxed {
    private static final Reciprocal BY_255 = new Reciprocal(255);

    UnboxedAlpha(BufferedImage source, Raster raster) {
      super(source, raster, true);
    }

    @Override
    void unpack(int[] src, int start, int[][] out) {
      premultiply(src, start, out[0], out[1], out[2], out[3], width);
    }

    private static void premultiply(int[] src, int start, int[] r, int[] g, int[] b, int[] a, int width) {
      for (int x = 0; x < width; x++) {
        int v = src[start + x];
        int alpha = v >>> 24;
        r[x] = BY_255.round(((v >> 16) & 0xFF) * alpha);
        g[x] = BY_255.round(((v >> 8) & 0xFF) * alpha);
        b[x] = BY_255.round((v & 0xFF) * alpha);
        a[x] = alpha;
      }
    }
  }

  /** Premultiplied alpha: the PNG decoder's box output, already what the box step makes. */
  private static final class UnboxedPremultiplied extends Unboxed {
    UnboxedPremultiplied(BufferedImage source, Raster raster) {
      super(source, raster, true);
    }

    @Override
    void unpack(int[] src, int start, int[][] out) {
      unpackRgb(src, start, out[0], out[1], out[2], width);
      int[] a = out[3];
      for (int x = 0; x < width; x++) {
        a[x] = src[start + x] >>> 24;
      }
    }
  }

  /** Fixed-point Lanczos weights for every output sample of one pass. */
  record Weights(int[] first, int[] count, int[] values, int stride) {
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

    /** The most source samples any output takes. */
    int maxCount() {
      int max = 1;
      for (int n : count) {
        max = Math.max(max, n);
      }
      return max;
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
