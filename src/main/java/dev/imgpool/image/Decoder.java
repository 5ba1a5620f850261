package dev.imgpool.image;

import dev.imgpool.image.codec.NotDecodedException;
import dev.imgpool.task.MemoryBudget;
import dev.imgpool.task.Reason;
import dev.imgpool.task.TaskControl;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.MultiPixelPackedSampleModel;
import java.awt.image.SampleModel;
import java.awt.image.SinglePixelPackedSampleModel;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.zip.ZipException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;

/**
 * Decodes one image file: picks a reader, checks the header against the limits, reserves pixel
 * memory, decodes at reduced resolution where the output is much smaller, and turns every kind
 * of breakage into an {@link ImageFailure} with a reason and a message a person understands.
 *
 * <p>Stateless and thread-safe; each call uses its own reader.
 */
final class Decoder {
  /** Bytes read up front for sniffing and EXIF; EXIF sits in the first 64 KB of a JPEG. */
  private static final int HEAD_BYTES = 128 * 1024;
  /**
   * Fewest bytes per decoded pixel reserved from the budget: the decoded image plus its packed
   * 4-byte copy. Deeper images (16-bit, CMYK) and rotated ones reserve more; see {@link #reservation}.
   */
  private static final int BUDGET_BYTES_PER_PIXEL = 8;
  /** Bytes per pixel of the packed ARGB copy the processor makes (and of an oriented copy). */
  private static final int PACKED_BYTES_PER_PIXEL = 4;

  /** The decoded pixels and what was learnt on the way. The caller releases {@code reservedBytes}. */
  record Decoded(
      BufferedImage image,
      int width,
      int height,
      int orientation,
      String formatName,
      int frames,
      List<String> warnings,
      long reservedBytes,
      boolean hadIccProfile) {}

  private final DecodeLimits limits;
  private final MemoryBudget budget;

  Decoder(DecodeLimits limits, MemoryBudget budget) {
    this.limits = limits;
    this.budget = budget;
  }

  /**
   * Decodes {@code file}.
   *
   * @param neededSize given the oriented full size, the largest output size that will be made
   *     from the pixels (the decode may subsample down to twice that), or the input unchanged
   */
  Decoded decode(Path file, UnaryOperator<Size> neededSize, boolean autoOrient, TaskControl control)
      throws ImageFailure, InterruptedException {
    try {
      // Never open a FIFO, socket or device: opening a FIFO blocks until someone writes to it.
      // The scanner skips them; this catches a file replaced by one after the scan.
      if (!Files.readAttributes(file, BasicFileAttributes.class).isRegularFile()) {
        throw new ImageFailure(Reason.NOT_AN_IMAGE, "not a regular file (a folder, FIFO, socket or device); not opened");
      }
    } catch (NoSuchFileException e) {
      throw new ImageFailure(Reason.IO_ERROR, "cannot read: the file vanished after it was scanned", e);
    } catch (IOException e) {
      throw new ImageFailure(Reason.IO_ERROR, "cannot read: " + describe(e), e);
    }
    try (SeekableByteChannel channel = Files.newByteChannel(file)) {
      long fileSize = channel.size();
      if (fileSize == 0) {
        throw new ImageFailure(Reason.NOT_AN_IMAGE, "not an image: the file is empty");
      }
      byte[] head = new byte[(int) Math.min(HEAD_BYTES, fileSize)];
      ByteBuffer headBuffer = ByteBuffer.wrap(head);
      while (headBuffer.hasRemaining() && channel.read(headBuffer) > 0) {
        // fill the head
      }
      int headLength = headBuffer.position();
      channel.position(0);
      try (ChannelImageInputStream input = new ChannelImageInputStream(channel)) {
        JpegHeader jpeg;
        ImageReader reader;
        try {
          jpeg = JpegHeader.parse(head, headLength); // parsed once: reader choice, profile, fast path
          reader = pickReader(input, head, headLength, jpeg);
        } catch (RuntimeException e) { // a plugin's probe that chokes on the bytes
          throw classify("image", e, fileSize, false);
        }
        input.clearReachedEnd(); // probes may read past the end of a tiny file; that is no verdict
        try {
          return decodeWith(reader, input, channel, head, headLength, jpeg, fileSize, neededSize, autoOrient, control);
        } finally {
          reader.dispose();
        }
      }
    } catch (ImageFailure | InterruptedException e) {
      throw e;
    } catch (ClosedByInterruptException | InterruptedIOException e) {
      throw new InterruptedException("interrupted while reading");
    } catch (NoSuchFileException e) {
      throw new ImageFailure(Reason.IO_ERROR, "cannot read: the file vanished after it was scanned", e);
    } catch (AccessDeniedException e) {
      throw new ImageFailure(Reason.IO_ERROR, "cannot read: permission denied", e);
    } catch (IOException e) {
      if (Thread.currentThread().isInterrupted() || control.isAborted()) {
        throw new InterruptedException("interrupted while reading");
      }
      throw new ImageFailure(Reason.IO_ERROR, "cannot read: " + describe(e), e);
    }
  }

