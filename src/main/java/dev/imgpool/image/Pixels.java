package dev.imgpool.image;

import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;

/** Pixel-level conversions: to packed sRGB ints, EXIF orientation, alpha over a background. */
final class Pixels {
  private Pixels() {}

  /**
   * The image as {@code TYPE_INT_RGB} or, when it has alpha, {@code TYPE_INT_ARGB}. Grayscale of
   * any depth is scaled sample by sample: Java2D would treat it as linear light and brighten it.
   */
  static BufferedImage toPackedRgb(BufferedImage image) {
    int type = image.getType();
    if (type == BufferedImage.TYPE_INT_RGB || type == BufferedImage.TYPE_INT_ARGB) {
      return image;
    }
    ColorModel model = image.getColorModel();
    boolean alpha = model.hasAlpha();
    int w = image.getWidth();
    int h = image.getHeight();
    BufferedImage out = new BufferedImage(w, h, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
    if (model.getColorSpace().getType() == ColorSpace.TYPE_GRAY && model.getNumColorComponents() == 1
        && !(model instanceof java.awt.image.IndexColorModel)) {
      copyGray(image.getRaster(), model, alpha, out);
      return out;
    }
    Graphics2D g = out.createGraphics();
    try {
      g.setComposite(AlphaComposite.Src);
      g.drawImage(image, 0, 0, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  private static void copyGray(Raster raster, ColorModel model, boolean alpha, BufferedImage out) {
    int w = raster.getWidth();
    int h = raster.getHeight();
    int grayMax = (1 << model.getComponentSize(0)) - 1;
    int alphaMax = alpha ? (1 << model.getComponentSize(1)) - 1 : 1;
    int[] pixels = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
    int[] gray = new int[w];
    int[] alphaRow = new int[w];
    for (int y = 0; y < h; y++) {
      raster.getSamples(0, y, w, 1, 0, gray);
      if (alpha) {
        raster.getSamples(0, y, w, 1, 1, alphaRow);
      }
      for (int x = 0; x < w; x++) {
        int v = (int) ((gray[x] * 255L + grayMax / 2) / grayMax);
        int a = alpha ? (int) ((alphaRow[x] * 255L + alphaMax / 2) / alphaMax) : 255;
        pixels[y * w + x] = (a << 24) | (v << 16) | (v << 8) | v;
      }
    }
  }

  /**
   * Applies an EXIF orientation (1-8) to a packed-int image, so that the result looks upright.
   * 1 returns the image itself.
   */
  static BufferedImage orient(BufferedImage image, int orientation) {
    if (orientation <= 1 || orientation > 8) {
      return image;
    }
    int w = image.getWidth();
    int h = image.getHeight();
    boolean swap = orientation >= 5;
    int dw = swap ? h : w;
    int dh = swap ? w : h;
    BufferedImage out = new BufferedImage(dw, dh, image.getType());
    int[] src = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
    for (int y = 0; y < dh; y++) {
      for (int x = 0; x < dw; x++) {
        int sx;
        int sy;
        switch (orientation) {
          case 2 -> { sx = w - 1 - x; sy = y; }
          case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
          case 4 -> { sx = x; sy = h - 1 - y; }
          case 5 -> { sx = y; sy = x; }
          case 6 -> { sx = y; sy = h - 1 - x; }
          case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
          default -> { sx = w - 1 - y; sy = x; } // 8
        }
        dst[y * dw + x] = src[sy * w + sx];
      }
    }
    return out;
  }

  /** The EXIF orientation that a clockwise rotation by {@code degrees} (90, 180, 270) amounts to. */
  static int orientationForRotation(int degrees) {
    return switch (degrees) {
      case 90 -> 6;
      case 180 -> 3;
      case 270 -> 8;
      default -> 1;
    };
  }

  /** An opaque copy of an image with alpha, composed over {@code background}. */
  static BufferedImage flatten(BufferedImage image, Color background) {
    if (!image.getColorModel().hasAlpha()) {
      return image;
    }
    BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setColor(background);
      g.fillRect(0, 0, image.getWidth(), image.getHeight());
      g.drawImage(image, 0, 0, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  /**
   * An opaque packed-int image as interleaved bytes in {@code TYPE_3BYTE_BGR}. The JDK's JPEG
   * writer copies such rasters row by row as bytes; from a packed-int raster it unpacks every
   * sample through the sample model and allocates an array per row.
   */
  static BufferedImage toInterleavedBgr(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    int[] src = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    if (src.length != w * h || image.getRaster().getParent() != null) {
      Graphics2D g = out.createGraphics(); // a view into a larger raster: let Java2D find the pixels
      try {
        g.drawImage(image, 0, 0, null);
      } finally {
        g.dispose();
      }
      return out;
    }
    byte[] dst = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
    for (int i = 0, j = 0; i < src.length; i++, j += 3) {
      int rgb = src[i];
      dst[j] = (byte) rgb;
      dst[j + 1] = (byte) (rgb >> 8);
      dst[j + 2] = (byte) (rgb >> 16);
    }
    return out;
  }

  /** True when some pixel is not fully opaque. */
  static boolean usesAlpha(BufferedImage image) {
    if (!image.getColorModel().hasAlpha()) {
      return false;
    }
    if (image.getType() == BufferedImage.TYPE_INT_ARGB) {
      for (int pixel : ((DataBufferInt) image.getRaster().getDataBuffer()).getData()) {
        if ((pixel >>> 24) != 0xFF) {
          return true;
        }
      }
      return false;
    }
    return true;
  }
}
