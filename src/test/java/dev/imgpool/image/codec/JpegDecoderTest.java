package dev.imgpool.image.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link JpegDecoder} against the JDK's own JPEG reader (libjpeg) on the files of testdata/jpeg/
 * (see testdata/README.md): full size pixel by pixel, reduced sizes against the JDK's full decode
 * box-filtered by the same factor; and refusal of what it does not handle or of damaged data.
 */
@Timeout(120)
class JpegDecoderTest {
  private static final Path DIR = Path.of("testdata", "jpeg");

  // Full size. Measured PSNR, max difference: 444 74.5 dB, 2 (0.2% of the samples differ, 0.01% by
  // 2: a chroma step of 1 can become 2 in RGB); gray and gray-restart 75.1 dB, 1; 1x1 identical. The
  // two integer IDCTs round differently, each within 1 of the exact transform. 420 44.9 dB,
  // 420-restart 44.9, 422 49.1, 440 45.1, 17x9 51.7 (the JDK upsamples chroma with a triangle
  // filter, the decoder by the IDCT).
  @ParameterizedTest
  @CsvSource({
    "444.jpg, 70, 2",
    "gray.jpg, 70, 1",
    "gray-restart.jpg, 70, 1",
    "1x1.jpg, 70, 1",
    "420.jpg, 36, 255",
    "420-restart.jpg, 36, 255",
    "422.jpg, 36, 255",
    "440.jpg, 36, 255",
    "17x9.jpg, 36, 255"})
  void fullSize_matchesTheJdk(String name, double minPsnr, int maxDifference) throws Exception {
    byte[] bytes = read(name);
    BufferedImage expected = jdkDecode(bytes);
    JpegDecoder decoder = JpegDecoder.parse(bytes, bytes.length);
    assertEquals(expected.getWidth() + "x" + expected.getHeight(), decoder.width() + "x" + decoder.height());
    BufferedImage actual = decoder.decode(1, () -> false);

    Difference d = compare(actual, box(expected, 1), 1);
    assertTrue(d.psnr() >= minPsnr, name + ": PSNR " + d.psnr() + " dB");
    assertTrue(d.max() <= maxDifference, name + ": max difference " + d.max());
  }

  // Reduced sizes against the box-filtered full decode. Measured PSNR at 1/2, 1/4, 1/8 (dB):
  // 444 51.9 50.6 44.7; 420 45.7 47.7 44.4; 422 49.6 50.0 44.8; 440 45.8 48.5 44.5;
  // gray 56.7 53.2 45.4; 17x9 52.1 52.1 52.4. (1/8 is one DC value per block: the mean of the
  // block in YCbCr, converted once, where the reference averages converted and clamped pixels.)
  @ParameterizedTest
  @CsvSource({
    "444.jpg, 2", "444.jpg, 4", "444.jpg, 8",
    "420.jpg, 2", "420.jpg, 4", "420.jpg, 8",
    "422.jpg, 2", "422.jpg, 4", "422.jpg, 8",
    "440.jpg, 2", "440.jpg, 4", "440.jpg, 8",
    "gray.jpg, 2", "gray.jpg, 4", "gray.jpg, 8",
    "17x9.jpg, 2", "17x9.jpg, 4", "17x9.jpg, 8",
    "1x1.jpg, 8"})
  void reducedSize_matchesTheBoxFilteredJdkDecode(String name, int scale) throws Exception {
    byte[] bytes = read(name);
    BufferedImage full = jdkDecode(bytes);
    BufferedImage actual = JpegDecoder.parse(bytes, bytes.length).decode(scale, () -> false);

    int width = (full.getWidth() + scale - 1) / scale;
    int height = (full.getHeight() + scale - 1) / scale;
    assertEquals(width + "x" + height, actual.getWidth() + "x" + actual.getHeight(), name + " at 1/" + scale);
    Difference d = compare(actual, box(full, scale), scale);
    assertTrue(d.psnr() >= 42, name + " at 1/" + scale + ": PSNR " + d.psnr() + " dB");
  }

