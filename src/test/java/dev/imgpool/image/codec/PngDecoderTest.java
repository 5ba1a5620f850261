package dev.imgpool.image.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.imgpool.hostile.HostileFiles;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class PngDecoderTest {
  private static final Path SUITE = Path.of("testdata/pngsuite");

  /** Files the decoder must take: every colour type at 8 bits, palettes of 1-8 bits, every filter, tRNS palettes. */
  private static final Set<String> MUST_DECODE = Set.of(
      "basn0g08.png", "basn2c08.png", "basn3p01.png", "basn3p02.png", "basn3p04.png", "basn3p08.png",
      "basn4a08.png", "basn6a08.png", "f00n2c08.png", "f01n2c08.png", "f02n2c08.png", "f03n2c08.png",
      "f04n2c08.png", "f04n0g08.png", "tbbn3p08.png", "tp1n3p08.png");

  /** Files it must leave to ImageIO: interlaced, 16-bit, gray below 8 bits, colour-key transparency. */
  private static final Set<String> MUST_REFUSE =
      Set.of("basi0g08.png", "basi6a08.png", "basn2c16.png", "basn6a16.png", "basn0g04.png", "tbrn2c08.png");

  @Test
  void pngSuite_everyFileItTakes_decodesExactlyLikeTheJdkReader() throws IOException {
    Set<String> decoded = new TreeSet<>();
    Set<String> refused = new TreeSet<>();
    for (Path file : suiteFiles()) {
      byte[] bytes = Files.readAllBytes(file);
      String name = file.getFileName().toString();
      BufferedImage ours;
      try {
        ours = PngDecoder.parse(bytes, bytes.length).decode(1, 1, () -> false);
      } catch (NotDecodedException | InterruptedException e) {
        refused.add(name);
        continue;
      }
      decoded.add(name);
      BufferedImage jdk = ImageIO.read(file.toFile());
      assertEquals(jdk.getWidth(), ours.getWidth(), name);
      assertEquals(jdk.getHeight(), ours.getHeight(), name);
      for (int y = 0; y < jdk.getHeight(); y++) {
        for (int x = 0; x < jdk.getWidth(); x++) {
          int expected = argbOf(jdk, x, y);
          int actual = ours.getColorModel().hasAlpha() ? ours.getRGB(x, y) : ours.getRGB(x, y) | 0xFF000000;
          if (expected != actual) {
            fail(String.format("%s at %d,%d: ImageIO %08x, ours %08x", name, x, y, expected, actual));
          }
        }
      }
    }
    assertTrue(decoded.containsAll(MUST_DECODE), "decoded: " + decoded);
    assertTrue(refused.containsAll(MUST_REFUSE), "refused: " + refused);
    assertTrue(decoded.size() >= 60, "only " + decoded.size() + " PngSuite files decoded: " + decoded);
  }

  @Test
  void boxShrink_equalsTheMeanOfEachBlock_ofTheFullDecode() throws Exception {
    for (String name : List.of("basn2c08.png", "basn0g08.png", "basn3p08.png", "f04n2c08.png")) {
      byte[] bytes = Files.readAllBytes(SUITE.resolve(name));
      BufferedImage full = ImageIO.read(SUITE.resolve(name).toFile());
      BufferedImage boxed = PngDecoder.parse(bytes, bytes.length).decode(3, 2, () -> false);
      assertEquals(32 / 3, boxed.getWidth(), name);
      assertEquals(32 / 2, boxed.getHeight(), name);
      for (int y = 0; y < boxed.getHeight(); y++) {
        for (int x = 0; x < boxed.getWidth(); x++) {
          for (int shift = 0; shift <= 16; shift += 8) {
            double sum = 0;
            for (int dy = 0; dy < 2; dy++) {
              for (int dx = 0; dx < 3; dx++) {
                sum += (argbOf(full, 3 * x + dx, 2 * y + dy) >> shift) & 0xFF;
              }
            }
            int actual = (boxed.getRGB(x, y) >> shift) & 0xFF;
            assertEquals(sum / 6, actual, 0.5 + 1e-9, name + " at " + x + "," + y);
          }
        }
      }
    }
  }

  @Test
  void boxShrink_withAlpha_givesPremultipliedBlockMeans() throws Exception {
    byte[] bytes = Files.readAllBytes(SUITE.resolve("basn6a08.png"));
    BufferedImage full = ImageIO.read(SUITE.resolve("basn6a08.png").toFile());
    BufferedImage boxed = PngDecoder.parse(bytes, bytes.length).decode(4, 4, () -> false);
    assertEquals(BufferedImage.TYPE_INT_ARGB_PRE, boxed.getType());
    int[] raw = ((DataBufferInt) boxed.getRaster().getDataBuffer()).getData();
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        double alpha = 0;
        double[] weighted = new double[3];
        for (int dy = 0; dy < 4; dy++) {
          for (int dx = 0; dx < 4; dx++) {
            int p = argbOf(full, 4 * x + dx, 4 * y + dy);
            alpha += p >>> 24;
            for (int c = 0; c < 3; c++) {
              weighted[c] += ((p >> (16 - 8 * c)) & 0xFF) * (double) (p >>> 24);
            }
          }
        }
        int actual = raw[y * 8 + x];
        assertEquals(alpha / 16, actual >>> 24, 0.5 + 1e-9, "alpha at " + x + "," + y);
        for (int c = 0; c < 3; c++) {
          // the colour times alpha over 255, averaged over the block
          assertEquals(weighted[c] / (255 * 16), (actual >> (16 - 8 * c)) & 0xFF, 0.5 + 1e-9,
              "channel " + c + " at " + x + "," + y);
        }
      }
    }
  }

  @Test
  void withAlpha_unboxed_staysStraight() throws Exception {
    byte[] bytes = Files.readAllBytes(SUITE.resolve("basn6a08.png"));
    BufferedImage full = ImageIO.read(SUITE.resolve("basn6a08.png").toFile());
    BufferedImage decoded = PngDecoder.parse(bytes, bytes.length).decode(1, 1, () -> false);
    assertEquals(BufferedImage.TYPE_INT_ARGB, decoded.getType());
    int[] raw = ((DataBufferInt) decoded.getRaster().getDataBuffer()).getData();
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        assertEquals(argbOf(full, x, y), raw[y * 32 + x], "at " + x + "," + y);
      }
    }
  }

  @Test
  void truncatedFile_isRefused() throws Exception {
    byte[] bytes = Files.readAllBytes(Path.of("testdata/hostile/truncated.png"));
    assertThrows(NotDecodedException.class, () -> PngDecoder.parse(bytes, bytes.length).decode(1, 1, () -> false));
    byte[] whole = Files.readAllBytes(SUITE.resolve("basn2c08.png"));
    for (int cut : new int[] {20, 60, whole.length / 2, whole.length - 20}) {
      assertThrows(NotDecodedException.class, () -> PngDecoder.parse(whole, cut).decode(1, 1, () -> false),
          "cut at " + cut);
    }
  }

  @Test
  void mutants_eitherDecodeOrAreRefused_neverAnythingElse() throws Exception {
    byte[] original = Files.readAllBytes(SUITE.resolve("basn6a08.png"));
    Random random = new Random(20261128);
    int decoded = 0;
    for (int i = 0; i < 400; i++) {
      byte[] mutant = original.clone();
      for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
        mutant[8 + random.nextInt(mutant.length - 8)] = (byte) random.nextInt(256);
      }
      try {
        PngDecoder png = PngDecoder.parse(mutant, mutant.length);
        png.decode(1 + random.nextInt(2), 1 + random.nextInt(2), () -> false);
        decoded++;
      } catch (NotDecodedException expected) {
        // refused: ImageIO gets it
      } catch (RuntimeException e) {
        throw new AssertionError("mutant " + i + " threw " + e, e);
      }
    }
    assertTrue(decoded > 0 && decoded < 400, decoded + " of 400 mutants decoded");
  }

  @Test
  void abort_stopsTheDecodeBetweenBatchesOfRows() throws Exception {
    byte[] bytes = HostileFiles.flatPng(2000, 2000); // 12 MB of rows: dozens of batches
    PngDecoder png = PngDecoder.parse(bytes, bytes.length);
    AtomicInteger asked = new AtomicInteger();
    assertThrows(InterruptedException.class, () -> png.decode(4, 4, () -> asked.incrementAndGet() == 3));
    assertEquals(3, asked.get(), "the decode went on after the abort was seen, or never asked again");
  }

  @Test
  void paletteShorterThanItsIndices_orWithALongTransparencyChunk_decodesLikeTheJdkReader() throws Exception {
    // two colours, indices 0..3 used; tRNS with more entries than the palette
    byte[] plte = {(byte) 200, 10, 10, 10, 10, (byte) 200};
    byte[] trns = {(byte) 128, (byte) 255, 0, 0};
    byte[] rows = new byte[4 * (1 + 4)];
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        rows[y * 5 + 1 + x] = (byte) ((x + y) % 4);
      }
    }
    for (boolean withTrns : new boolean[] {false, true}) {
      byte[] file = png(4, 4, 8, 3, plte, withTrns ? trns : null, rows);
      BufferedImage ours = PngDecoder.parse(file, file.length).decode(1, 1, () -> false);
      BufferedImage jdk = ImageIO.read(new java.io.ByteArrayInputStream(file));
      for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 4; x++) {
          int actual = ours.getColorModel().hasAlpha() ? ours.getRGB(x, y) : ours.getRGB(x, y) | 0xFF000000;
          assertEquals(Integer.toHexString(jdk.getRGB(x, y)), Integer.toHexString(actual),
              "tRNS " + withTrns + " at " + x + "," + y);
        }
      }
    }
    byte[] twoPalettes = png(4, 4, 8, 3, plte, null, rows);
    byte[] doubled = withExtraChunk(twoPalettes, "PLTE", plte);
    assertThrows(NotDecodedException.class, () -> PngDecoder.parse(doubled, doubled.length));
  }

  @Test
  void imageDataInTinyAndEmptyChunks_decodesLikeOneChunk() throws Exception {
    for (String name : new String[] {"basn2c08.png", "basn6a08.png", "basn3p04.png", "z09n2c08.png"}) {
      byte[] whole = Files.readAllBytes(SUITE.resolve(name));
      int[] expected = pixels(PngDecoder.parse(whole, whole.length).decode(1, 1, () -> false));
      for (int piece : new int[] {1, 2, 3, 7, 100}) {
        byte[] split = withImageDataIn(whole, piece);
        int[] actual = pixels(PngDecoder.parse(split, split.length).decode(1, 1, () -> false));
        assertTrue(java.util.Arrays.equals(expected, actual), name + " in IDAT chunks of " + piece + " bytes");
      }
    }
  }

  @Test
  void zlibStream_withAPresetDictionaryAnotherMethodAWideWindowABadCheckOrABadAdler32_isRefused() throws Exception {
    byte[] whole = Files.readAllBytes(SUITE.resolve("basn2c08.png"));
    byte[] data = imageData(whole);
    int cmf = data[0] & 0xFF;
    int level = data[1] & 0xC0;
    int[][] headers = {
        {cmf, withCheck(cmf, level | 0x20)}, // a preset dictionary
        {(cmf & 0xF0) | 7, withCheck((cmf & 0xF0) | 7, level)}, // compression method 7
        {0x88, withCheck(0x88, level)}, // a 64 KB window
        {cmf, (data[1] & 0xFF) ^ 1}}; // the header check
    for (int[] header : headers) {
      byte[] changed = data.clone();
      changed[0] = (byte) header[0];
      changed[1] = (byte) header[1];
      byte[] file = withImageData(whole, changed, changed.length);
      assertThrows(NotDecodedException.class, () -> PngDecoder.parse(file, file.length).decode(1, 1, () -> false),
          String.format("zlib header %02x %02x", header[0], header[1]));
    }
    byte[] badSum = data.clone();
    badSum[badSum.length - 1] ^= 1; // the Adler-32 of the inflated rows, at the stream's end
    byte[] file = withImageData(whole, badSum, badSum.length);
    assertThrows(NotDecodedException.class, () -> PngDecoder.parse(file, file.length).decode(1, 1, () -> false));
  }

  @Test
  void noisyImage_ofManyBatchesInOneLargeChunk_decodesLikeTheJdkReader() throws Exception {
    Random random = new Random(5);
    for (int type : new int[] {2, 6}) {
      int width = 700;
      int height = 400;
      int channels = type == 6 ? 4 : 3;
      byte[] rows = new byte[height * (1 + width * channels)];
      for (int y = 0; y < height; y++) {
        int start = y * (1 + width * channels);
        rows[start] = (byte) random.nextInt(5); // every filter type
        for (int i = 1; i <= width * channels; i++) {
          rows[start + i] = (byte) random.nextInt(256);
        }
      }
      byte[] file = png(width, height, 8, type, null, null, rows); // 0.8-1.1 MB of rows: 4-5 batches, one IDAT of over 1 MB
      BufferedImage ours = PngDecoder.parse(file, file.length).decode(1, 1, () -> false);
      BufferedImage jdk = ImageIO.read(new java.io.ByteArrayInputStream(file));
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          int actual = type == 6 ? ours.getRGB(x, y) : ours.getRGB(x, y) | 0xFF000000;
          if (jdk.getRGB(x, y) != actual) {
            fail(String.format("type %d at %d,%d: ImageIO %08x, ours %08x", type, x, y, jdk.getRGB(x, y), actual));
          }
        }
      }
    }
  }

  /** {@code flg} with the check bits that make {@code cmf, flg} a multiple of 31. */
  private static int withCheck(int cmf, int flg) {
    return flg + (31 - (cmf << 8 | flg) % 31) % 31;
  }

  private static int[] pixels(BufferedImage image) {
    return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
  }

  /** The zlib stream of all the file's IDAT chunks. */
  private static byte[] imageData(byte[] file) {
    java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(file);
    for (int pos = 8; pos + 12 <= file.length; pos += 12 + in.getInt(pos)) {
      if (in.getInt(pos + 4) == 0x49444154) {
        data.write(file, pos + 8, in.getInt(pos));
      }
    }
    return data.toByteArray();
  }

  private static byte[] withImageDataIn(byte[] file, int piece) throws IOException {
    byte[] data = imageData(file);
    return withImageData(file, data, piece);
  }

  /** {@code file} with its IDAT chunks replaced by {@code data} in chunks of {@code piece} bytes, with an empty chunk around each. */
  private static byte[] withImageData(byte[] file, byte[] data, int piece) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(file, 0, 8);
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(file);
    boolean written = false;
    for (int pos = 8; pos + 12 <= file.length; pos += 12 + in.getInt(pos)) {
      int size = in.getInt(pos);
      if (in.getInt(pos + 4) != 0x49444154) {
        out.write(file, pos, 12 + size);
      } else if (!written) {
        chunk(out, "IDAT", new byte[0]);
        for (int at = 0; at < data.length; at += piece) {
          chunk(out, "IDAT", java.util.Arrays.copyOfRange(data, at, Math.min(data.length, at + piece)));
          chunk(out, "IDAT", new byte[0]);
        }
        written = true;
      }
    }
    return out.toByteArray();
  }

  /** A PNG from its parts: IHDR, PLTE and tRNS when given, one IDAT of the deflated rows, IEND. */
  private static byte[] png(int width, int height, int depth, int type, byte[] plte, byte[] trns, byte[] rows)
      throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
    java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13).putInt(width).putInt(height);
    ihdr.put((byte) depth).put((byte) type).put((byte) 0).put((byte) 0).put((byte) 0);
    chunk(out, "IHDR", ihdr.array());
    if (plte != null) {
      chunk(out, "PLTE", plte);
    }
    if (trns != null) {
      chunk(out, "tRNS", trns);
    }
    java.io.ByteArrayOutputStream idat = new java.io.ByteArrayOutputStream();
    try (java.util.zip.DeflaterOutputStream z = new java.util.zip.DeflaterOutputStream(idat)) {
      z.write(rows);
    }
    chunk(out, "IDAT", idat.toByteArray());
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  /** {@code file} with one more chunk inserted right after IHDR. */
  private static byte[] withExtraChunk(byte[] file, String type, byte[] data) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(file, 0, 33);
    chunk(out, type, data);
    out.write(file, 33, file.length - 33);
    return out.toByteArray();
  }

  private static void chunk(java.io.ByteArrayOutputStream out, String type, byte[] data) throws IOException {
    byte[] name = type.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    out.write(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
    out.write(name);
    out.write(data);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(name);
    crc.update(data);
    out.write(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  private static List<Path> suiteFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> list = Files.list(SUITE)) {
      list.filter(p -> p.toString().endsWith(".png")).sorted().forEach(files::add);
    }
    return files;
  }

  /** The file's own sample values as ARGB, without the colour conversion getRGB applies to gray. */
  private static int argbOf(BufferedImage image, int x, int y) {
    if (image.getColorModel() instanceof IndexColorModel) {
      return image.getRGB(x, y);
    }
    Raster raster = image.getRaster();
    int bands = raster.getNumBands();
    int scale = raster.getSampleModel().getSampleSize(0) > 8 ? 257 : 1;
    int r = raster.getSample(x, y, 0) / scale;
    int g = bands >= 3 ? raster.getSample(x, y, 1) / scale : r;
    int b = bands >= 3 ? raster.getSample(x, y, 2) / scale : r;
    int a = bands == 2 ? raster.getSample(x, y, 1) / scale : bands == 4 ? raster.getSample(x, y, 3) / scale : 255;
    return a << 24 | r << 16 | g << 8 | b;
  }
}
