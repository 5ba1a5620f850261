package dev.imgpool.image.codec;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decodes the common PNGs (8-bit gray, gray+alpha, RGB, RGBA, and palettes of 1 to 8 bits, not
 * interlaced) row by row, averaging each kx-by-ky block as the rows arrive. A thumbnail of a
 * 20-megapixel PNG then never holds the full image: memory is the small result plus two rows,
 * and no row is copied between rasters as the JDK's reader does.
 *
 * <p>Everything else (16-bit, interlaced, colour-key transparency, damage) is refused with
 * {@link NotDecodedException}. Like the JDK's reader, it ignores gamma and embedded profiles.
 * The caller checks chunk CRCs beforehand.
 */
public final class PngDecoder {
  private static final long SIGNATURE = 0x89504E470D0A1A0AL;
  private static final int IHDR = 0x49484452;
  private static final int PLTE = 0x504C5445;
  private static final int TRNS = 0x74524E53;
  private static final int IDAT = 0x49444154;
  private static final int IEND = 0x49454E44;
  private static final int GRAY = 0;
  private static final int RGB = 2;
  private static final int PALETTE = 3;
  private static final int GRAY_ALPHA = 4;
  private static final int RGBA = 6;
  /** Holds a batch of at least one row: the widest row, 4 bytes by MAX_SIDE plus the filter byte, fits. */
  private static final int BATCH_BYTES = 256 * 1024;
  private static final int INPUT_BYTES = 64 * 1024;
  /** Larger sides go to ImageIO, which reports them against the limits. */
  private static final int MAX_SIDE = 65_535;
  /**
   * Each thread's inflate buffers, outside the Java heap. Inflating between heap arrays pins them
   * (a JNI critical region) and holds off every garbage collection meanwhile: with two workers the
   * other one stalled at each collection for ~18 ms on average, ~5% of a run over PNGs. One
   * decode at a time per thread uses them.
   */
  private static final ThreadLocal<InflateBuffers> BUFFERS = ThreadLocal.withInitial(
      () -> new InflateBuffers(ByteBuffer.allocateDirect(BATCH_BYTES), ByteBuffer.allocateDirect(INPUT_BYTES)));

  /** Inflated rows, and the compressed bytes on their way in. */
  private record InflateBuffers(ByteBuffer rows, ByteBuffer input) {}

  private final byte[] data;
  private final int length;
  private final int width;
  private final int height;
  private final int colourType;
  private final int bitDepth;
  private final int[] palette; // ARGB per index, for colour type 3
  private final boolean alpha;
  private final int firstIdat; // offset of the first IDAT chunk's length field

  private PngDecoder(byte[] data, int length, int width, int height, int colourType, int bitDepth, int[] palette,
      boolean alpha, int firstIdat) {
    this.data = data;
    this.length = length;
    this.width = width;
    this.height = height;
    this.colourType = colourType;
    this.bitDepth = bitDepth;
    this.palette = palette;
    this.alpha = alpha;
    this.firstIdat = firstIdat;
  }

  /** True when the leading bytes of a file are the header of a PNG this decoder takes. */
  public static boolean takes(byte[] head, int length) {
    try {
      checkHeader(head, length);
      return true;
    } catch (NotDecodedException e) {
      return false;
    }
  }

  private static void checkHeader(byte[] data, int length) throws NotDecodedException {
    if (length < 8 + 25 || readLong(data, 0) != SIGNATURE || readInt(data, 12) != IHDR || readInt(data, 8) != 13) {
      throw new NotDecodedException("no PNG header");
    }
    int width = readInt(data, 16);
    int height = readInt(data, 20);
    int depth = data[24] & 0xFF;
    int type = data[25] & 0xFF;
    CRC32 crc = new CRC32();
    crc.update(data, 12, 17);
    if ((int) crc.getValue() != readInt(data, 29)) {
      throw new NotDecodedException("damaged header");
    }
    if (width <= 0 || height <= 0 || width > MAX_SIDE || height > MAX_SIDE || data[26] != 0 || data[27] != 0) {
      throw new NotDecodedException("unusual header");
    }
    if (data[28] != 0) {
      throw new NotDecodedException("interlaced");
    }
    boolean supported = type == PALETTE ? depth == 1 || depth == 2 || depth == 4 || depth == 8
        : (type == GRAY || type == RGB || type == GRAY_ALPHA || type == RGBA) && depth == 8;
    if (!supported) {
      throw new NotDecodedException("colour type " + type + " at " + depth + " bits");
    }
  }