  @Test
  void restartMarkers_giveTheSamePixelsAsTheFileWithout() throws Exception {
    // jpegtran -restart re-encodes the same coefficients: the JDK sees the same pixels, and so must we
    for (String name : List.of("420", "gray")) {
      byte[] plain = read(name + ".jpg");
      byte[] restarts = read(name + "-restart.jpg");
      assertTrue(count(restarts, 0xFF, 0xD0) > 0, name + "-restart.jpg has no RST0");
      assertEquals(0, compare(jdkDecode(restarts), box(jdkDecode(plain), 1), 1).max(), name + ": JDK");
      for (int scale : new int[] {1, 2, 4, 8}) {
        assertArrayEquals(pixels(decode(plain, scale)), pixels(decode(restarts, scale)), name + " at 1/" + scale);
      }
    }
  }

  @Test
  void imageTypes() throws Exception {
    byte[] gray = read("gray.jpg");
    JpegDecoder grayDecoder = JpegDecoder.parse(gray, gray.length);
    assertTrue(grayDecoder.gray());
    assertEquals(BufferedImage.TYPE_BYTE_GRAY, grayDecoder.decode(2, () -> false).getType());
    assertEquals(BufferedImage.TYPE_BYTE_GRAY, jdkDecode(gray).getType()); // the JDK agrees it is grey

    byte[] colour = read("444.jpg");
    JpegDecoder colourDecoder = JpegDecoder.parse(colour, colour.length);
    assertFalse(colourDecoder.gray());
    assertEquals(BufferedImage.TYPE_INT_RGB, colourDecoder.decode(2, () -> false).getType());
  }

