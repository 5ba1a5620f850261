package dev.imgpool.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imgpool.cli.Main;
import dev.imgpool.task.CancellationToken;
import dev.imgpool.testing.Images;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Golden tests of the image operations, through the real command on real images. */
@Timeout(120)
class ImageOperationsTest {
  private static final Path TESTDATA = Path.of("testdata");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

  private int run(String... args) {
    return new Main(new PrintStream(OutputStream.nullOutputStream()), new PrintStream(stderr, true, StandardCharsets.UTF_8),
        new ByteArrayInputStream(new byte[0]), tmp, new CancellationToken(), false).run(args);
  }

  private Path copy(String testdataPath) throws IOException {
    Path source = TESTDATA.resolve(testdataPath);
    Path target = tmp.resolve("in").resolve(source.getFileName().toString());
    Files.createDirectories(target.getParent());
    Files.copy(source, target);
    return target;
  }

  private BufferedImage output(String name) throws IOException {
    return Images.read(tmp.resolve("out").resolve(name));
  }

  private void write(BufferedImage image, String name) throws IOException {
    Path file = tmp.resolve("in").resolve(name);
    Files.createDirectories(file.getParent());
    try (OutputStream out = Files.newOutputStream(file)) {
      ImageIO.write(image, "png", out);
    }
  }

