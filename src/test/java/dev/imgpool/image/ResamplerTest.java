package dev.imgpool.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.imgpool.image.codec.PngDecoder;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The streaming box + Lanczos-3 resampler against a plain double-precision version of the same filter. */
class ResamplerTest {

  @ParameterizedTest
  @CsvSource({
      "300, 200, 100, 70, 1", // a Lanczos reduce of 3, no box
      "1000, 600, 100, 60, 3", // box 5x5 first, then Lanczos 2
      "640, 480, 640, 100, 1", // only vertical
      "97, 53, 31, 53, 3", // only horizontal, odd sizes
      "801, 601, 800, 600, 1"}) // barely smaller
  void opaque_matchesTheDoublePrecisionFilter(int w, int h, int tw, int th, int imageType) {
    BufferedImage source = texture(w, h, imageType == 3 ? BufferedImage.TYPE_3BYTE_BGR : BufferedImage.TYPE_INT_RGB);
    BufferedImage out = Resampler.downscale(source, new Size(tw, th));
    assertEquals(tw, out.getWidth());
    assertEquals(th, out.getHeight());
    double[][][] expected = reference(source, tw, th);
    int worst = 0;
    for (int y = 0; y < th; y++) {
      for (int x = 0; x < tw; x++) {
        int p = out.getRGB(x, y);
        for (int c = 0; c < 3; c++) {
          int want = (int) Math.round(Math.max(0, Math.min(255, expected[c][y][x])));
          worst = Math.max(worst, Math.abs(want - ((p >> (16 - 8 * c)) & 0xFF)));
        }
      }
    }
    assertTrue(worst <= 2, "largest difference " + worst);
  }

  @Test
  void alpha_transparentPixelsLendNoColour() {
    // Left half transparent red, right half opaque blue: the blue edge must stay free of red.
    BufferedImage source = new BufferedImage(400, 100, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < 100; y++) {
      for (int x = 0; x < 400; x++) {
        source.setRGB(x, y, x < 200 ? 0x00FF0000 : 0xFF0000FF);
      }
    }
    BufferedImage out = Resampler.downscale(source, new Size(40, 10));
    assertEquals(BufferedImage.TYPE_INT_ARGB, out.getType());
    for (int x = 0; x < 40; x++) {
      int p = out.getRGB(x, 5);
      int alpha = p >>> 24;
      if (alpha > 0) {
        assertEquals(0, (p >> 16) & 0xFF, "red at x=" + x + " alpha " + alpha);
      }
    }
    assertEquals(0, out.getRGB(2, 5) >>> 24);
    assertEquals(255, out.getRGB(37, 5) >>> 24);
  }

  @ParameterizedTest
  @CsvSource({"2", "6"}) // TYPE_INT_ARGB, TYPE_4BYTE_ABGR
  void alpha_matchesThePremultipliedDoublePrecisionFilter(int imageType) {
    // semi-transparent everywhere, colours and alpha both varying; 600x400 to 100x70 boxes 3x2 first
    BufferedImage source = new BufferedImage(600, 400, imageType);
    Random random = new Random(11);
    for (int y = 0; y < 400; y++) {
      for (int x = 0; x < 600; x++) {
        int a = clamp(140 + 110 * Math.sin(x / 23.0 + y / 31.0));
        int r = clamp(128 + 120 * Math.cos(x / 9.0) + random.nextInt(30) - 15);
        int g = clamp(255.0 * x / 600);
        int b = clamp((x + 2 * y) % 256);
        source.setRGB(x, y, a << 24 | r << 16 | g << 8 | b);
      }
    }
    BufferedImage out = Resampler.downscale(source, new Size(100, 70));
    assertEquals(BufferedImage.TYPE_INT_ARGB, out.getType());
    double[][][] expected = referenceWithAlpha(source, 100, 70);
    int worstAlpha = 0;
    int worstColour = 0; // where alpha >= 128
    double colourError = 0;
    int counted = 0;
    for (int y = 0; y < 70; y++) {
      for (int x = 0; x < 100; x++) {
        int p = out.getRGB(x, y);
        int alpha = (int) Math.round(Math.max(0, Math.min(255, expected[3][y][x])));
        worstAlpha = Math.max(worstAlpha, Math.abs(alpha - (p >>> 24)));
        // Colours are carried premultiplied in 8 bits: dividing alpha out magnifies a rounding
        // step by 255 / alpha, so the bound is tight only where alpha is high.
        for (int c = 0; c < 3 && alpha >= 32; c++) {
          int want = (int) Math.round(Math.max(0, Math.min(255, expected[c][y][x])));
          int difference = Math.abs(want - ((p >> (16 - 8 * c)) & 0xFF));
          colourError += difference;
          counted++;
          if (alpha >= 128) {
            worstColour = Math.max(worstColour, difference);
          }
        }
      }
    }
    assertTrue(worstAlpha <= 2, "largest alpha difference " + worstAlpha);
    assertTrue(worstColour <= 4, "largest colour difference where alpha >= 128: " + worstColour);
    assertTrue(colourError / counted <= 1.0, "mean colour difference " + colourError / counted);
  }