  private Decoded decodeWith(
      ImageReader reader,
      ChannelImageInputStream input,
      SeekableByteChannel channel,
      byte[] head,
      int headLength,
      JpegHeader jpeg,
      long fileSize,
      UnaryOperator<Size> neededSize,
      boolean autoOrient,
      TaskControl control)
      throws ImageFailure, InterruptedException, IOException {
    String format = formatName(reader);
    List<String> warnings = new ArrayList<>();
    reader.setInput(input, false, true);
    reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
    control.onAbort(reader::abort);
    try {
      // The file's own structure first: it names damage (a bad CRC, a directory past the end)
      // that the readers either ignore or report as a bare "I/O error".
      FileStructure structure = FileStructure.check(format, channel, fileSize, control);
      warnings.addAll(structure.warnings());
      Optional<String> truncation = structure.truncation();
      int width;
      int height;
      try {
        width = reader.getWidth(0);
        height = reader.getHeight(0);
      } catch (IOException | RuntimeException | OutOfMemoryError | StackOverflowError e) {
        if (truncation.isPresent()) {
          throw new ImageFailure(Reason.TRUNCATED, "truncated " + format + ": " + truncation.get(), e);
        }
        throw classify(format, e, fileSize, input.reachedEnd());
      }
      checkLimits(format, width, height);
      if (truncation.isPresent() && !limits.allowTruncated()) {
        throw new ImageFailure(
            Reason.TRUNCATED, "truncated " + format + ": " + truncation.get() + "; --allow-truncated accepts it");
      }
      int frames = countFrames(reader, format);
      int orientation = autoOrient ? ExifOrientation.read(head, headLength) : ExifOrientation.NORMAL;
      boolean swapsSides = orientation >= 5;
      Size full = swapsSides ? new Size(height, width) : new Size(width, height);
      Size needed = neededSize.apply(full);
      boolean iccProfile = IccProfiles.embedded(jpeg, head, headLength);
      // The JDK's reader parses a palette PNG's chunks up to the image data and rejects damage the
      // fast decoder would not look at: ask it first, and leave such files to it.
      boolean palettePng = format.equals("PNG") && headLength > 25 && head[25] == 3;
      if (truncation.isEmpty() && (!palettePng || firstImageType(reader).isPresent())) {
        Size storedNeeded = swapsSides ? new Size(needed.height(), needed.width()) : needed;
        Optional<FastPath.Plan> plan =
            FastPath.plan(format, jpeg, head, headLength, fileSize, new Size(width, height), storedNeeded);
        if (plan.isPresent()) {
          Optional<Decoded> fast = decodeFast(plan.get(), channel, format, full, needed, orientation, frames, warnings,
              iccProfile, control);
          if (fast.isPresent()) {
            return fast.get();
          }
        }
      }
      int step = subsamplingStep(format, full, needed);
      Optional<ImageTypeSpecifier> type = firstImageType(reader);
      long reserve = reservation(ceilDiv(width, step), ceilDiv(height, step), type, orientation, full, needed);
      reserveOrFail(format, width, height, reserve);
      boolean reserved = true;
      try {
        ImageReadParam param = reader.getDefaultReadParam();
        if (step > 1) {
          param.setSourceSubsampling(step, step, 0, 0);
        }
        // With --allow-truncated, decode into an image of our own: when the data ends early the
        // reader throws, and what it decoded so far is still in it. JPEG needs no help: its
        // reader returns the partial image with a warning.
        BufferedImage destination = null;
        if (limits.allowTruncated() && !format.equals("JPEG") && type.isPresent()) {
          destination = type.get().createBufferedImage(ceilDiv(width, step), ceilDiv(height, step));
          param.setDestination(destination);
        }
        BufferedImage image;
        try {
          image = reader.read(0, param);
        } catch (IOException | RuntimeException | OutOfMemoryError | StackOverflowError e) {
          if (control.isAborted() || Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("aborted");
          }
          ImageFailure failure = classify(format, e, fileSize, input.reachedEnd() || truncation.isPresent());
          if (destination == null || !failure.reason().equals(Reason.TRUNCATED)) {
            throw failure;
          }
          image = destination;
          if (truncation.isEmpty()) {
            truncation = Optional.of(endsEarly(fileSize));
          }
        }
        if (control.isAborted()) {
          throw new InterruptedException("aborted");
        }
        if (image == null) {
          throw new ImageFailure(Reason.CORRUPT, "corrupt " + format + ": the reader returned no image");
        }
        Optional<String> ranOut = truncation.isEmpty() ? truncationWarning(warnings) : Optional.empty();
        if (ranOut.isPresent() && format.equals("JPEG") && endsWithEoi(channel, fileSize)) {
          // The decoder ran out of data, yet the file ends as a JPEG should: the data is damaged, not cut.
          if (!limits.allowTruncated()) {
            throw new ImageFailure(Reason.CORRUPT,
                "corrupt JPEG: the image data is damaged (" + ranOut.get() + "); --allow-truncated keeps what decodes");
          }
          warnings.removeIf(w -> truncationWarning(List.of(w)).isPresent());
          warnings.add("corrupt JPEG: the image data is damaged (" + ranOut.get() + "); parts may be grey");
          ranOut = Optional.empty();
        }
        if (ranOut.isPresent()) {
          truncation = Optional.of(endsEarly(fileSize) + " (" + ranOut.get() + ")");
        }
        if (truncation.isPresent()) {
          if (!limits.allowTruncated()) {
            throw new ImageFailure(
                Reason.TRUNCATED, "truncated " + format + ": " + truncation.get() + "; --allow-truncated accepts it");
          }
          // One clear warning instead of the reader's own notes on the same thing.
          warnings.removeIf(w -> truncationWarning(List.of(w)).isPresent());
          warnings.add("truncated " + format + ": " + truncation.get() + "; the missing part is left blank");
        }
        reserved = false;
        return new Decoded(image, width, height, orientation, format, frames, List.copyOf(warnings), reserve, iccProfile);
      } finally {
        if (reserved) {
          budget.release(reserve);
        }
      }
    } finally {
      control.clearAbortHooks();
    }
  }