  /** A picture whose halves have two colours: left/right when wide, top/bottom when tall. */
  private static BufferedImage halves(int w, int h, Color first, Color second) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(first);
    g.fillRect(0, 0, w, h);
    g.setColor(second);
    if (w >= h) {
      g.fillRect(w / 2, 0, w - w / 2, h);
    } else {
      g.fillRect(0, h / 2, w, h - h / 2);
    }
    g.dispose();
    return image;
  }

  // --- geometry and gravity -------------------------------------------------------------------

  @ParameterizedTest(name = "{0} on 400x200 -> {1}x{2}")
  @CsvSource({
    "100x100, 100, 50",
    "100x100^, 200, 100",
    "100x100!, 100, 100",
    "1000x1000>, 400, 200",
    "100x100>, 100, 50",
    "1000x1000<, 1000, 500",
    "100x100<, 400, 200",
    "100x, 100, 50",
    "x100, 200, 100",
    "25%, 100, 50",
  })
  void resize_everyGeometryForm_givesImageMagickSize(String geometry, int w, int h) throws Exception {
    write(halves(400, 200, Color.RED, Color.BLUE), "wide.png");
    assertEquals(0, run("in", "out", "--resize", geometry), stderr.toString());
    BufferedImage out = output("wide.png");
    assertEquals(w + "x" + h, out.getWidth() + "x" + out.getHeight());
  }

  @ParameterizedTest(name = "gravity {0}")
  @CsvSource({
    "center, 127, 0, 127, 127, 0, 127",
    "west, 255, 0, 0, 127, 0, 127",
    "east, 0, 0, 255, 127, 0, 127",
    "north, 127, 0, 127, 255, 0, 0",
    "south, 127, 0, 127, 0, 0, 255",
    "northwest, 255, 0, 0, 255, 0, 0",
    "southeast, 0, 0, 255, 0, 0, 255",
    "northeast, 0, 0, 255, 255, 0, 0",
    "southwest, 255, 0, 0, 0, 0, 255",
  })
  void crop_gravity_keepsTheNamedPart(String gravity, double wr, double wg, double wb, double tr, double tg, double tb)
      throws Exception {
    // wide: red left, blue right; tall: red top, blue bottom. Fill 100x100 then crop.
    write(halves(400, 200, Color.RED, Color.BLUE), "wide.png");
    write(halves(200, 400, Color.RED, Color.BLUE), "tall.png");
    assertEquals(0, run("in", "out", "--resize", "100x100^", "--crop", "--gravity", gravity), stderr.toString());
    BufferedImage wide = output("wide.png");
    BufferedImage tall = output("tall.png");
    assertEquals("100x100", wide.getWidth() + "x" + wide.getHeight());
    assertEquals("100x100", tall.getWidth() + "x" + tall.getHeight());
    Images.assertColour(new double[] {wr, wg, wb}, Images.mean(wide), 4, "wide, " + gravity);
    Images.assertColour(new double[] {tr, tg, tb}, Images.mean(tall), 4, "tall, " + gravity);
  }

  @ParameterizedTest
  @CsvSource({"90, 200, 400, 0, 0", "180, 400, 200, 399, 0", "270, 200, 400, 0, 399"})
  void rotate_turnsClockwise(int degrees, int w, int h, int redX, int redY) throws Exception {
    BufferedImage source = halves(400, 200, Color.BLUE, Color.BLUE);
    source.setRGB(0, 0, Color.RED.getRGB()); // the top-left corner marks where the top-left goes
    source.setRGB(1, 0, Color.RED.getRGB());
    source.setRGB(0, 1, Color.RED.getRGB());
    source.setRGB(1, 1, Color.RED.getRGB());
    write(source, "r.png");
    assertEquals(0, run("in", "out", "--rotate", Integer.toString(degrees)));
    BufferedImage out = output("r.png");
    assertEquals(w + "x" + h, out.getWidth() + "x" + out.getHeight());
    int expectedX = degrees == 90 ? w - 1 : degrees == 180 ? w - 1 : 0;
    int expectedY = degrees == 90 ? 0 : degrees == 180 ? h - 1 : h - 1;
    assertEquals(Color.RED.getRGB(), out.getRGB(expectedX, expectedY), "marked corner after " + degrees);
  }

  // --- orientation ----------------------------------------------------------------------------

  static Stream<Arguments> orientationFiles() {
    List<Arguments> files = new ArrayList<>();
    for (String kind : List.of("Landscape", "Portrait")) {
      for (int i = 0; i <= 8; i++) {
        files.add(Arguments.of(kind, i));
      }
    }
    return files.stream();
  }

  @ParameterizedTest(name = "{0}_{1}")
  @MethodSource("orientationFiles")
  void autoOrient_everyExifOrientation_looksLikeTheUprightFile(String kind, int orientation) throws Exception {
    copy("orientation/" + kind + "_1.jpg");
    if (orientation != 1) {
      copy("orientation/" + kind + "_" + orientation + ".jpg");
    }
    assertEquals(0, run("in", "out", "--resize", "150x150", "-f", "png"), stderr.toString());
    BufferedImage upright = output(kind + "_1.png");
    BufferedImage oriented = output(kind + "_" + orientation + ".png");
    // Each file was encoded separately, so JPEG noise leaves about 10 of 255 between right
    // answers; a wrong flip or turn leaves about 85.
    double difference = Images.meanAbsoluteDifference(upright, oriented);
    assertTrue(difference < 20, kind + "_" + orientation + " differs from upright by " + difference);
  }

  @Test
  void noAutoOrient_keepsStoredPixels() throws Exception {
    copy("orientation/Landscape_6.jpg");
    copy("orientation/Landscape_1.jpg");
    assertEquals(0, run("in", "out", "--no-auto-orient", "-f", "png", "--resize", "150x150"));
    BufferedImage stored = output("Landscape_6.png");
    BufferedImage upright = output("Landscape_1.png");
    assertFalse(stored.getWidth() == upright.getWidth() && stored.getHeight() == upright.getHeight(),
        "orientation 6 stores the picture turned: without auto-orient the sides stay swapped");
  }

  // --- colour ---------------------------------------------------------------------------------

  private static final int[][] PATCH_ORIGINS = {{32, 32}, {160, 32}, {32, 160}, {160, 160}};

  private static void assertPatches(BufferedImage image, double[][] expected, double delta, String what) {
    for (int i = 0; i < 4; i++) {
      double[] actual = Images.mean(image, PATCH_ORIGINS[i][0], PATCH_ORIGINS[i][1], 64, 64);
      Images.assertColour(expected[i], actual, delta, what + " patch " + i);
    }
  }

  @Test
  void cmykWithProfile_isConvertedThroughTheProfile() throws Exception {
    copy("colour/cmyk.jpg");
    copy("colour/ycck.jpg");
    assertEquals(0, run("in", "out", "-f", "png"), stderr.toString());
    double[][] managed = {{199.0, 61.4, 51.7}, {64.3, 127.6, 84.8}, {69.0, 108.1, 161.2}, {226.6, 200.2, 121.5}};
    assertPatches(output("cmyk.png"), managed, 8, "cmyk.jpg");
    assertPatches(output("ycck.png"), managed, 8, "ycck.jpg");
  }

  @Test
  void cmykWithoutProfile_isNotInvertedOrBlack() throws Exception {
    copy("colour/cmyk-noprofile.jpg");
    assertEquals(0, run("in", "out", "-f", "png"), stderr.toString());
    BufferedImage out = output("cmyk-noprofile.png");
    // Without a profile the colours are approximate; an inverted decode would swap light and dark.
    double[] topLeft = Images.mean(out, 32, 32, 64, 64);
    assertTrue(topLeft[0] > 150 && topLeft[1] < 110 && topLeft[2] < 110, "red patch stays red");
    double[] bottomRight = Images.mean(out, 160, 160, 64, 64);
    assertTrue(bottomRight[0] > 180 && bottomRight[1] > 160, "light yellow patch stays light");
  }

  @Test
  void embeddedRgbProfile_isConvertedToSrgb() throws Exception {
    copy("colour/srgb-with-profile.jpg");
    assertEquals(0, run("in", "out", "-f", "png"), stderr.toString());
    double[][] managed = {{200.1, 59.6, 49.3}, {58.9, 140.3, 90.0}, {70.5, 110.5, 179.7}, {229.8, 200.3, 120.3}};
    assertPatches(output("srgb-with-profile.png"), managed, 6, "srgb-with-profile.jpg");
  }

  @ParameterizedTest
  @CsvSource({"white, 127.5, 127.5, 191.0", "black, 64.0, 64.0, 127.5"})
  void alphaToJpeg_composesOverBackground(String background, double r, double g, double b) throws Exception {
    copy("colour/alpha.png");
    assertEquals(0, run("in", "out", "-f", "jpg", "--background", background));
    Images.assertColour(new double[] {r, g, b}, Images.mean(output("alpha.jpg")), 3, "alpha.png on " + background);
  }

  @Test
  void sixteenBit_comesOutAsEightBitWithoutShift() throws Exception {
    copy("colour/gray16.png");
    copy("colour/rgb16.png");
    assertEquals(0, run("in", "out", "-f", "png"));
    Images.assertColour(new double[] {127.5, 127.5, 127.5}, Images.mean(output("gray16.png")), 1.5, "gray16");
    Images.assertColour(new double[] {127.5, 127.5, 63.8}, Images.mean(output("rgb16.png")), 1.5, "rgb16");
  }

  @Test
  void animatedGif_firstFrameAndFrameCountInReport() throws Exception {
    copy("colour/animated.gif");
    assertEquals(0, run("in", "out", "--report", "r.jsonl"));
    Images.assertColour(new double[] {255, 0, 0}, Images.mean(output("animated.gif")), 2, "first frame");
    JsonNode line = JSON.readTree(Files.readAllLines(tmp.resolve("r.jsonl")).get(0));
    assertEquals(3, line.get("frames").asInt());
  }

  // --- formats --------------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(ImageFormat.class)
  void everyWritableFormat_roundTripsThroughItsReader(ImageFormat format) throws Exception {
    copy("colour/interlaced.png");
    assertEquals(0, run("in", "out", "-f", format.extension()), stderr.toString());
    BufferedImage out = output("interlaced." + format.extension());
    assertEquals(256, out.getWidth());
    double[][] exact = {{200, 60, 50}, {60, 140, 90}, {70, 110, 180}, {230, 200, 120}};
    assertPatches(out, exact, format.isLossy() || format == ImageFormat.GIF ? 6 : 0.01, format.name());
  }

  @Test
  void losslessWebp_isExact() throws Exception {
    copy("colour/interlaced.png");
    assertEquals(0, run("in", "out", "-f", "webp", "--lossless"), stderr.toString());
    assertEquals(0.0, Images.meanAbsoluteDifference(Images.read(tmp.resolve("in/interlaced.png")), output("interlaced.webp")));
  }

  @Test
  void quality_drivesJpegSize() throws Exception {
    copy("images/waterfall.jpg");
    assertEquals(0, run("in", "low", "--quality", "20"));
    assertEquals(0, run("in", "high", "--quality", "95"));
    assertTrue(Files.size(tmp.resolve("low/waterfall.jpg")) * 2 < Files.size(tmp.resolve("high/waterfall.jpg")));
  }

  static Stream<Path> goodPngSuiteFiles() throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(TESTDATA.resolve("pngsuite"))) {
      files = list.filter(p -> p.toString().endsWith(".png")).sorted().toList();
    }
    assertTrue(files.size() > 150, "PngSuite fixtures missing");
    return files.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goodPngSuiteFiles")
  void pngSuite_goodFiles_decodeAndRoundTrip(Path file) throws Exception {
    copy("pngsuite/" + file.getFileName());
    assertEquals(0, run("in", "out"), stderr.toString());
    BufferedImage in = Images.read(file);
    BufferedImage out = output(file.getFileName().toString());
    assertEquals(in.getWidth() + "x" + in.getHeight(), out.getWidth() + "x" + out.getHeight());
  }

  // --- fan-out --------------------------------------------------------------------------------

  @Test
  void fanOut_sizesTimesFormats_sixFilesFromOneDecode() throws Exception {
    copy("images/waterfall.jpg");
    assertEquals(0, run("in", "out", "--resize", "1000x", "--resize", "600x,200x", "--format", "webp,jpg",
        "--name", "{name}-{w}.{ext}", "--report", "r.jsonl"), stderr.toString());
    for (int w : new int[] {1000, 600, 200}) {
      for (String ext : List.of("webp", "jpg")) {
        BufferedImage image = output("waterfall-" + w + "." + ext);
        assertEquals(w, image.getWidth());
      }
    }
    JsonNode line = JSON.readTree(Files.readAllLines(tmp.resolve("r.jsonl")).get(0));
    assertEquals(6, line.get("outputs").size());
    assertEquals("waterfall-1000.webp", line.get("outputs").get(0).get("path").asText());
  }

  @Test
  void fanOut_templateThatCollides_isUsageError() {
    assertEquals(2, run("in", "out", "--resize", "100x,200x", "--name", "{name}.{ext}"));
  }

  /** The ICC profile bytes of a JPEG's APP2 segments, as the JDK's reader assembles them. */
  private static byte[] jpegProfile(Path file) throws IOException {
    try (javax.imageio.stream.ImageInputStream in = ImageIO.createImageInputStream(Files.newInputStream(file))) {
      java.util.Iterator<javax.imageio.ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
      javax.imageio.ImageReader reader = readers.next();
      while (!reader.getClass().getName().startsWith("com.sun.") && readers.hasNext()) {
        reader = readers.next();
      }
      reader.setInput(in);
      org.w3c.dom.Node tree = reader.getImageMetadata(0).getAsTree("javax_imageio_jpeg_image_1.0");
      org.w3c.dom.NodeList icc = ((javax.imageio.metadata.IIOMetadataNode) tree).getElementsByTagName("app2ICC");
      assertTrue(icc.getLength() == 1, "no ICC profile in " + file);
      return ((java.awt.color.ICC_Profile) ((javax.imageio.metadata.IIOMetadataNode) icc.item(0)).getUserObject()).getData();
    }
  }

  private static boolean contains(Path file, String marker) throws IOException {
    String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    return bytes.contains(marker);
  }

  @Test
  void iccProfile_inputWithProfile_outputTaggedSrgbUnlessStrip() throws Exception {
    copy("colour/srgb-with-profile.jpg");
    copy("colour/cmyk.jpg");
    copy("colour/interlaced.png");
    assertEquals(0, run("in", "out", "-f", "jpg,png", "--name", "{name}.{ext}"), stderr.toString());
    assertTrue(contains(tmp.resolve("out/srgb-with-profile.jpg"), "ICC_PROFILE"), "profile kept in JPEG");
    assertTrue(contains(tmp.resolve("out/cmyk.jpg"), "ICC_PROFILE"), "profile kept for CMYK input");
    assertTrue(contains(tmp.resolve("out/srgb-with-profile.png"), "iCCP"), "profile kept in PNG");
    assertFalse(contains(tmp.resolve("out/interlaced.jpg"), "ICC_PROFILE"), "no profile in, none out");
    // The profile written is sRGB (the pixels were converted), not the input's Adobe RGB.
    assertTrue(java.util.Arrays.equals(
        java.awt.color.ICC_Profile.getInstance(java.awt.color.ColorSpace.CS_sRGB).getData(),
        jpegProfile(tmp.resolve("out/srgb-with-profile.jpg"))), "the JPEG carries the sRGB profile");
    assertFalse(java.util.Arrays.equals(jpegProfile(tmp.resolve("in/srgb-with-profile.jpg")),
        jpegProfile(tmp.resolve("out/srgb-with-profile.jpg"))), "the input's own profile is not copied");
    assertTrue(contains(tmp.resolve("out/srgb-with-profile.png"), "iCCPsRGB"), "sRGB profile in PNG");
    double[][] managed = {{200.1, 59.6, 49.3}, {58.9, 140.3, 90.0}, {70.5, 110.5, 179.7}, {229.8, 200.3, 120.3}};
    assertPatches(output("srgb-with-profile.png"), managed, 6, "tagged PNG");

    assertEquals(0, run("in", "stripped", "-f", "jpg", "--strip"), stderr.toString());
    assertFalse(contains(tmp.resolve("stripped/srgb-with-profile.jpg"), "ICC_PROFILE"), "--strip drops it");
  }
}