  /** Reads the chunks before the image data of {@code data[0, length)}. */
  public static PngDecoder parse(byte[] data, int length) throws NotDecodedException {
    checkHeader(data, length);
    int width = readInt(data, 16);
    int height = readInt(data, 20);
    int depth = data[24] & 0xFF;
    int type = data[25] & 0xFF;
    int[] palette = null;
    int paletteEntries = 0;
    boolean alpha = type == GRAY_ALPHA || type == RGBA;
    int pos = 8 + 25;
    while (true) {
      if (pos + 12 > length) {
        throw new NotDecodedException("no image data");
      }
      int size = readInt(data, pos);
      int chunk = readInt(data, pos + 4);
      if (size < 0 || pos + 12L + size > length) {
        throw new NotDecodedException("a chunk runs past the end");
      }
      if (chunk == IDAT) {
        break;
      }
      if (chunk == IEND) {
        throw new NotDecodedException("no image data");
      }
      if (chunk == PLTE && type == PALETTE) {
        if (palette != null || size == 0 || size % 3 != 0 || size / 3 > 256) {
          throw new NotDecodedException("a second or malformed palette");
        }
        paletteEntries = size / 3;
        palette = new int[256];
        for (int i = 0; i < 256; i++) {
          // indices past the palette get its last colour, as the JDK's reader gives them
          int at = pos + 8 + 3 * Math.min(i, paletteEntries - 1);
          palette[i] = 0xFF000000 | (data[at] & 0xFF) << 16 | (data[at + 1] & 0xFF) << 8 | (data[at + 2] & 0xFF);
        }
      } else if (chunk == TRNS) {
        if (type != PALETTE || palette == null) {
          throw new NotDecodedException("colour-key transparency");
        }
        // entries past the palette are ignored, as the JDK's reader does
        for (int i = 0; i < Math.min(size, paletteEntries); i++) {
          palette[i] = (data[pos + 8 + i] & 0xFF) << 24 | (palette[i] & 0xFFFFFF);
          alpha |= (data[pos + 8 + i] & 0xFF) != 0xFF;
        }
      }
      pos += 12 + size;
    }
    if (type == PALETTE && palette == null) {
      throw new NotDecodedException("no palette");
    }
    return new PngDecoder(data, length, width, height, type, depth, palette, alpha, pos);
  }

  /**
   * The image with each kx-by-ky block averaged into one pixel (alpha-weighted when there is
   * alpha), {@code width / kx} by {@code height / ky}: the partial blocks at the right and
   * bottom edges are left out. {@code TYPE_INT_RGB} without alpha; with alpha,
   * {@code TYPE_INT_ARGB} at full size (1 by 1 blocks) and {@code TYPE_INT_ARGB_PRE} when boxed:
   * each colour the block's alpha-weighted sum over 255 times its area, which is what the
   * resampler filters. Straight colours would take three divisions per pixel here and a
   * multiplication per channel there, and round twice.
   */
  public BufferedImage decode(int kx, int ky, BooleanSupplier aborted) throws NotDecodedException, InterruptedException {
    if (kx < 1 || ky < 1 || kx > width || ky > height) {
      throw new IllegalArgumentException("block " + kx + "x" + ky + " for a " + width + "x" + height + " image");
    }
    int outWidth = width / kx;
    int outHeight = height / ky;
    boolean boxed = kx > 1 || ky > 1;
    int type = !alpha ? BufferedImage.TYPE_INT_RGB : boxed ? BufferedImage.TYPE_INT_ARGB_PRE : BufferedImage.TYPE_INT_ARGB;
    BufferedImage out = new BufferedImage(outWidth, outHeight, type);
    int[] pixels = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
    int channels = switch (colourType) {
      case GRAY, PALETTE -> 1;
      case GRAY_ALPHA -> 2;
      case RGB -> 3;
      default -> 4;
    };
    int bitsPerPixel = channels * bitDepth;
    int rowBytes = (int) (((long) width * bitsPerPixel + 7) / 8);
    int filterDistance = Math.max(1, bitsPerPixel / 8);
    byte[] previous = new byte[rowBytes + 1];
    byte[] current = new byte[rowBytes + 1];
    // Gray and RGB samples are summed as they are, RGBA samples weighted by their alpha; palettes
    // and gray with alpha go through ARGB ints.
    boolean rawSamples = !alpha && (colourType == GRAY || colourType == RGB);
    boolean rgbaSamples = colourType == RGBA;
    int[] row = boxed && !rawSamples && !rgbaSamples ? new int[width] : null;
    BlockSums sums = boxed ? new BlockSums(outWidth, kx, ky, colourType == GRAY ? 1 : 3, alpha) : null;
    // zlib inflates much faster into large buffers than row by row: rows come in batches.
    int stride = rowBytes + 1;
    int batchRows = Math.max(1, Math.min(height, BATCH_BYTES / stride));
    InflateBuffers buffers = BUFFERS.get();
    ByteBuffer batch = buffers.rows();
    ImageData source = new ImageData(buffers.input());
    try {
      for (int y = 0; y < height; y++) {
        int inBatch = y % batchRows;
        if (inBatch == 0) {
          if (aborted.getAsBoolean()) {
            throw new InterruptedException("aborted");
          }
          source.read(batch, Math.min(batchRows, height - y) * stride);
        }
        batch.get(inBatch * stride, current, 0, stride);
        unfilter(current, previous, rowBytes, filterDistance);
        if (!boxed) {
          toArgb(current, pixels, y * width);
        } else if (y / ky < outHeight) {
          if (rawSamples) {
            sums.addSamples(current);
          } else if (rgbaSamples) {
            sums.addRgbaSamples(current);
          } else if (alpha) {
            toArgb(current, row, 0);
            sums.addArgb(row);
          } else {
            toArgb(current, row, 0);
            sums.addRgb(row);
          }
          if (y % ky == ky - 1) {
            sums.emit(pixels, (y / ky) * outWidth);
          }
        }
        byte[] swap = previous;
        previous = current;
        current = swap;
      }
    } finally {
      source.end();
    }
    return out;
  }

