package dev.imgpool.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Small JPEG previews for a page that cannot link to the outputs: the image is decoded with
 * source subsampling (so a full-size output costs a fraction of its pixels), fitted into a
 * {@link #SIDE}-pixel box, flattened on white and encoded at quality {@link #QUALITY}. A
 * preview of a photo is then 3 to 6 KB, about 4 to 8 KB as base64.
 *
 * <p>Stateless and thread-safe: each call uses its own reader and writer.
 */
final class Thumbnail {
  /** The longest side of a preview, in pixels. */
  static final int SIDE = 160;
  static final float QUALITY = 0.7f;
  /** Outputs larger than this are not previewed; imgpool's own limits keep real outputs below it. */
  private static final long MAX_PIXELS = 300_000_000L;

  private Thumbnail() {}

  /** A {@code data:image/jpeg;base64,...} URI of the image's preview, or empty when it cannot be read. */
  static Optional<String> dataUri(Path image) {
    try {
      Optional<BufferedImage> preview = preview(image);
      if (preview.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of("data:image/jpeg;base64," + Base64.getEncoder().encodeToString(jpeg(preview.get())));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // a missing or unreadable output only loses its preview
    }
  }

  static Optional<BufferedImage> preview(Path image) throws IOException {
    try (InputStream in = Files.newInputStream(image);
        ImageInputStream stream = ImageIO.createImageInputStream(in)) {
      if (stream == null) {
        return Optional.empty();
      }
      Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
      if (!readers.hasNext()) {
        return Optional.empty();
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(stream, /* seekForwardOnly= */ true, /* ignoreMetadata= */ true);
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        if (width <= 0 || height <= 0 || (long) width * height > MAX_PIXELS) {
          return Optional.empty();
        }
        ImageReadParam param = reader.getDefaultReadParam();
        // Keep at least twice the preview size, so the final step still averages pixels.
        int step = Math.max(1, Math.max(width, height) / (2 * SIDE));
        if (step > 1) {
          param.setSourceSubsampling(step, step, 0, 0);
        }
        return Optional.of(fit(reader.read(0, param)));
      } finally {
        reader.dispose();
      }
    }
  }

  /** Scales into the box in halving steps (cheap and smooth enough at this size), on white. */
  private static BufferedImage fit(BufferedImage source) {
    double scale = Math.min(1.0, (double) SIDE / Math.max(source.getWidth(), source.getHeight()));
    int targetW = Math.max(1, (int) Math.round(source.getWidth() * scale));
    int targetH = Math.max(1, (int) Math.round(source.getHeight() * scale));
    BufferedImage current = source;
    int w = source.getWidth();
    int h = source.getHeight();
    do {
      w = Math.max(targetW, w / 2);
      h = Math.max(targetH, h / 2);
      BufferedImage next = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = next.createGraphics();
      try {
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.drawImage(current, 0, 0, w, h, null);
      } finally {
        g.dispose();
      }
      current = next;
    } while (w != targetW || h != targetH);
    return current;
  }

  private static byte[] jpeg(BufferedImage image) throws IOException {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
    if (!writers.hasNext()) {
      throw new IOException("no JPEG writer is installed");
    }
    ImageWriter writer = writers.next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(8192);
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(QUALITY);
      writer.write(null, new IIOImage(image, null, null), param);
      out.flush();
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }
}
