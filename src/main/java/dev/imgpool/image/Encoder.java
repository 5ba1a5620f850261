package dev.imgpool.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Writes a packed-int image in one of the output formats. Images reaching it are already
 * flattened when the format has no alpha.
 *
 * <p>Stateless and thread-safe; each call uses its own writer.
 */
final class Encoder {
  private Encoder() {}

  static void write(BufferedImage image, ImageFormat format, int quality, boolean lossless, OutputStream out)
      throws IOException {
    ImageWriter writer = pickWriter(format);
    try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(stream);
      ImageWriteParam param = writer.getDefaultWriteParam();
      configure(param, format, quality, lossless);
      writer.write(null, new IIOImage(image, null, null), param);
      stream.flush();
    } finally {
      writer.dispose();
    }
  }

  private static void configure(ImageWriteParam param, ImageFormat format, int quality, boolean lossless) {
    if (!param.canWriteCompressed()) {
      return;
    }
    switch (format) {
      case JPG -> {
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality / 100f);
      }
      case WEBP -> {
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        String wanted = lossless ? "lossless" : "lossy";
        String[] types = param.getCompressionTypes();
        if (types != null) {
          Arrays.stream(types)
              .filter(type -> type.toLowerCase(Locale.ROOT).equals(wanted))
              .findFirst()
              .ifPresent(param::setCompressionType);
        }
        param.setCompressionQuality(lossless ? 1f : quality / 100f);
      }
      case TIFF -> {
        String[] types = param.getCompressionTypes();
        if (types != null && Arrays.asList(types).contains("Deflate")) {
          param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
          param.setCompressionType("Deflate");
        } else if (types != null && Arrays.asList(types).contains("LZW")) {
          param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
          param.setCompressionType("LZW");
        }
      }
      default -> {
        // PNG, GIF, BMP: the writers' defaults are lossless and sensible
      }
    }
  }

  private static ImageWriter pickWriter(ImageFormat format) throws IOException {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format.imageIoName());
    if (!writers.hasNext()) {
      throw new IOException("no " + format.extension() + " writer is installed");
    }
    return writers.next();
  }
}