  /** The zlib stream spread over the consecutive IDAT chunks, inflated on demand. */
  private final class ImageData {
    private final Inflater inflater = new Inflater();
    private final ByteBuffer input;
    private int next = firstIdat; // the next chunk's length field
    private int at; // the current chunk's unread data: [at, end)
    private int end;

    ImageData(ByteBuffer input) {
      this.input = input;
    }

    /** Inflates the next {@code n} bytes into {@code into}, from its start. */
    void read(ByteBuffer into, int n) throws NotDecodedException {
      into.clear().limit(n);
      try {
        while (into.hasRemaining()) {
          if (inflater.inflate(into) == 0) {
            if (inflater.finished() || inflater.needsDictionary()) {
              throw new NotDecodedException("the image data ends early");
            }
            if (!inflater.needsInput()) {
              throw new NotDecodedException("damaged image data");
            }
            feed();
          }
        }
      } catch (DataFormatException e) {
        throw new NotDecodedException("damaged image data");
      }
    }

    private void feed() throws NotDecodedException {
      while (at == end) {
        nextChunk();
      }
      int n = Math.min(end - at, input.capacity());
      input.clear();
      input.put(data, at, n).flip();
      at += n;
      inflater.setInput(input);
    }

    private void nextChunk() throws NotDecodedException {
      if (next + 12 > length || readInt(data, next + 4) != IDAT) {
        throw new NotDecodedException("the image data ends early");
      }
      int size = readInt(data, next);
      if (size < 0 || next + 12L + size > length) {
        throw new NotDecodedException("a chunk runs past the end");
      }
      at = next + 8;
      end = at + size;
      next += 12 + size;
    }

    void end() {
      inflater.end();
    }
  }

  /** Undoes the row's filter in place; {@code row[0]} is the filter type, the samples follow. */
  static void unfilter(byte[] row, byte[] previous, int n, int distance) throws NotDecodedException {
    switch (row[0]) {
      case 0 -> { }
      case 1 -> unfilterLeft(row, previous, n, distance, false);
      case 2 -> {
        for (int i = 1; i <= n; i++) {
          row[i] += previous[i];
        }
      }
      case 3 -> unfilterLeft(row, previous, n, distance, true);
      case 4 -> {
        if (distance == 3) {
          paeth3(row, previous, n);
        } else if (distance == 4) {
          paeth4(row, previous, n);
        } else {
          paethAny(row, previous, n, distance);
        }
      }
      default -> throw new NotDecodedException("unknown filter type " + row[0]);
    }
  }