  @Test
  void premultipliedSource_givesExactlyWhatItsStraightTwinGives() {
    // The PNG decoder's boxed output is premultiplied: it must filter to the same result as the
    // straight image whose premultiplied rounding it holds. Each 2x2 block is one colour, so a
    // further 2x2 box (the 60x40 target) gives exact means on both sides as well.
    BufferedImage straight = new BufferedImage(300, 200, BufferedImage.TYPE_INT_ARGB);
    BufferedImage premultiplied = new BufferedImage(300, 200, BufferedImage.TYPE_INT_ARGB_PRE);
    int[] raw = ((DataBufferInt) premultiplied.getRaster().getDataBuffer()).getData();
    Random random = new Random(5);
    for (int y = 0; y < 200; y += 2) {
      for (int x = 0; x < 300; x += 2) {
        int a = random.nextInt(4) == 0 ? random.nextInt(3) * 127 : random.nextInt(256); // 0, 127, 254 and any
        int r = random.nextInt(256);
        int g = clamp(128 + 120 * Math.sin(x / 11.0));
        int b = (x + y) & 0xFF;
        for (int dy = 0; dy < 2; dy++) {
          for (int dx = 0; dx < 2; dx++) {
            straight.setRGB(x + dx, y + dy, a << 24 | r << 16 | g << 8 | b);
            raw[(y + dy) * 300 + x + dx] = a << 24 | times(r, a) << 16 | times(g, a) << 8 | times(b, a);
          }
        }
      }
    }
    for (Size target : new Size[] {new Size(150, 100), new Size(100, 70), new Size(299, 200), new Size(60, 40)}) {
      BufferedImage want = Resampler.downscale(straight, target);
      BufferedImage got = Resampler.downscale(premultiplied, target);
      assertEquals(BufferedImage.TYPE_INT_ARGB, got.getType());
      for (int y = 0; y < target.height(); y++) {
        for (int x = 0; x < target.width(); x++) {
          assertEquals(want.getRGB(x, y), got.getRGB(x, y), target + " at " + x + "," + y);
        }
      }
    }
  }

  @ParameterizedTest
  @CsvSource({
      "testdata/images/badge-rgba.png, 200, 200", // RGBA, box 2
      "testdata/images/badge-rgba.png, 100, 90", // box 4 by 5
      "testdata/colour/palette-alpha.png, 30, 30", // palette with tRNS
      "testdata/colour/alpha.png, 50, 25",
      "testdata/pngsuite/basn4a08.png, 8, 8"}) // gray + alpha
  void pngBoxDecode_thenResample_isBitIdenticalToFullDecode_thenResample(String file, int tw, int th) throws Exception {
    Path path = Path.of(file);
    BufferedImage full = ImageIO.read(path.toFile());
    int kx = Resampler.boxFactor(full.getWidth(), tw);
    int ky = Resampler.boxFactor(full.getHeight(), th);
    assertTrue(kx > 1 || ky > 1, "the decoder boxes");
    byte[] bytes = Files.readAllBytes(path);
    BufferedImage boxed = PngDecoder.parse(bytes, bytes.length).decode(kx, ky, () -> false);
    BufferedImage want = Resampler.downscale(full, new Size(tw, th));
    BufferedImage got = Resampler.downscale(boxed, new Size(tw, th));
    for (int y = 0; y < th; y++) {
      for (int x = 0; x < tw; x++) {
        if (want.getRGB(x, y) != got.getRGB(x, y)) {
          fail(String.format("%s at %d,%d: %08x against %08x", file, x, y, got.getRGB(x, y), want.getRGB(x, y)));
        }
      }
    }
  }