  /**
   * A decode by {@link FastPath}, or empty when its decoder turns the file down after all (the
   * general way then decodes it, and names any damage).
   */
  private Optional<Decoded> decodeFast(FastPath.Plan plan, SeekableByteChannel channel, String format, Size full,
      Size needed, int orientation, int frames, List<String> warnings, boolean iccProfile, TaskControl control)
      throws ImageFailure, InterruptedException, IOException {
    boolean swapsSides = orientation >= 5;
    int width = swapsSides ? full.height() : full.width();
    int height = swapsSides ? full.width() : full.height();
    long reserve = reservation(plan.width(), plan.height(), Optional.empty(), orientation, full, needed) + plan.fileBytes();
    reserveOrFail(format, width, height, reserve);
    boolean kept = false;
    try {
      BufferedImage image = plan.decode(channel, () -> control.isAborted() || Thread.currentThread().isInterrupted());
      kept = true;
      return Optional.of(new Decoded(image, width, height, orientation, format, frames, List.copyOf(warnings), reserve,
          iccProfile));
    } catch (NotDecodedException e) {
      return Optional.empty();
    } catch (OutOfMemoryError e) {
      throw classify(format, e, 0, false);
    } finally {
      if (!kept) {
        budget.release(reserve);
      }
    }
  }

  /** Reserves pixel memory, waiting for other decodes to give theirs back; fails when it could never fit. */
  private void reserveOrFail(String format, int width, int height, long reserve) throws ImageFailure, InterruptedException {
    if (!budget.fits(reserve)) {
      throw new ImageFailure(
          Reason.TOO_LARGE,
          String.format(
              Locale.ROOT,
              "%s image of %dx%d needs %d MB of pixel memory, more than the whole budget of %d MB",
              format, width, height, reserve >> 20, budget.capacity() >> 20));
    }
    budget.reserve(reserve);
  }

  /**
   * The bytes of pixel memory to reserve for a decode of {@code width x height} (after
   * subsampling): the decoded image at its own depth, one packed full-size copy (the resampler's
   * planes, or the output itself when there is no resize), a rotated copy when an unresized
   * output must be turned, and the outputs when they differ from the input.
   */
  static long reservation(
      int width, int height, Optional<ImageTypeSpecifier> type, int orientation, Size full, Size needed) {
    long pixels = (long) width * height;
    int perPixel = type.map(Decoder::bytesPerPixel).orElse(PACKED_BYTES_PER_PIXEL) + PACKED_BYTES_PER_PIXEL;
    if (orientation > 1 && needed.equals(full)) {
      perPixel += PACKED_BYTES_PER_PIXEL; // resized outputs are turned after the resize, for little
    }
    long bytes = pixels * Math.max(BUDGET_BYTES_PER_PIXEL, perPixel);
    if (!needed.equals(full)) {
      // the resized output and the resampler's intermediate image
      bytes += 2L * PACKED_BYTES_PER_PIXEL * needed.width() * needed.height();
    }
    return bytes;
  }

  /** Bytes one pixel takes in an image of this type. */
  static int bytesPerPixel(ImageTypeSpecifier type) {
    SampleModel model = type.getSampleModel();
    int element = Math.max(1, DataBuffer.getDataTypeSize(model.getDataType()) / 8);
    if (model instanceof SinglePixelPackedSampleModel) {
      return element;
    }
    if (model instanceof MultiPixelPackedSampleModel) {
      return 1; // 1, 2 or 4 bits: a byte is an upper bound
    }
    return element * model.getNumBands();
  }

