package dev.imgpool.image;

import dev.imgpool.task.MemoryBudget;
import dev.imgpool.task.Reason;
import dev.imgpool.task.TaskControl;
import java.awt.image.BufferedImage;
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
  /** Bytes per decoded pixel reserved from the budget: the decoded image plus one working copy. */
  private static final int BUDGET_BYTES_PER_PIXEL = 8;

  /** The decoded pixels and what was learnt on the way. The caller releases {@code reservedBytes}. */
  record Decoded(
      BufferedImage image,
      int width,
      int height,
      int orientation,
      String formatName,
      int frames,
      List<String> warnings,
      long reservedBytes) {}

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
        ImageReader reader = pickReader(input, head, headLength);
        try {
          return decodeWith(reader, input, head, headLength, fileSize, neededSize, autoOrient, control);
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
      throw new ImageFailure(Reason.IO_ERROR, "cannot read: " + describe(e), e);
    }
  }

  private Decoded decodeWith(
      ImageReader reader,
      ChannelImageInputStream input,
      byte[] head,
      int headLength,
      long fileSize,
      UnaryOperator<Size> neededSize,
      boolean autoOrient,
      TaskControl control)
      throws ImageFailure, InterruptedException {
    String format = formatName(reader);
    List<String> warnings = new ArrayList<>();
    reader.setInput(input, false, true);
    reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
    control.onAbort(reader::abort);
    try {
      int width;
      int height;
      try {
        width = reader.getWidth(0);
        height = reader.getHeight(0);
      } catch (IOException | RuntimeException e) {
        throw classify(format, e, fileSize);
      }
      checkLimits(format, width, height);
      int frames = countFrames(reader, format);
      int orientation = autoOrient ? ExifOrientation.read(head, headLength) : ExifOrientation.NORMAL;
      boolean swapsSides = orientation >= 5;
      Size full = swapsSides ? new Size(height, width) : new Size(width, height);
      Size needed = neededSize.apply(full);
      int step = subsamplingStep(format, full, needed);
      long pixels = (long) ceilDiv(width, step) * ceilDiv(height, step);
      long reserve = pixels * BUDGET_BYTES_PER_PIXEL;
      if (!budget.fits(reserve)) {
        throw new ImageFailure(
            Reason.TOO_LARGE,
            String.format(
                Locale.ROOT,
                "%s image of %dx%d needs %d MB of pixel memory, more than the whole budget of %d MB",
                format, width, height, reserve >> 20, budget.capacity() >> 20));
      }
      budget.reserve(reserve);
      boolean reserved = true;
      try {
        ImageReadParam param = reader.getDefaultReadParam();
        if (step > 1) {
          param.setSourceSubsampling(step, step, 0, 0);
        }
        BufferedImage image;
        try {
          image = reader.read(0, param);
        } catch (IOException | RuntimeException | OutOfMemoryError | StackOverflowError e) {
          if (control.isAborted() || Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("aborted");
          }
          throw classify(format, e, fileSize);
        }
        if (control.isAborted()) {
          throw new InterruptedException("aborted");
        }
        if (image == null) {
          throw new ImageFailure(Reason.CORRUPT, "corrupt " + format + ": the reader returned no image");
        }
        Optional<String> truncation = truncationWarning(warnings);
        if (truncation.isPresent()) {
          if (!limits.allowTruncated()) {
            throw new ImageFailure(
                Reason.TRUNCATED,
                "truncated " + format + ": " + truncation.get() + " (" + fileSize + " bytes; --allow-truncated accepts it)");
          }
        }
        reserved = false;
        return new Decoded(image, width, height, orientation, format, frames, List.copyOf(warnings), reserve);
      } finally {
        if (reserved) {
          budget.release(reserve);
        }
      }
    } finally {
      control.clearAbortHooks();
    }
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
    if (!format.equals("JPEG")) {
      return 1;
    }
    int step = Math.min(full.width() / (2 * needed.width()), full.height() / (2 * needed.height()));
    return Math.max(1, step);
  }

  private static ImageReader pickReader(ChannelImageInputStream input, byte[] head, int headLength)
      throws ImageFailure {
    Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
    ImageReader chosen = null;
    while (readers.hasNext()) {
      ImageReader candidate = readers.next();
      // Two WebP plugins may be on a class path; TwelveMonkeys' is the one we test, so it wins.
      if (chosen == null || isTwelveMonkeys(candidate) && !isTwelveMonkeys(chosen)
          && formatName(candidate).equals(formatName(chosen))) {
        chosen = candidate;
      }
    }
    if (chosen != null) {
      return chosen;
    }
    Optional<String> sniffed = InputFormats.sniff(head, headLength);
    if (sniffed.isPresent()) {
      throw new ImageFailure(
          Reason.UNSUPPORTED_FORMAT, "unsupported format: " + sniffed.get() + " (no reader for it is installed)");
    }
    throw new ImageFailure(Reason.NOT_AN_IMAGE, "not an image: " + describeContent(head, headLength));
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

  /** Turns a reader's exception into a failure a person understands. */
  static ImageFailure classify(String format, Throwable error, long fileSize) {
    if (error instanceof OutOfMemoryError) {
      return new ImageFailure(Reason.TOO_LARGE, format + " image needs more memory than the heap has");
    }
    if (error instanceof StackOverflowError) {
      return new ImageFailure(Reason.CORRUPT, "corrupt " + format + ": the decoder recursed too deep");
    }
    for (Throwable t = error; t != null; t = t.getCause()) {
      String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
      if (t instanceof EOFException || message.contains("unexpected end") || message.contains("premature end")
          || message.contains("end of stream") || message.contains("eof")
          || (t instanceof ZipException && message.contains("end"))) {
        return new ImageFailure(
            Reason.TRUNCATED, "truncated " + format + ": data ends early (" + fileSize + " bytes)", error);
      }
    }
    return new ImageFailure(Reason.CORRUPT, "corrupt " + format + ": " + describe(error), error);
  }

  /** A one-line description of an exception, never a bare class name or "null". */
  static String describe(Throwable error) {
    Throwable t = error;
    String message = t.getMessage();
    while ((message == null || message.isBlank()) && t.getCause() != null) {
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
          default -> "";
        };
    String text = message == null || message.isBlank() ? kind : kind.isEmpty() ? message : kind + " (" + message + ")";
    if (text.isEmpty()) {
      text = "unreadable data";
    }
    return text.replace('\n', ' ').replace('\r', ' ').strip();
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