  @Test
  void parseReadsOnlyTheGivenLength() throws Exception {
    byte[] bytes = read("444.jpg");
    byte[] padded = new byte[bytes.length + 100];
    System.arraycopy(bytes, 0, padded, 0, bytes.length);
    padded[bytes.length] = 0x55; // junk beyond length must not matter
    assertArrayEquals(pixels(decode(bytes, 1)), pixels(JpegDecoder.parse(padded, bytes.length).decode(1, () -> false)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"jpeg/progressive.jpg", "jpeg/arithmetic.jpg", "colour/cmyk.jpg", "colour/ycck.jpg",
      "colour/cmyk-noprofile.jpg", "images/portrait-progressive.jpg", "hostile/text.jpg", "hostile/empty.jpg"})
  void parse_refusesWhatItDoesNotHandle(String name) throws Exception {
    byte[] bytes = Files.readAllBytes(Path.of("testdata", name));
    assertThrows(NotDecodedException.class, () -> JpegDecoder.parse(bytes, bytes.length));
  }

  @Test
  void refusedFiles_areWhatTheirNamesSay() throws Exception {
    // the refusal tests above mean something only if the files are what they claim: the SOF marker says
    assertEquals(0xC2, frameMarker(read("progressive.jpg")));
    assertEquals(0xC9, frameMarker(read("arithmetic.jpg")));
    assertEquals(0xC0, frameMarker(read("444.jpg")));
  }

  @Test
  void truncatedData_isRefusedAtEveryScale() throws Exception {
    byte[] bytes = read("truncated.jpg");
    JpegDecoder decoder = JpegDecoder.parse(bytes, bytes.length); // the header is intact
    for (int scale : new int[] {1, 2, 4, 8}) {
      assertThrows(NotDecodedException.class, () -> decoder.decode(scale, () -> false), "1/" + scale);
    }
    // also cut anywhere in the entropy data of a good file, without the 60% file's luck
    byte[] whole = read("420-restart.jpg");
    for (int cut = whole.length - 2; cut > whole.length / 3; cut -= 997) {
      byte[] part = Arrays.copyOf(whole, cut); // a real copy: nothing past the cut to read by mistake
      JpegDecoder cutDecoder = JpegDecoder.parse(part, part.length);
      assertThrows(NotDecodedException.class, () -> cutDecoder.decode(4, () -> false), "cut at " + cut);
    }
  }

  @Test
  void missingEndOfImage_isRefused_evenWhenTheDataStillDecodes() throws Exception {
    byte[] whole = read("420.jpg");
    // only the EOI marker removed: every block decodes, yet the file is not whole
    byte[] noEoi = Arrays.copyOf(whole, whole.length - 2);
    assertThrows(NotDecodedException.class, () -> JpegDecoder.parse(noEoi, noEoi.length).decode(2, () -> false));
    // the last third zeroed, as a partial download leaves it: zero bits are valid codes
    byte[] zeroTail = whole.clone();
    Arrays.fill(zeroTail, whole.length * 2 / 3, whole.length, (byte) 0);
    assertThrows(NotDecodedException.class,
        () -> JpegDecoder.parse(zeroTail, zeroTail.length).decode(1, () -> false));
    // and the untouched file still decodes
    assertEquals(102, JpegDecoder.parse(whole, whole.length).decode(2, () -> false).getWidth());
  }

  @Test
  void iccProfile_isReassembledFromSegmentsBeforeAndAfterTheFrameHeader() throws Exception {
    byte[] plain = read("444.jpg");
    byte[] profile = Files.readAllBytes(Path.of("testdata", "colour", "icc", "sRGB-colord.icc"));
    int half = profile.length / 2;
    // the second half first and after the frame header: the chunk numbers decide the order
    byte[] tagged = JpegSegments.insertBefore(plain, 0xDA, JpegSegments.iccChunk(profile, half, profile.length, 2, 2));
    tagged = JpegSegments.insertBefore(tagged, 0xC0, JpegSegments.iccChunk(profile, 0, half, 1, 2));
    assertTrue(JpegDecoder.parse(plain, plain.length).iccProfile().isEmpty());
    JpegDecoder decoder = JpegDecoder.parse(tagged, tagged.length);
    assertArrayEquals(profile, decoder.iccProfile().orElseThrow());
    assertEquals(decode(plain, 2).getRGB(5, 5), decoder.decode(2, () -> false).getRGB(5, 5)); // not applied
  }

  @Test
  void iccProfileWithAMissingSegment_isAnEmptyProfile() throws Exception {
    byte[] plain = read("444.jpg");
    byte[] profile = Files.readAllBytes(Path.of("testdata", "colour", "icc", "sRGB-colord.icc"));
    byte[] tagged = JpegSegments.insertBefore(plain, 0xDA, JpegSegments.iccChunk(profile, 0, 1000, 1, 2)); // chunk 1 of 2 only
    assertArrayEquals(new byte[0], JpegDecoder.parse(tagged, tagged.length).iccProfile().orElseThrow());
  }

  @Test
  void overfullHuffmanTable_isRefused() throws Exception {
    // the first DHT's first table, its code lengths replaced by "all of length 2": at most 3 fit
    byte[] bytes = read("444.jpg");
    int dht = -1;
    for (int[] s : segments(bytes)) {
      if (s[0] == 0xC4 && dht < 0) {
        dht = s[1];
      }
    }
    int total = 0;
    for (int i = 1; i <= 16; i++) {
      total += bytes[dht + i] & 0xFF;
      bytes[dht + i] = 0;
    }
    assertTrue(total > 3, "the table has " + total + " codes");
    bytes[dht + 2] = (byte) total;
    assertThrows(NotDecodedException.class, () -> JpegDecoder.parse(bytes, bytes.length));
  }

  @Test
  void hugeSizeWithLittleData_isRefusedBeforeAllocating() throws Exception {
    // 30000x30000 would need a 3.6 GB image (the tests run in 1 GB): the data cannot hold so many blocks
    byte[] bytes = read("444.jpg");
    int sof = -1;
    for (int[] s : segments(bytes)) {
      if (s[0] == 0xC0) {
        sof = s[1];
      }
    }
    bytes[sof + 1] = (byte) (30000 >> 8);
    bytes[sof + 2] = (byte) 30000;
    bytes[sof + 3] = (byte) (30000 >> 8);
    bytes[sof + 4] = (byte) 30000;
    JpegDecoder decoder = JpegDecoder.parse(bytes, bytes.length);
    assertEquals("30000x30000", decoder.width() + "x" + decoder.height());
    assertThrows(NotDecodedException.class, () -> decoder.decode(1, () -> false));
  }

  @Test
  void badHuffmanCode_isRefused() throws Exception {
    // one byte of 420.jpg inverted; libjpeg reports "Corrupt JPEG data: bad Huffman code" for it
    byte[] bytes = read("bad-code.jpg");
    byte[] good = read("420.jpg");
    assertEquals(good.length, bytes.length);
    JpegDecoder decoder = JpegDecoder.parse(bytes, bytes.length);
    for (int scale : new int[] {1, 2, 4, 8}) {
      assertThrows(NotDecodedException.class, () -> decoder.decode(scale, () -> false), "1/" + scale);
    }
  }

  @Test
  void restartMarkerOutOfSequence_orMissing_isRefused() throws Exception {
    byte[] bytes = read("420-restart.jpg");
    int at = indexOf(bytes, 0xFF, 0xD3, sosEnd(bytes)); // the fourth restart marker
    assertTrue(at > 0);
    byte[] wrong = bytes.clone();
    wrong[at + 1] = (byte) 0xD4;
    assertThrows(NotDecodedException.class, () -> decode(wrong, 1));
    byte[] missing = new byte[bytes.length - 2];
    System.arraycopy(bytes, 0, missing, 0, at);
    System.arraycopy(bytes, at + 2, missing, at, bytes.length - at - 2);
    assertThrows(NotDecodedException.class, () -> decode(missing, 1));
  }

  @Test
  void abort_throwsInterruptedException() throws Exception {
    byte[] bytes = read("444.jpg");
    JpegDecoder decoder = JpegDecoder.parse(bytes, bytes.length);
    assertThrows(InterruptedException.class, () -> decoder.decode(1, () -> true));
    AtomicInteger calls = new AtomicInteger();
    assertThrows(InterruptedException.class, () -> decoder.decode(2, () -> calls.incrementAndGet() > 1));
    assertEquals(2, calls.get()); // checked again after some rows, not only at the start
    assertEquals(203, decoder.decode(1, () -> false).getWidth()); // and a decoder is reusable after it
  }

  /**
   * Header variants the sample files do not have, made by rewriting 444.jpg: SOF1 instead of SOF0,
   * all quantisation tables in one DQT with 16-bit entries, all Huffman tables in one DHT, an
   * unknown APP9 and a COM segment, a DRI of 0. The JDK reads the rewritten file as the original
   * (so the rewrite is valid), and the decoder must too.
   */
  @Test
  void headerVariants_decodeLikeTheOriginal() throws Exception {
    byte[] original = read("444.jpg");
    byte[] rewritten = rewriteHeader(original);
    assertFalse(Arrays.equals(original, rewritten));
    assertEquals(0xC1, frameMarker(rewritten));
    assertEquals(0, compare(jdkDecode(rewritten), box(jdkDecode(original), 1), 1).max(), "JDK");
    for (int scale : new int[] {1, 2, 4, 8}) {
      assertArrayEquals(pixels(decode(original, scale)), pixels(decode(rewritten, scale)), "1/" + scale);
    }
  }

  /** Seeded mutants of one file: each decodes or is refused; nothing else escapes, nothing hangs. */
  @Test
  void mutants_decodeOrAreRefused() throws Exception {
    byte[] original = read("420-restart.jpg");
    int header = sosEnd(original);
    int refused = 0;
    for (int seed = 0; seed < 200; seed++) {
      Random random = new Random(seed * 7919L + 17);
      byte[] bytes = original.clone();
      int length = bytes.length;
      int changes = 1 + random.nextInt(4);
      for (int i = 0; i < changes; i++) {
        // mostly the entropy data, sometimes the header
        int at = random.nextInt(4) == 0 ? random.nextInt(header) : header + random.nextInt(bytes.length - header);
        switch (random.nextInt(4)) {
          case 0 -> bytes[at] ^= (byte) (1 << random.nextInt(8));
          case 1 -> bytes[at] = (byte) random.nextInt(256);
          case 2 -> bytes[at] = (byte) 0xFF;
          default -> length = Math.min(length, at);
        }
      }
      int scale = 1 << random.nextInt(4);
      try {
        byte[] mutant = Arrays.copyOf(bytes, length); // cut for real: a read past the cut must fail
        JpegDecoder decoder = JpegDecoder.parse(mutant, mutant.length);
        BufferedImage image = decoder.decode(scale, () -> false);
        assertEquals((decoder.width() + scale - 1) / scale, image.getWidth(), "seed " + seed);
      } catch (NotDecodedException expected) {
        refused++;
      } catch (RuntimeException | Error e) {
        fail("seed " + seed + " (scale " + scale + "): " + e, e);
      }
    }
    assertTrue(refused > 50, "only " + refused + " of 200 mutants refused: are the mutations reaching the data?");
  }

  // ---------------------------------------------------------------------------------------------

  private static byte[] read(String name) throws IOException {
    return Files.readAllBytes(DIR.resolve(name));
  }

  private static BufferedImage decode(byte[] bytes, int scale) throws Exception {
    return JpegDecoder.parse(bytes, bytes.length).decode(scale, () -> false);
  }

  /** The JDK's own reader (libjpeg), not whichever plugin (TwelveMonkeys) ImageIO would pick first. */
  static BufferedImage jdkDecode(byte[] bytes) throws IOException {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
    while (readers.hasNext()) {
      ImageReader reader = readers.next();
      if (reader.getClass().getName().equals("com.sun.imageio.plugins.jpeg.JPEGImageReader")) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
          reader.setInput(in);
          return reader.read(0);
        } finally {
          reader.dispose();
        }
      }
    }
    throw new IllegalStateException("no com.sun.imageio.plugins.jpeg.JPEGImageReader");
  }

  /** Per-pixel samples: one channel for grey images (raster), else R, G, B (getRGB). */
  private static int[] pixels(BufferedImage image) {
    boolean gray = image.getType() == BufferedImage.TYPE_BYTE_GRAY;
    int channels = gray ? 1 : 3;
    int[] out = new int[image.getWidth() * image.getHeight() * channels];
    int i = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if (gray) {
          out[i++] = image.getRaster().getSample(x, y, 0);
        } else {
          int p = image.getRGB(x, y);
          out[i++] = (p >> 16) & 0xFF;
          out[i++] = (p >> 8) & 0xFF;
          out[i++] = p & 0xFF;
        }
      }
    }
    return out;
  }

  /** The mean of each scale x scale box (smaller at the right and bottom edges), per channel. */
  private static double[] box(BufferedImage image, int scale) {
    int channels = image.getType() == BufferedImage.TYPE_BYTE_GRAY ? 1 : 3;
    int[] samples = pixels(image);
    int width = image.getWidth();
    int height = image.getHeight();
    int outWidth = (width + scale - 1) / scale;
    int outHeight = (height + scale - 1) / scale;
    double[] out = new double[outWidth * outHeight * channels];
    for (int oy = 0; oy < outHeight; oy++) {
      for (int ox = 0; ox < outWidth; ox++) {
        for (int c = 0; c < channels; c++) {
          double sum = 0;
          int n = 0;
          for (int y = oy * scale; y < Math.min(height, oy * scale + scale); y++) {
            for (int x = ox * scale; x < Math.min(width, ox * scale + scale); x++) {
              sum += samples[(y * width + x) * channels + c];
              n++;
            }
          }
          out[(oy * outWidth + ox) * channels + c] = sum / n;
        }
      }
    }
    return out;
  }

  private record Difference(double psnr, int max) {}

  private static Difference compare(BufferedImage actual, double[] expected, int scale) {
    int[] samples = pixels(actual);
    assertEquals(expected.length, samples.length, "sample count at 1/" + scale);
    double squares = 0;
    int max = 0;
    for (int i = 0; i < samples.length; i++) {
      double d = samples[i] - expected[i];
      squares += d * d;
      max = Math.max(max, (int) Math.ceil(Math.abs(d) - 1e-9));
    }
    double mse = squares / samples.length;
    return new Difference(mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse), max);
  }

  private static int count(byte[] bytes, int b0, int b1) {
    int n = 0;
    for (int at = 0; (at = indexOf(bytes, b0, b1, at)) >= 0; at += 2) {
      n++;
    }
    return n;
  }

  private static int indexOf(byte[] bytes, int b0, int b1, int from) {
    for (int i = from; i + 1 < bytes.length; i++) {
      if ((bytes[i] & 0xFF) == b0 && (bytes[i + 1] & 0xFF) == b1) {
        return i;
      }
    }
    return -1;
  }

  /** Marker segments from SOI to SOS: [marker, start of contents, end]. */
  private static List<int[]> segments(byte[] bytes) {
    List<int[]> segments = new ArrayList<>();
    int p = 2;
    while (true) {
      int marker = bytes[p + 1] & 0xFF;
      int end = p + 2 + ((bytes[p + 2] & 0xFF) << 8 | bytes[p + 3] & 0xFF);
      segments.add(new int[] {marker, p + 4, end});
      if (marker == 0xDA) {
        return segments;
      }
      p = end;
    }
  }

  private static int frameMarker(byte[] bytes) {
    for (int[] s : segments(bytes)) {
      if (s[0] >= 0xC0 && s[0] <= 0xCF && s[0] != 0xC4 && s[0] != 0xC8 && s[0] != 0xCC) {
        return s[0];
      }
    }
    return -1;
  }

  private static int sosEnd(byte[] bytes) {
    List<int[]> segments = segments(bytes);
    return segments.get(segments.size() - 1)[2];
  }

  private static byte[] rewriteHeader(byte[] original) {
    ByteArrayOutputStream dqt = new ByteArrayOutputStream();
    ByteArrayOutputStream dht = new ByteArrayOutputStream();
    ByteArrayOutputStream rest = new ByteArrayOutputStream();
    List<int[]> segments = segments(original);
    for (int[] s : segments) {
      int marker = s[0];
      if (marker == 0xDB) { // each 8-bit table to a 16-bit one
        for (int at = s[1]; at < s[2]; at += 65) {
          assertEquals(0, (original[at] & 0xF0) >> 4, "the sample file has 8-bit tables");
          dqt.write(0x10 | original[at] & 15);
          for (int k = 1; k <= 64; k++) {
            dqt.write(0);
            dqt.write(original[at + k]);
          }
        }
      } else if (marker == 0xC4) {
        dht.write(original, s[1], s[2] - s[1]);
      } else if (marker != 0xDA) {
        writeSegment(rest, marker == 0xC0 ? 0xC1 : marker, original, s[1], s[2]);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0xFF);
    out.write(0xD8);
    byte[] rewritten = rest.toByteArray(); // JFIF APP0 first, then the frame header as SOF1
    out.write(rewritten, 0, rewritten.length);
    writeSegment(out, 0xE9, "unknown application data".getBytes(StandardCharsets.US_ASCII));
    writeSegment(out, 0xFE, "a comment".getBytes(StandardCharsets.US_ASCII));
    writeSegment(out, 0xDD, new byte[] {0, 0});
    writeSegment(out, 0xDB, dqt.toByteArray());
    writeSegment(out, 0xC4, dht.toByteArray());
    int[] sos = segments.get(segments.size() - 1);
    out.write(original, sos[1] - 4, original.length - (sos[1] - 4)); // SOS and everything after it
    return out.toByteArray();
  }

  private static void writeSegment(ByteArrayOutputStream out, int marker, byte[] data, int from, int to) {
    out.write(0xFF);
    out.write(marker);
    int length = to - from + 2;
    out.write(length >> 8);
    out.write(length);
    out.write(data, from, to - from);
  }

  private static void writeSegment(ByteArrayOutputStream out, int marker, byte[] contents) {
    writeSegment(out, marker, contents, 0, contents.length);
  }
}