  /** The type the reader decodes into, when it says; a broken header says nothing. */
  private static Optional<ImageTypeSpecifier> firstImageType(ImageReader reader) {
    try {
      Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
      return types != null && types.hasNext() ? Optional.ofNullable(types.next()) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** True when an EOI marker (FF D9) lies among the last bytes of the file, before at most some padding. */
  private static boolean endsWithEoi(SeekableByteChannel channel, long fileSize) throws IOException {
    int n = (int) Math.min(fileSize, 64);
    ByteBuffer tail = ByteBuffer.allocate(n);
    channel.position(fileSize - n);
    while (tail.hasRemaining() && channel.read(tail) > 0) {
      // read the tail
    }
    byte[] b = tail.array();
    for (int i = tail.position() - 2; i >= 0; i--) {
      if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == 0xD9) {
        return true;
      }
    }
    return false;
  }

  /** Gives back the pixel memory a decode reserved. */
  void release(Decoded decoded) {
    budget.release(decoded.reservedBytes());
  }

  private void checkLimits(String format, int width, int height) throws ImageFailure {
    if (width < 1 || height < 1) {
      throw new ImageFailure(Reason.CORRUPT, "corrupt " + format + ": the header says " + width + "x" + height);
    }
    if (width > limits.maxSide() || height > limits.maxSide()) {
      throw new ImageFailure(
          Reason.TOO_LARGE,
          String.format(
              Locale.ROOT, "%s image of %dx%d: a side is above the limit of %d pixels", format, width, height, limits.maxSide()));
    }
    long pixels = (long) width * height;
    if (limits.maxPixels() > 0 && pixels > limits.maxPixels()) {
      throw new ImageFailure(
          Reason.TOO_LARGE,
          String.format(
              Locale.ROOT,
              "%s image of %dx%d has %,d pixels, above --max-pixels %,d",
              format, width, height, pixels, limits.maxPixels()));
    }
  }

  private int countFrames(ImageReader reader, String format) throws ImageFailure {
    if (!format.equals("GIF")) {
      return 1;
    }
    try {
      int frames = reader.getNumImages(true);
      if (frames > limits.maxFrames()) {
        throw new ImageFailure(
            Reason.TOO_LARGE, "GIF with " + frames + " frames, above the limit of " + limits.maxFrames());
      }
      return Math.max(frames, 1);
    } catch (IOException | RuntimeException e) {
      return 1; // a broken later frame does not stop the first one from being used
    }
  }

  /**
   * The subsampling step for a JPEG: the largest that keeps at least twice the needed size, so
   * the final resize still has real pixels to average. Other formats decode in full.
   */
  static int subsamplingStep(String format, Size full, Size needed) {
    if (!format.equals("JPEG") || NO_SUBSAMPLING) {
      return 1;
    }
    int step = Math.min(full.width() / (2 * needed.width()), full.height() / (2 * needed.height()));
    return Math.max(1, step);
  }

  /** -Dimgpool.subsampling=false decodes every JPEG in full: for measuring what subsampling buys. */
  private static final boolean NO_SUBSAMPLING = "false".equals(System.getProperty("imgpool.subsampling"));

  private static final String JDK_JPEG_READER = "com.sun.imageio.plugins.jpeg.JPEGImageReader";

  /** @param jpeg the file's JPEG header, null when it does not start as a JPEG */
  private static ImageReader pickReader(ChannelImageInputStream input, byte[] head, int headLength, JpegHeader jpeg)
      throws ImageFailure {
    Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
    ImageReader chosen = null;
    // With a profile, even an sRGB one, TwelveMonkeys' reader as before: the JDK's would apply it row by row
    boolean plainJpeg = jpeg != null && jpeg.plainYCbCrOrGray() && !jpeg.hasIccProfile();
    while (readers.hasNext()) {
      ImageReader candidate = readers.next();
      if (plainJpeg && candidate.getClass().getName().equals(JDK_JPEG_READER)) {
        // Gray or YCbCr without a profile: the JDK's reader converts colour in native code and
        // measured about 12% faster than TwelveMonkeys' on the benchmark corpus.
        chosen = candidate;
        break;
      }
      // Two WebP plugins may be on a class path; TwelveMonkeys' is the one we test, so it wins.
      if (chosen == null || isTwelveMonkeys(candidate) && !isTwelveMonkeys(chosen)
          && formatName(candidate).equals(formatName(chosen))) {
        chosen = candidate;
      }
    }
    if (chosen != null) {
      return chosen;
    }
    Optional<String> damage = InputFormats.damagedSignature(head, headLength);
    if (damage.isPresent()) {
      throw new ImageFailure(Reason.CORRUPT, damage.get());
    }
    Optional<String> sniffed = InputFormats.sniff(head, headLength);
    if (sniffed.isPresent()) {
      if (hasReaderFor(sniffed.get())) {
        // The first bytes say PNG (say) but no PNG reader accepts the rest of its signature.
        throw new ImageFailure(Reason.CORRUPT, "corrupt " + sniffed.get() + ": the signature at the start of the file is damaged");
      }
      throw new ImageFailure(
          Reason.UNSUPPORTED_FORMAT, "unsupported format: " + sniffed.get() + " (imgpool has no reader for it)");
    }
    throw new ImageFailure(Reason.NOT_AN_IMAGE, "not an image: " + describeContent(head, headLength));
  }

  private static boolean hasReaderFor(String format) {
    return ImageIO.getImageReadersByFormatName(format).hasNext();
  }

  private static boolean isTwelveMonkeys(ImageReader reader) {
    return reader.getClass().getName().startsWith("com.twelvemonkeys.");
  }

  static String formatName(ImageReader reader) {
    try {
      String name = reader.getFormatName().toUpperCase(Locale.ROOT);
      return switch (name) {
        case "JPG", "JPEG", "JPEG-LOSSLESS" -> "JPEG";
        case "TIF" -> "TIFF";
        case "WEBP" -> "WebP";
        default -> name;
      };
    } catch (IOException e) {
      return "image";
    }
  }

  private static String describeContent(byte[] head, int length) {
    int n = Math.min(length, 64);
    String start = new String(head, 0, n, StandardCharsets.ISO_8859_1).trim().toLowerCase(Locale.ROOT);
    if (start.startsWith("<!doctype html") || start.startsWith("<html")) {
      return "the file is HTML";
    }
    if (start.startsWith("<?xml") || start.startsWith("<svg")) {
      return "the file is XML or SVG";
    }
    if (start.startsWith("%pdf")) {
      return "the file is a PDF";
    }
    boolean text = true;
    for (int i = 0; i < n; i++) {
      int c = head[i] & 0xFF;
      if (c < 0x09 || (c > 0x0D && c < 0x20)) {
        text = false;
        break;
      }
    }
    return text ? "the file is text" : "no known image signature";
  }

  private static Optional<String> truncationWarning(List<String> warnings) {
    for (String warning : warnings) {
      String lower = warning.toLowerCase(Locale.ROOT);
      if (lower.contains("premature end") || lower.contains("truncated") || lower.contains("end of file")
          || lower.contains("unexpected end")) {
        return Optional.of(warning);
      }
    }
    return Optional.empty();
  }

  /**
   * Turns a reader's exception into a failure a person understands.
   *
   * @param atEnd the reader had asked for bytes past the end of the file, or the file's structure
   *     showed it cut short: whatever the exception says, the data ended early
   */
  static ImageFailure classify(String format, Throwable error, long fileSize, boolean atEnd) {
    // Readers wrap what they meet ("Caught exception during read"), errors included.
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof OutOfMemoryError) {
        return new ImageFailure(Reason.TOO_LARGE, format + " image needs more memory than the heap has left", error);
      }
      if (t instanceof StackOverflowError) {
        return new ImageFailure(Reason.CORRUPT, "corrupt " + format + ": the decoder recursed too deep", error);
      }
    }
    boolean truncated = atEnd;
    for (Throwable t = error; t != null && !truncated; t = t.getCause()) {
      String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
      truncated = t instanceof EOFException || message.contains("unexpected end") || message.contains("premature end")
          || message.contains("end of stream") || message.contains("eof")
          || (t instanceof ZipException && message.contains("end"));
    }
    if (truncated) {
      return new ImageFailure(Reason.TRUNCATED, "truncated " + format + ": " + endsEarly(fileSize), error);
    }
    return new ImageFailure(Reason.CORRUPT, "corrupt " + format + ": " + describe(error), error);
  }

  private static String endsEarly(long fileSize) {
    return "the file ends early, after " + fileSize + " bytes";
  }

  /** A one-line description of an exception, never a bare class name or "null". */
  static String describe(Throwable error) {
    Throwable t = error;
    String message = t.getMessage();
    // Readers wrap the real problem in "I/O error reading PNG header!" and the like: use the cause.
    while (t.getCause() != null && (message == null || message.isBlank() || isWrapperMessage(message)
        || message.equals(t.getCause().toString()))) {
      t = t.getCause();
      message = t.getMessage();
    }
    String kind =
        switch (t.getClass().getSimpleName()) {
          case "ArrayIndexOutOfBoundsException", "IndexOutOfBoundsException" -> "data points outside the image";
          case "NegativeArraySizeException" -> "impossible sizes in the header";
          case "NullPointerException" -> "the decoder met data it could not handle";
          case "IllegalArgumentException", "IllegalStateException" -> "invalid data";
          case "ArithmeticException" -> "impossible values in the header";
          case "ClassCastException", "UnsupportedOperationException" -> "data the decoder does not support";
          default -> "";
        };
    if (message != null && (message.equals("null") || message.startsWith("java.") || message.startsWith("javax."))) {
      message = null; // a bare class name or "null" tells a person nothing
    }
    String text = message == null || message.isBlank() ? kind : kind.isEmpty() ? message : kind + " (" + message + ")";
    if (text.isEmpty()) {
      text = "unreadable data";
    }
    text = text.replace('\n', ' ').replace('\r', ' ').strip();
    while (text.endsWith("!") || text.endsWith(".") && !text.endsWith("..")) {
      text = text.substring(0, text.length() - 1);
    }
    return text;
  }

  private static boolean isWrapperMessage(String message) {
    String lower = message.toLowerCase(Locale.ROOT);
    return lower.startsWith("i/o error") || lower.startsWith("error reading") || lower.startsWith("caught exception")
        || lower.startsWith("error during") || lower.endsWith(":");
  }

  /**
   * What a walk over a file's own structure finds before any pixel is decoded: for PNG, every
   * chunk's length and CRC (the JDK reader checks neither), the IHDR fields, a missing IDAT and a
   * missing end; for TIFF, whether the first directory and the data it points to lie inside the
   * file. Other formats are not walked: their readers report truncation themselves.
   *
   * @param truncation how the file is cut short, if it is
   * @param warnings damage that does not stop the decode (a bad CRC in an ancillary chunk)
   */
  record FileStructure(Optional<String> truncation, List<String> warnings) {
    private static final FileStructure SOUND = new FileStructure(Optional.empty(), List.of());
    /** The most strip or tile offsets looked at; a directory claiming more is left to the reader. */
    private static final long MAX_STRIPS = 1 << 20;

    static FileStructure check(String format, SeekableByteChannel channel, long size, TaskControl control)
        throws ImageFailure, IOException, InterruptedException {
      try {
        return switch (format) {
          case "PNG" -> png(channel, size, control);
          case "TIFF" -> tiff(channel, size);
          default -> SOUND;
        };
      } finally {
        channel.position(0); // the reader's stream repositions itself, but leave things tidy
      }
    }

    private static FileStructure png(SeekableByteChannel channel, long size, TaskControl control)
        throws ImageFailure, IOException, InterruptedException {
      List<String> warnings = new ArrayList<>();
      Blocks file = new Blocks(channel);
      ByteBuffer header = ByteBuffer.allocate(8);
      java.util.zip.CRC32 crc = new java.util.zip.CRC32();
      long pos = 8; // after the signature, which the reader's probe has checked
      boolean first = true;
      boolean sawData = false;
      while (true) {
        if (control.isAborted() || Thread.currentThread().isInterrupted()) {
          throw new InterruptedException("aborted");
        }
        if (pos + 8 > size) {
          String where = pos >= size ? "before the IEND chunk that closes a PNG" : "inside a chunk header";
          if (!sawData) {
            throw nothingToShow(size);
          }
          return truncated("the file ends after " + size + " bytes, " + where, warnings);
        }
        file.read(pos, header.array(), 8);
        long length = header.getInt(0) & 0xFFFFFFFFL;
        String type = chunkType(header);
        if (type == null) {
          throw corruptPng("bytes that are not a chunk at byte " + pos + (first ? "" : " (damaged data or a wrong chunk length before it)"));
        }
        if (length > Integer.MAX_VALUE) {
          throw corruptPng(String.format(Locale.ROOT, "the %s chunk at byte %d claims an impossible length of %,d bytes", type, pos, length));
        }
        if (first && !type.equals("IHDR")) {
          throw corruptPng("the first chunk is " + type + ", not IHDR");
        }
        if (pos + 12 + length > size) {
          if (!sawData && !type.equals("IDAT")) {
            throw nothingToShow(size);
          }
          return truncated(String.format(Locale.ROOT,
              "the file ends after %d bytes, inside the %s chunk at byte %d that needs %,d bytes more",
              size, type, pos, pos + 12 + length - size), warnings);
        }
        crc.reset();
        crc.update(header.array(), 4, 4);
        if (first) {
          if (length == 0) {
            throw corruptPng("the IHDR chunk is empty");
          }
          byte[] ihdr = new byte[(int) Math.min(length, 13)];
          file.read(pos + 8, ihdr, ihdr.length);
          checkIhdr(ByteBuffer.wrap(ihdr), length);
        }
        file.updateCrc(crc, pos + 8, length);
        file.read(pos + 8 + length, header.array(), 4);
        long stored = header.getInt(0) & 0xFFFFFFFFL;
        if (stored != crc.getValue()) {
          boolean critical = Character.isUpperCase(type.charAt(0));
          if (critical) {
            throw corruptPng("bad CRC in the " + type + " chunk at byte " + pos + " (the data is damaged)");
          }
          warnings.add("bad CRC in the ancillary " + type + " chunk at byte " + pos);
        }
        first = false;
        if (type.equals("IDAT")) {
          sawData = true;
        } else if (type.equals("IEND")) {
          if (!sawData) {
            throw corruptPng("no image data (the file has no IDAT chunk)");
          }
          return warnings.isEmpty() ? SOUND : new FileStructure(Optional.empty(), List.copyOf(warnings));
        }
        pos += 12 + length;
      }
    }

    private static void checkIhdr(ByteBuffer ihdr, long length) throws ImageFailure {
      if (length != 13 || ihdr.remaining() < 13) {
        throw corruptPng("the IHDR chunk has " + length + " bytes, not 13");
      }
      long width = ihdr.getInt(0) & 0xFFFFFFFFL;
      long height = ihdr.getInt(4) & 0xFFFFFFFFL;
      int depth = ihdr.get(8) & 0xFF;
      int colour = ihdr.get(9) & 0xFF;
      if (width == 0 || height == 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
        throw corruptPng("the header claims an impossible size of " + width + "x" + height);
      }
      String allowed =
          switch (colour) {
            case 0 -> "1, 2, 4, 8, 16";
            case 3 -> "1, 2, 4, 8";
            case 2, 4, 6 -> "8, 16";
            default -> null;
          };
      if (allowed == null) {
        throw corruptPng("colour type " + colour + " does not exist (IHDR; valid: 0, 2, 3, 4, 6)");
      }
      if (!List.of(allowed.split(", ")).contains(Integer.toString(depth))) {
        throw corruptPng("bit depth " + depth + " is not valid for colour type " + colour + " (IHDR; valid: " + allowed + ")");
      }
      if (ihdr.get(10) != 0 || ihdr.get(11) != 0 || (ihdr.get(12) & 0xFF) > 1) {
        throw corruptPng("unknown compression, filter or interlace method in IHDR");
      }
    }

    /** The chunk type in bytes 4-7 of {@code header}, or null when they are not four ASCII letters. */
    private static String chunkType(ByteBuffer header) {
      char[] type = new char[4];
      for (int i = 0; i < 4; i++) {
        int c = header.get(4 + i) & 0xFF;
        if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z')) {
          return null;
        }
        type[i] = (char) c;
      }
      return new String(type);
    }

    /** A PNG cut before its image data: even --allow-truncated has nothing to show. */
    private static ImageFailure nothingToShow(long size) {
      return new ImageFailure(
          Reason.TRUNCATED, "truncated PNG: the file ends after " + size + " bytes, before any image data (IDAT)");
    }

    private static ImageFailure corruptPng(String detail) {
      return new ImageFailure(Reason.CORRUPT, "corrupt PNG: " + detail);
    }

    /**
     * Classic TIFF and BigTIFF: the first directory, every value it stores outside itself and the
     * strips or tiles of the first image must lie inside the file.
     */
    private static FileStructure tiff(SeekableByteChannel channel, long size) throws IOException {
      if (size < 8) {
        return truncated("the file ends after " + size + " bytes, inside the TIFF header", List.of());
      }
      ByteBuffer b = ByteBuffer.allocate(16);
      readFully(channel, 0, b.limit(Math.min(16, (int) size)));
      b.order(b.get(0) == 'I' ? java.nio.ByteOrder.LITTLE_ENDIAN : java.nio.ByteOrder.BIG_ENDIAN);
      boolean big = b.getShort(2) == 43;
      if (big && size < 16) {
        return truncated("the file ends after " + size + " bytes, inside the BigTIFF header", List.of());
      }
      long ifd = big ? b.getLong(8) : b.getInt(4) & 0xFFFFFFFFL;
      int countSize = big ? 8 : 2;
      int entrySize = big ? 20 : 12;
      int inline = big ? 8 : 4;
      if (ifd < 8 || ifd + countSize > size) {
        return truncated(String.format(Locale.ROOT,
            "the file ends after %d bytes, but its image directory is at byte %d", size, ifd), List.of());
      }
      ByteBuffer count = ByteBuffer.allocate(countSize).order(b.order());
      readFully(channel, ifd, count);
      long entries = big ? count.getLong(0) : count.getShort(0) & 0xFFFF;
      long end = ifd + countSize + entries * entrySize + inline;
      if (entries > 65_535 || end > size) {
        return truncated(String.format(Locale.ROOT,
            "the file ends after %d bytes, inside its image directory (needs %d)", size, end), List.of());
      }
      ByteBuffer directory = ByteBuffer.allocate((int) (entries * entrySize + inline)).order(b.order());
      readFully(channel, ifd + countSize, directory);
      long[] offsets = null;
      long[] counts = null;
      for (int i = 0; i < entries; i++) {
        int at = i * entrySize;
        int tag = directory.getShort(at) & 0xFFFF;
        int type = directory.getShort(at + 2) & 0xFFFF;
        long n = big ? directory.getLong(at + 4) : directory.getInt(at + 4) & 0xFFFFFFFFL;
        int unit = tiffTypeSize(type);
        if (unit == 0 || n < 0) {
          continue; // a type we do not know: the reader decides
        }
        long bytes = n * unit;
        int valueAt = at + (big ? 12 : 8);
        long valueOffset = big ? directory.getLong(valueAt) : directory.getInt(valueAt) & 0xFFFFFFFFL;
        if (bytes > inline && (valueOffset > size || bytes > size - valueOffset)) {
          return truncated(String.format(Locale.ROOT,
              "the file ends after %d bytes, but its directory points to data up to byte %d (tag %d)",
              size, valueOffset + bytes, tag),
              List.of());
        }
        boolean isOffsets = tag == 273 || tag == 324;
        boolean isCounts = tag == 279 || tag == 325;
        if ((isOffsets || isCounts) && n <= MAX_STRIPS && (unit == 2 || unit == 4 || unit == 8)) {
          long[] values = new long[(int) n];
          ByteBuffer raw;
          if (bytes <= inline) {
            raw = directory.duplicate().order(b.order()).position(valueAt).limit(valueAt + (int) bytes).slice().order(b.order());
          } else {
            raw = ByteBuffer.allocate((int) bytes).order(b.order());
            readFully(channel, valueOffset, raw);
          }
          for (int k = 0; k < n; k++) {
            values[k] = switch (unit) {
              case 2 -> raw.getShort(k * 2) & 0xFFFF;
              case 4 -> raw.getInt(k * 4) & 0xFFFFFFFFL;
              default -> raw.getLong(k * 8);
            };
          }
          if (isOffsets) {
            offsets = values;
          } else {
            counts = values;
          }
        }
      }
      if (offsets != null && counts != null) {
        for (int k = 0; k < Math.min(offsets.length, counts.length); k++) {
          long stripEnd = offsets[k] + counts[k];
          if (offsets[k] < 0 || counts[k] < 0 || stripEnd > size) {
            return truncated(String.format(Locale.ROOT,
                "the file ends after %d bytes, but its image data runs to byte %d", size, stripEnd), List.of());
          }
        }
      }
      long next = big ? directory.getLong((int) (entries * entrySize)) : directory.getInt((int) (entries * entrySize)) & 0xFFFFFFFFL;
      if (next != 0 && next >= size) {
        return truncated(String.format(Locale.ROOT,
            "the file ends after %d bytes, but its next image directory is at byte %d", size, next), List.of());
      }
      return SOUND;
    }

    private static int tiffTypeSize(int type) {
      return switch (type) {
        case 1, 2, 6, 7 -> 1; // BYTE, ASCII, SBYTE, UNDEFINED
        case 3, 8 -> 2; // SHORT, SSHORT
        case 4, 9, 11, 13 -> 4; // LONG, SLONG, FLOAT, IFD
        case 5, 10, 12, 16, 17, 18 -> 8; // RATIONAL, SRATIONAL, DOUBLE, LONG8, SLONG8, IFD8
        default -> 0;
      };
    }

    private static FileStructure truncated(String detail, List<String> warnings) {
      return new FileStructure(Optional.of(detail), List.copyOf(warnings));
    }

    /**
     * A forward walk over a file through one large buffer. The PNG walk reads every byte for the
     * CRCs; reading each chunk on its own cost six system calls per chunk, and photographs come
     * with thousands of small IDAT chunks.
     */
    private static final class Blocks {
      private static final int SIZE = 256 * 1024;
      private final SeekableByteChannel channel;
      private final ByteBuffer block = ByteBuffer.allocate(SIZE);
      private long start;
      private int length;

      Blocks(SeekableByteChannel channel) {
        this.channel = channel;
      }

      /** Copies the {@code n} bytes at {@code position} to {@code into}. */
      void read(long position, byte[] into, int n) throws IOException {
        for (int done = 0; done < n; ) {
          int offset = load(position + done);
          int k = Math.min(n - done, length - offset);
          System.arraycopy(block.array(), offset, into, done, k);
          done += k;
        }
      }

      /** Adds the {@code n} bytes at {@code position} to {@code crc}. */
      void updateCrc(java.util.zip.CRC32 crc, long position, long n) throws IOException {
        for (long done = 0; done < n; ) {
          int offset = load(position + done);
          int k = (int) Math.min(n - done, length - offset);
          crc.update(block.array(), offset, k);
          done += k;
        }
      }

      /** The offset in the block of the byte at {@code position}, reading a new block when it is outside. */
      private int load(long position) throws IOException {
        if (position < start || position >= start + length) {
          channel.position(position);
          block.clear();
          while (block.hasRemaining() && channel.read(block) >= 0) {
            // fill the block, or up to the end of the file
          }
          start = position;
          length = block.position();
          if (length == 0) {
            throw new EOFException("the file ends at byte " + position);
          }
        }
        return (int) (position - start);
      }
    }

    private static void readFully(SeekableByteChannel channel, long position, ByteBuffer into) throws IOException {
      channel.position(position);
      while (into.hasRemaining()) {
        if (channel.read(into) < 0) {
          throw new EOFException("the file ends at byte " + channel.position());
        }
      }
    }
  }

  static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