  /**
   * Sub (left) and Average (mean of left and up). The left sample is kept in a register per
   * channel: reading back the byte just stored stalls every step on the store.
   */
  private static void unfilterLeft(byte[] row, byte[] previous, int n, int distance, boolean average) {
    if (distance == 3 && !average) {
      subtract3(row, n);
      return;
    }
    int[] left = new int[distance];
    for (int i = 1, ch = 0; i <= n; i++) {
      int prediction = average ? (left[ch] + (previous[i] & 0xFF)) >>> 1 : left[ch];
      int v = (row[i] + prediction) & 0xFF;
      row[i] = (byte) v;
      left[ch] = v;
      if (++ch == distance) {
        ch = 0;
      }
    }
  }

  private static void subtract3(byte[] row, int n) {
    int a0 = 0;
    int a1 = 0;
    int a2 = 0;
    for (int i = 1; i + 2 <= n; i += 3) {
      a0 = (row[i] + a0) & 0xFF;
      a1 = (row[i + 1] + a1) & 0xFF;
      a2 = (row[i + 2] + a2) & 0xFF;
      row[i] = (byte) a0;
      row[i + 1] = (byte) a1;
      row[i + 2] = (byte) a2;
    }
  }

  private static void paeth3(byte[] row, byte[] previous, int n) {
    int a0 = 0;
    int a1 = 0;
    int a2 = 0;
    int c0 = 0;
    int c1 = 0;
    int c2 = 0;
    for (int i = 1; i + 2 <= n; i += 3) {
      int b0 = previous[i] & 0xFF;
      int b1 = previous[i + 1] & 0xFF;
      int b2 = previous[i + 2] & 0xFF;
      a0 = (row[i] + paeth(a0, b0, c0)) & 0xFF;
      a1 = (row[i + 1] + paeth(a1, b1, c1)) & 0xFF;
      a2 = (row[i + 2] + paeth(a2, b2, c2)) & 0xFF;
      row[i] = (byte) a0;
      row[i + 1] = (byte) a1;
      row[i + 2] = (byte) a2;
      c0 = b0;
      c1 = b1;
      c2 = b2;
    }
  }

  private static void paeth4(byte[] row, byte[] previous, int n) {
    int a0 = 0;
    int a1 = 0;
    int a2 = 0;
    int a3 = 0;
    int c0 = 0;
    int c1 = 0;
    int c2 = 0;
    int c3 = 0;
    for (int i = 1; i + 3 <= n; i += 4) {
      int b0 = previous[i] & 0xFF;
      int b1 = previous[i + 1] & 0xFF;
      int b2 = previous[i + 2] & 0xFF;
      int b3 = previous[i + 3] & 0xFF;
      a0 = (row[i] + paeth(a0, b0, c0)) & 0xFF;
      a1 = (row[i + 1] + paeth(a1, b1, c1)) & 0xFF;
      a2 = (row[i + 2] + paeth(a2, b2, c2)) & 0xFF;
      a3 = (row[i + 3] + paeth(a3, b3, c3)) & 0xFF;
      row[i] = (byte) a0;
      row[i + 1] = (byte) a1;
      row[i + 2] = (byte) a2;
      row[i + 3] = (byte) a3;
      c0 = b0;
      c1 = b1;
      c2 = b2;
      c3 = b3;
    }
  }

  private static void paethAny(byte[] row, byte[] previous, int n, int distance) {
    for (int i = 1; i <= n; i++) {
      int a = i > distance ? row[i - distance] & 0xFF : 0;
      int c = i > distance ? previous[i - distance] & 0xFF : 0;
      row[i] += paeth(a, previous[i] & 0xFF, c);
    }
  }

  /** The Paeth predictor: whichever of left, up and up-left is closest to left + up - up-left. */
  private static int paeth(int a, int b, int c) {
    int pa = Math.abs(b - c);
    int pb = Math.abs(a - c);
    int pc = Math.abs(a + b - 2 * c);
    // Without branches: in photos the choice is close to random, and mispredictions cost more than the arithmetic.
    int notA = ((pb - pa) | (pc - pa)) >> 31; // all ones unless pa <= pb and pa <= pc
    int notB = (pc - pb) >> 31; // all ones unless pb <= pc
    return (a & ~notA) | (((b & ~notB) | (c & notB)) & notA);
  }