  /** round(v * a / 255), as premultiplication rounds. */
  private static int times(int v, int a) {
    return (int) Math.round(v * a / 255.0);
  }

  @Test
  void pairedChannels_giveExactlyWhatEachChannelGivesAlone() {
    Random random = new Random(11);
    for (int[] sizes : new int[][] {{1000, 300}, {333, 100}, {64, 63}, {2400, 800}}) {
      Resampler.Weights weights = Resampler.Weights.lanczos(sizes[0], sizes[1]);
      int w = sizes[0];
      int to = sizes[1];
      // samples past 0-255 either way, as the vertical pass leaves them near sharp edges
      int[][] samples = new int[4][w];
      int[][] fixed = new int[4][w];
      for (int c = 0; c < 4; c++) {
        for (int x = 0; x < w; x++) {
          samples[c][x] = random.nextInt(10) == 0 ? (random.nextBoolean() ? -120 : 380) : random.nextInt(256);
          fixed[c][x] = samples[c][x] << 14; // rounds back to the sample
        }
      }
      long[] first = new long[w];
      long[] second = new long[w];
      Resampler.pair(fixed[0], fixed[1], first, w);
      Resampler.pair(fixed[2], fixed[3], second, w);
      int[][] out = new int[4][to];
      Resampler.filterPairs(first, second, weights, out[0], out[1], out[2], out[3], to);
      int[][] outOne = new int[3][to];
      Resampler.filterPairAndOne(first, samples[2], weights, outOne[0], outOne[1], outOne[2], to);
      for (int c = 0; c < 4; c++) {
        for (int i = 0; i < to; i++) {
          int sum = 0;
          for (int t = 0; t < weights.count()[i]; t++) {
            sum += samples[c][weights.first()[i] + t] * weights.values()[i * weights.stride() + t];
          }
          int expected = (sum + (1 << 13)) >> 14;
          assertEquals(expected, out[c][i], "channel " + c + " output " + i + " of " + to);
          if (c < 3) {
            assertEquals(expected, outOne[c][i], "pair and one, channel " + c + " output " + i + " of " + to);
          }
        }
      }
    }
    // A negative low sum borrows from the high half: a high sum exactly half way to the next
    // level shows whether the borrow is undone.
    Resampler.Weights unit = new Resampler.Weights(new int[] {0}, new int[] {1}, new int[] {1}, 1);
    long[] pairs = new long[1];
    Resampler.pair(new int[] {-1 << 14}, new int[] {8192 << 14}, pairs, 1);
    int[] low = new int[1];
    int[] high = new int[1];
    int[] single = new int[1];
    Resampler.filterPairAndOne(pairs, new int[] {0}, unit, low, high, single, 1);
    assertEquals(0, low[0]);
    assertEquals(1, high[0]);
    int[][] four = {{-999}, {-999}, {-999}, {-999}};
    Resampler.filterPairs(pairs, pairs, unit, four[0], four[1], four[2], four[3], 1);
    assertEquals(List.of(0, 1, 0, 1), List.of(four[0][0], four[1][0], four[2][0], four[3][0]));
  }

