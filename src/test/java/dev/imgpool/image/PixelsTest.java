package dev.imgpool.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PixelsTest {
  @Test
  void interleavedBgrKeepsEverySample() {
    BufferedImage image = randomRgb(37, 23, 1);
    BufferedImage bgr = Pixels.toInterleavedBgr(image);
    assertEquals(BufferedImage.TYPE_3BYTE_BGR, bgr.getType());
    assertSamePixels(image, bgr);
  }

  @Test
  void interleavedBgrOfAViewIntoALargerImage() {
    BufferedImage view = randomRgb(40, 30, 2).getSubimage(5, 7, 20, 11);
    BufferedImage bgr = Pixels.toInterleavedBgr(view);
    assertEquals(20, bgr.getWidth());
    assertEquals(11, bgr.getHeight());
    assertSamePixels(view, bgr);
  }

  private static BufferedImage randomRgb(int w, int h, long seed) {
    Random random = new Random(seed);
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        image.setRGB(x, y, random.nextInt());
      }
    }
    return image;
  }

  private static void assertSamePixels(BufferedImage expected, BufferedImage actual) {
    for (int y = 0; y < expected.getHeight(); y++) {
      for (int x = 0; x < expected.getWidth(); x++) {
        assertEquals(expected.getRGB(x, y), actual.getRGB(x, y), "pixel " + x + "," + y);
      }
    }
  }
}