  /** One unfiltered row as ARGB ints at {@code out[start...]}. */
  private void toArgb(byte[] row, int[] out, int start) {
    switch (colourType) {
      case GRAY -> {
        for (int x = 0; x < width; x++) {
          int g = row[1 + x] & 0xFF;
          out[start + x] = 0xFF000000 | g << 16 | g << 8 | g;
        }
      }
      case GRAY_ALPHA -> {
        for (int x = 0, i = 1; x < width; x++, i += 2) {
          int g = row[i] & 0xFF;
          out[start + x] = (row[i + 1] & 0xFF) << 24 | g << 16 | g << 8 | g;
        }
      }
      case RGB -> {
        for (int x = 0, i = 1; x < width; x++, i += 3) {
          out[start + x] = 0xFF000000 | (row[i] & 0xFF) << 16 | (row[i + 1] & 0xFF) << 8 | (row[i + 2] & 0xFF);
        }
      }
      case RGBA -> {
        for (int x = 0, i = 1; x < width; x++, i += 4) {
          out[start + x] =
              (row[i + 3] & 0xFF) << 24 | (row[i] & 0xFF) << 16 | (row[i + 1] & 0xFF) << 8 | (row[i + 2] & 0xFF);
        }
      }
      default -> paletteToArgb(row, out, start);
    }
  }

  private void paletteToArgb(byte[] row, int[] out, int start) {
    if (bitDepth == 8) {
      for (int x = 0; x < width; x++) {
        out[start + x] = palette[row[1 + x] & 0xFF];
      }
      return;
    }
    int perByte = 8 / bitDepth;
    int mask = (1 << bitDepth) - 1;
    for (int x = 0; x < width; x++) {
      int shift = 8 - bitDepth * (x % perByte + 1);
      out[start + x] = palette[(row[1 + x / perByte] >> shift) & mask];
    }
  }

  /**
   * Sums of one row of blocks. The rows of a block row are first added sample by sample into
   * column sums (a plain loop the JIT vectorises); each block's columns are added when the block
   * row is complete ({@link BlockMeans}). With alpha, colours are weighted by it.
   */
  private static final class BlockSums {
    private static final int[] RGBA_OFFSETS = {0, 1, 2, 3};
    private final int blocks;
    private final int channels; // 1 (gray) or 3 (RGB) without alpha; 4 (premultiplied RGBA) with
    private final int[] columns;
    private final BlockMeans means;
    private final int[][] planes; // one block row's means, a row per channel

    BlockSums(int blocks, int kx, int ky, int channels, boolean alpha) {
      this.blocks = blocks;
      this.channels = alpha ? 4 : channels;
      this.columns = new int[blocks * kx * this.channels];
      this.means = new BlockMeans(kx, ky);
      this.planes = new int[this.channels][blocks];
    }

    /** Adds one row of samples: gray or RGB bytes from {@code row[1...]}. */
    void addSamples(byte[] row) {
      int[] c = columns;
      for (int i = 0; i < c.length; i++) {
        c[i] += row[1 + i] & 0xFF;
      }
    }

    /** Adds one row of RGBA bytes from {@code row[1...]}, colours weighted by alpha, without packing them into ints. */
    void addRgbaSamples(byte[] row) {
      BlockMeans.addBytesWithAlpha(row, 1, 4, RGBA_OFFSETS, columns.length / 4, columns);
    }

    /** Adds one row of opaque ARGB ints (a palette's colours) as RGB samples. */
    void addRgb(int[] row) {
      BlockMeans.addRgb(row, 0, columns.length / 3, columns);
    }

    /** Adds one row of ARGB ints, colours weighted by alpha. */
    void addArgb(int[] row) {
      BlockMeans.addArgb(row, 0, columns.length / 4, columns);
    }

    /** Writes the block averages as ARGB (premultiplied with alpha) to {@code out[start...]} and clears the sums. */
    void emit(int[] out, int start) {
      int[][] p = planes;
      if (channels == 4) {
        means.alpha(columns, p[0], p[1], p[2], p[3], blocks);
        for (int x = 0; x < blocks; x++) {
          out[start + x] = p[3][x] << 24 | p[0][x] << 16 | p[1][x] << 8 | p[2][x];
        }
      } else if (channels == 1) {
        means.gray(columns, p[0], blocks);
        for (int x = 0; x < blocks; x++) {
          out[start + x] = 0xFF000000 | p[0][x] * 0x010101;
        }
      } else {
        means.opaque(columns, p[0], p[1], p[2], blocks);
        for (int x = 0; x < blocks; x++) {
          out[start + x] = 0xFF000000 | p[0][x] << 16 | p[1][x] << 8 | p[2][x];
        }
      }
      Arrays.fill(columns, 0);
    }
  }

  private static int readInt(byte[] b, int at) {
    return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
  }

  private static long readLong(byte[] b, int at) {
    return (long) readInt(b, at) << 32 | (readInt(b, at + 4) & 0xFFFFFFFFL);
  }
}
