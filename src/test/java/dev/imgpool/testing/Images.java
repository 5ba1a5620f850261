package dev.imgpool.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Assertions and measurements on images, for the tests. */
public final class Images {
  private Images() {}

  public static BufferedImage read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      BufferedImage image = ImageIO.read(in);
      assertTrue(image != null, "no reader decoded " + file);
      return image;
    }
  }

  public static void assertSize(Path file, int width, int height) throws IOException {
    BufferedImage image = read(file);
    assertEquals(width + "x" + height, image.getWidth() + "x" + image.getHeight(), file.toString());
  }

  /** Mean R, G, B of a window, read through getRGB (sRGB). */
  public static double[] mean(BufferedImage image, int x0, int y0, int w, int h) {
    double r = 0;
    double g = 0;
    double b = 0;
    for (int y = y0; y < y0 + h; y++) {
      for (int x = x0; x < x0 + w; x++) {
        int p = image.getRGB(x, y);
        r += (p >> 16) & 0xFF;
        g += (p >> 8) & 0xFF;
        b += p & 0xFF;
      }
    }
    double n = (double) w * h;
    return new double[] {r / n, g / n, b / n};
  }

  public static double[] mean(BufferedImage image) {
    return mean(image, 0, 0, image.getWidth(), image.getHeight());
  }

  public static void assertColour(double[] expected, double[] actual, double delta, String what) {
    for (int c = 0; c < 3; c++) {
      assertEquals(expected[c], actual[c], delta,
          what + ": expected " + fmt(expected) + " but was " + fmt(actual));
    }
  }

  /** Mean absolute difference per channel between two images of one size, 0-255. */
  public static double meanAbsoluteDifference(BufferedImage a, BufferedImage b) {
    assertEquals(a.getWidth() + "x" + a.getHeight(), b.getWidth() + "x" + b.getHeight(), "sizes differ");
    long sum = 0;
    for (int y = 0; y < a.getHeight(); y++) {
      for (int x = 0; x < a.getWidth(); x++) {
        int p = a.getRGB(x, y);
        int q = b.getRGB(x, y);
        sum += Math.abs(((p >> 16) & 0xFF) - ((q >> 16) & 0xFF));
        sum += Math.abs(((p >> 8) & 0xFF) - ((q >> 8) & 0xFF));
        sum += Math.abs((p & 0xFF) - (q & 0xFF));
      }
    }
    return sum / (3.0 * a.getWidth() * a.getHeight());
  }

  private static String fmt(double[] rgb) {
    return String.format(java.util.Locale.ROOT, "(%.1f, %.1f, %.1f)", rgb[0], rgb[1], rgb[2]);
  }
}
