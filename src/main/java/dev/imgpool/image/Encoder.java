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
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Writes a packed-int image in one of the output formats. Images reaching it are already
 * flattened when the format has no alpha.
 *
 * <p>Stateless and thread-safe; each call uses its own writer.
 */
final class Encoder {
  /**
   * Up to this size a JPEG output is handed to the writer as interleaved bytes (see
   * {@link Pixels#toInterleavedBgr}); a larger one as it is: the copy, 3 bytes a pixel, is memory
   * the decode budget did not reserve.
   */
  private static final long MAX_BYTE_COPY_PIXELS = 16L << 20;

  private Encoder() {}

  static void write(BufferedImage image, ImageFormat format, int quality, boolean lossless, OutputStream out)
      throws IOException {
    write(image, format, quality, lossless, false, out);
  }

  /**
   * Writes the image; with {@code tagSrgb}, JPEG and PNG outputs carry the sRGB ICC profile (the
   * other formats are written untagged, which readers take as sRGB too).
   */
  static void write(
      BufferedImage image, ImageFormat format, int quality, boolean lossless, boolean tagSrgb, OutputStream out)
      throws IOException {
    ImageWriter writer = pickWriter(format);
    boolean copyToBytes = format == ImageFormat.JPG && image.getType() == BufferedImage.TYPE_INT_RGB
        && (long) image.getWidth() * image.getHeight() <= MAX_BYTE_COPY_PIXELS;
    BufferedImage written = copyToBytes ? Pixels.toInterleavedBgr(image) : image;
    try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(stream);
      ImageWriteParam param = writer.getDefaultWriteParam();
      configure(param, format, quality, lossless);
      IIOMetadata metadata = tagSrgb ? srgbTagged(writer, written, param, format) : null;
      writer.write(null, new IIOImage(written, null, metadata), param);
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

  /** Default metadata with the sRGB profile added, or null where the format has no place for it. */
  private static IIOMetadata srgbTagged(ImageWriter writer, BufferedImage image, ImageWriteParam param, ImageFormat format)
      throws IOException {
    String tree;
    IIOMetadataNode profile;
    if (format == ImageFormat.JPG) {
      tree = "javax_imageio_jpeg_image_1.0";
      profile = new IIOMetadataNode("app2ICC");
      profile.setUserObject(java.awt.color.ICC_Profile.getInstance(IccProfiles.srgb()));
    } else if (format == ImageFormat.PNG) {
      tree = "javax_imageio_png_1.0";
      profile = new IIOMetadataNode("iCCP");
      profile.setAttribute("profileName", "sRGB");
      profile.setAttribute("compressionMethod", "deflate");
      profile.setUserObject(IccProfiles.srgbDeflated());
    } else {
      return null;
    }
    IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
    if (metadata == null || !java.util.Arrays.asList(metadata.getMetadataFormatNames()).contains(tree)) {
      return null;
    }
    IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(tree);
    if (format == ImageFormat.JPG) {
      org.w3c.dom.NodeList jfif = root.getElementsByTagName("app0JFIF");
      if (jfif.getLength() == 0) {
        return null;
      }
      jfif.item(0).appendChild(profile);
    } else {
      root.appendChild(profile);
    }
    metadata.setFromTree(tree, root);
    return metadata;
  }

  private static ImageWriter pickWriter(ImageFormat format) throws IOException {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format.imageIoName());
    if (!writers.hasNext()) {
      throw new IOException("no " + format.extension() + " writer is installed");
    }
    return writers.next();
  }
}