  /** {@link #reference} with alpha: colours weighted by alpha through both steps, then divided out. */
  private static double[][][] referenceWithAlpha(BufferedImage source, int tw, int th) {
    int w = source.getWidth();
    int h = source.getHeight();
    BufferedImage[] planes = new BufferedImage[4];
    for (int c = 0; c < 4; c++) {
      planes[c] = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    }
    // each premultiplied channel as the red of an opaque image, so reference() filters it
    double[][][] premultiplied = new double[4][][];
    for (int c = 0; c < 4; c++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int p = source.getRGB(x, y);
          int a = p >>> 24;
          int v = c == 3 ? a : (int) Math.round(((p >> (16 - 8 * c)) & 0xFF) * a / 255.0);
          planes[c].setRGB(x, y, v << 16);
        }
      }
      premultiplied[c] = reference(planes[c], tw, th)[0];
    }
    double[][][] out = new double[4][th][tw];
    for (int y = 0; y < th; y++) {
      for (int x = 0; x < tw; x++) {
        double a = premultiplied[3][y][x];
        out[3][y][x] = a;
        for (int c = 0; c < 3; c++) {
          out[c][y][x] = a <= 0 ? 0 : premultiplied[c][y][x] * 255 / a;
        }
      }
    }
    return out;
  }

  /** Smooth gradients with noise: enough detail for the filter to matter. */
  private static BufferedImage texture(int w, int h, int type) {
    BufferedImage image = new BufferedImage(w, h, type);
    Random random = new Random(7);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int r = clamp(128 + 100 * Math.sin(x / 7.0) + random.nextInt(40) - 20);
        int g = clamp(255.0 * y / h);
        int b = clamp((x * 3 + y * 5) % 256);
        image.setRGB(x, y, 0xFF000000 | r << 16 | g << 8 | b);
      }
    }
    return image;
  }

  private static int clamp(double v) {
    return (int) Math.max(0, Math.min(255, v));
  }

  /** The same two steps in doubles: box to at least twice the target, then separable Lanczos-3. */
  private static double[][][] reference(BufferedImage source, int tw, int th) {
    int kx = Math.max(1, source.getWidth() / (2 * tw));
    int ky = Math.max(1, source.getHeight() / (2 * th));
    int w = source.getWidth() / kx;
    int h = source.getHeight() / ky;
    double[][][] boxed = new double[3][h][w];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int dy = 0; dy < ky; dy++) {
          for (int dx = 0; dx < kx; dx++) {
            int p = source.getRGB(x * kx + dx, y * ky + dy);
            for (int c = 0; c < 3; c++) {
              boxed[c][y][x] += ((p >> (16 - 8 * c)) & 0xFF) / (double) (kx * ky);
            }
          }
        }
      }
    }
    double[][][] out = new double[3][th][tw];
    for (int c = 0; c < 3; c++) {
      double[][] rows = new double[th][w];
      for (int x = 0; x < w; x++) {
        double[] column = new double[h];
        for (int y = 0; y < h; y++) {
          column[y] = boxed[c][y][x];
        }
        double[] reduced = lanczos(column, th);
        for (int y = 0; y < th; y++) {
          rows[y][x] = reduced[y];
        }
      }
      for (int y = 0; y < th; y++) {
        out[c][y] = lanczos(rows[y], tw);
      }
    }
    return out;
  }

  private static double[] lanczos(double[] in, int to) {
    double scale = (double) in.length / to;
    double support = 3 * Math.max(1, scale);
    double[] out = new double[to];
    for (int i = 0; i < to; i++) {
      double center = (i + 0.5) * scale - 0.5;
      double sum = 0;
      double weights = 0;
      for (int j = (int) Math.floor(center - support) + 1; j <= Math.floor(center + support); j++) {
        if (j < 0 || j >= in.length) {
          continue;
        }
        double weight = kernel((j - center) / Math.max(1, scale));
        sum += in[j] * weight;
        weights += weight;
      }
      out[i] = sum / weights;
    }
    return out;
  }

  private static double kernel(double x) {
    if (x == 0) {
      return 1;
    }
    if (Math.abs(x) >= 3) {
      return 0;
    }
    double px = Math.PI * x;
    return 3 * Math.sin(px) * Math.sin(px / 3) / (px * px);
  }
}
