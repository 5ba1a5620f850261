package dev.imgpool.image;

import dev.imgpool.image.codec.JpegDecoder;
import dev.imgpool.image.codec.NotDecodedException;
import dev.imgpool.image.codec.PngDecoder;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The reduced-size decodes of the {@code codec} package, for the JPEGs and PNGs they handle
 * when an output is smaller than the input. A PNG arrives already shrunk by an integer box to at
 * least twice the largest output, which is what the resampler's own box step would have made
 * from a full decode; a baseline JPEG is decoded at 1/2, 1/4 or 1/8 scale in the DCT domain,
 * keeping at least the largest output size. Neither holds the full image. Anything they refuse
 * goes the general ImageIO way.
 */
final class FastPath {
  /** -Dimgpool.fastpath=false: ImageIO for everything, to compare. */
  private static final boolean ENABLED = !"false".equals(System.getProperty("imgpool.fastpath"));
  /** A JPEG decoded at a reduced scale keeps at least this many times the output size (-Dimgpool.jpegGap). */
  private static final int JPEG_GAP = Integer.getInteger("imgpool.jpegGap", 1);
  /** Whether JPEGs that cannot be scaled down go through the fast decoder too (-Dimgpool.jpegFull). */
  private static final boolean JPEG_FULL_SCALE = Boolean.getBoolean("imgpool.jpegFull");
  /** Larger files are left to ImageIO, which streams them instead of holding the bytes. */
  private static final long MAX_FILE_BYTES = 64L << 20;
  private static final int READ_SLICE = 1 << 20;

  /** A decode that will be made, and the size of what it makes. */
  interface Plan {
    int width();

    int height();

    /** Bytes of the file held in memory during the decode. */
    long fileBytes();

    /**
     * Reads the file and decodes it.
     *
     * @throws NotDecodedException when the decoder turns the file down after all, or the file
     *     changed size since it was opened: the general path then takes it
     */
    BufferedImage decode(SeekableByteChannel channel, BooleanSupplier aborted)
        throws NotDecodedException, InterruptedException, IOException;
  }

  /** The parse and decode steps of one of the codec package's decoders. */
  @FunctionalInterface
  private interface Decode {
    BufferedImage apply(byte[] bytes, BooleanSupplier aborted) throws NotDecodedException, InterruptedException;
  }

  private FastPath() {}

  /**
   * The fast decode of a file, or empty when it goes the general way. Decided from the leading
   * bytes alone: nothing is read until the caller has reserved the memory.
   *
   * @param jpeg the file's JPEG header, null when it does not start as a JPEG
   * @param full the size in the file's own orientation
   * @param needed the largest output size, in the file's own orientation
   */
  static Optional<Plan> plan(
      String format, JpegHeader jpeg, byte[] head, int headLength, long fileSize, Size full, Size needed) {
    if (!ENABLED || fileSize > MAX_FILE_BYTES || needed.width() >= full.width() && needed.height() >= full.height()) {
      return Optional.empty();
    }
    if (format.equals("PNG") && PngDecoder.takes(head, headLength)) {
      int kx = Resampler.boxFactor(full.width(), needed.width());
      int ky = Resampler.boxFactor(full.height(), needed.height());
      return Optional.of(plan(full.width() / kx, full.height() / ky, fileSize,
          (bytes, aborted) -> PngDecoder.parse(bytes, bytes.length).decode(kx, ky, aborted)));
    }
    // An ICC profile, CMYK or YCCK: TwelveMonkeys converts the colours. Progressive: not handled.
    if (format.equals("JPEG") && jpeg != null && jpeg.plainYCbCrOrGray() && (jpeg.frameMarker() == 0xC0 || jpeg.frameMarker() == 0xC1)) {
      int scale = jpegScale(full, needed);
      if (scale > 1 || JPEG_FULL_SCALE) {
        return Optional.of(plan(Decoder.ceilDiv(full.width(), scale), Decoder.ceilDiv(full.height(), scale), fileSize,
            (bytes, aborted) -> decodeJpeg(bytes, scale, aborted)));
      }
    }
    return Optional.empty();
  }

  private static Plan plan(int width, int height, long fileSize, Decode decode) {
    return new Plan() {
      @Override
      public int width() {
        return width;
      }

      @Override
      public int height() {
        return height;
      }

      @Override
      public long fileBytes() {
        return fileSize;
      }

      @Override
      public BufferedImage decode(SeekableByteChannel channel, BooleanSupplier aborted)
          throws NotDecodedException, InterruptedException, IOException {
        return decode.apply(readAll(channel, fileSize), aborted);
      }
    };
  }

  /** A JPEG at 1/scale, refused unless its ICC profile, wherever it stands, is sRGB (or it has none). */
  private static BufferedImage decodeJpeg(byte[] bytes, int scale, BooleanSupplier aborted)
      throws NotDecodedException, InterruptedException {
    JpegDecoder decoder = JpegDecoder.parse(bytes, bytes.length);
    Optional<byte[]> profile = decoder.iccProfile();
    if (profile.isPresent() && !IccProfiles.isSrgb(profile.get())) {
      throw new NotDecodedException("an ICC profile other than sRGB: the general path applies it");
    }
    return decoder.decode(scale, aborted);
  }

  /**
   * The JPEG decode scale: the largest of 8, 4 and 2 that keeps {@link #JPEG_GAP} times the
   * needed size, else 1. Scaling in the DCT domain is a proper low-pass filter, unlike a box.
   */
  static int jpegScale(Size full, Size needed) {
    for (int scale = 8; scale > 1; scale /= 2) {
      if (full.width() / scale >= JPEG_GAP * needed.width() && full.height() / scale >= JPEG_GAP * needed.height()) {
        return scale;
      }
    }
    return 1;
  }

  private static byte[] readAll(SeekableByteChannel channel, long fileSize) throws IOException, NotDecodedException {
    byte[] bytes = new byte[(int) fileSize];
    channel.position(0);
    // In slices: the JDK copies a read into a heap array through a native buffer of the read's
    // size, and keeps the largest one per thread.
    for (int done = 0; done < bytes.length; ) {
      int n = channel.read(ByteBuffer.wrap(bytes, done, Math.min(READ_SLICE, bytes.length - done)));
      if (n < 0) {
        throw new NotDecodedException("the file shrank while it was read");
      }
      done += n;
    }
    return bytes;
  }
}
