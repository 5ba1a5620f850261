package dev.imgpool.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import net.coobird.thumbnailator.Thumbnails;

/** Resizing and cropping of packed-int images through Thumbnailator's resamplers. */
final class Resizer {
  private Resizer() {}

  /** {@code image} scaled to exactly {@code size}; the image itself when it already has that size. */
  static BufferedImage resize(BufferedImage image, Size size) throws IOException {
    if (image.getWidth() == size.width() && image.getHeight() == size.height()) {
      return image;
    }
    if (Resampler.handles(image, size)) {
      return Resampler.downscale(image, size);
    }
    BufferedImage packed = Pixels.toPackedRgb(image); // Thumbnailator keeps the type it is given
    return Thumbnails.of(packed).forceSize(size.width(), size.height()).imageType(packed.getType()).asBufferedImage();
  }

  /** A copy of the {@code size} window of {@code image} placed by {@code gravity}. */
  static BufferedImage crop(BufferedImage image, Size size, Gravity gravity) {
    int w = Math.min(size.width(), image.getWidth());
    int h = Math.min(size.height(), image.getHeight());
    if (w == image.getWidth() && h == image.getHeight()) {
      return image;
    }
    int left = gravity.left(image.getWidth(), w);
    int top = gravity.top(image.getHeight(), h);
    BufferedImage out = new BufferedImage(w, h, image.getType());
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      image.getRGB(left, top + y, w, 1, row, 0, w);
      out.setRGB(0, y, w, 1, row, 0, w);
    }
    return out;
  }
}
