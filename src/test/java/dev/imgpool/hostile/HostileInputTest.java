package dev.imgpool.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imgpool.io.TempFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile corpus through the real command, in-process, with {@code -w 2} and the test JVM's
 * 1 GB heap: dimension bombs in five formats, a metadata bomb, truncations of real files at
 * several points, empty files, text and HTML named as images, and the PngSuite's corrupt files,
 * among good files. Every file must be reported exactly once with the right outcome and a
 * readable message, within a bounded time, with no temporary left and INPUT unchanged.
 */
@Timeout(180)
class HostileInputTest {
  /** Whole-batch bound: the corpus takes about a second; this leaves room for a slow shared machine. */
  private static final long BATCH_MILLIS = 60_000;
  private static final String OK = "ok";

  /** One file of the corpus and its expected outcome: "ok" or a reason, by default and with --allow-truncated. */
  private record Case(String path, String byDefault, String allowingTruncated) {}

  @TempDir static Path corpus;
  private static Path in;
  private static final Map<String, Case> CASES = new LinkedHashMap<>();

  @TempDir Path tmp;

  @BeforeAll
  static void makeCorpus() throws IOException {
    in = Files.createDirectories(corpus.resolve("in"));
    // good files among the bad ones
    for (String name : List.of("a.jpg", "b.png", "c.gif", "d.bmp", "e.tiff", "sub/f.jpg")) {
      copy(Runs.TESTDATA.resolve("mixed").resolve(name), "good/" + name, OK, OK);
    }
    write("good/tiny-generated.png", HostileFiles.pngBomb(4, 4), OK, OK);
    // harmless hostility: the image is fine, the trap is beside it
    write("good/ztxt-bomb-1500mb.png", HostileFiles.pngTextBomb(1500), OK, OK);
    write("good/tiff-ifd-loop.tiff", HostileFiles.tiffLoop(), OK, OK);

    // dimension bombs: a few bytes claiming billions of pixels
    write("bombs/png-100000x100000.png", HostileFiles.pngBomb(100_000, 100_000), "too_large", "too_large");
    write("bombs/png-20000x20000.png", HostileFiles.pngBomb(20_000, 20_000), "too_large", "too_large");
    write("bombs/gif-65535x65535.gif", HostileFiles.gifBomb(65_535, 65_535), "too_large", "too_large");
    write("bombs/gif-30000x30000.gif", HostileFiles.gifBomb(30_000, 30_000), "too_large", "too_large");
    write("bombs/gif-10001-frames.gif", HostileFiles.gifFrames(10_001), "too_large", "too_large");
    write("bombs/jpeg-65500x65500.jpg", HostileFiles.jpegBomb(65_500, 65_500), "too_large", "too_large");
    write("bombs/tiff-100000x100000.tiff", HostileFiles.tiffBomb(100_000, 100_000), "too_large", "too_large");
    write("bombs/tiff-60000x60000.tif", HostileFiles.tiffBomb(60_000, 60_000), "too_large", "too_large");
    write("bombs/bmp-100000x100000.bmp", HostileFiles.bmpBomb(100_000, 100_000), "too_large", "too_large");
    write("bombs/bmp-60000x-60000-topdown.bmp", HostileFiles.bmpBomb(60_000, -60_000), "too_large", "too_large");
    write("bombs/webp-60000x60000.webp", HostileFiles.webpBomb(60_000, 60_000), "too_large", "too_large");
    // under --max-pixels, over the memory budget (60% of the heap) at 8 bytes a pixel
    if (13_000L * 13_000 * 8 > Runtime.getRuntime().maxMemory() * 0.6) {
      write("bombs/png-13000x13000-over-budget.png", HostileFiles.pngBomb(13_000, 13_000), "too_large", "too_large");
    }

    // truncations of real files; with --allow-truncated what was decoded is kept, unless the cut
    // fell before any pixel data: then there is nothing to show and the file still fails
    for (String name : List.of("a.jpg", "b.png", "c.gif", "e.tiff")) {
      // e.tiff keeps its directory at the end, so every cut loses it
      boolean tiff = name.endsWith(".tiff");
      truncate(name, 1, "truncated", "truncated"); // inside the header
      truncate(name, 10, "truncated", tiff || name.equals("c.gif") ? "truncated" : OK); // c.gif: inside its colour table
      truncate(name, 50, "truncated", tiff ? "truncated" : OK);
      truncate(name, 90, "truncated", tiff ? "truncated" : OK);
    }
    // e.tiff cut at 99% keeps pixels and directory but loses tag data the directory points to
    truncate("e.tiff", 99, "truncated", OK);
    copy(Runs.TESTDATA.resolve("hostile/truncated.jpg"), "truncated/testdata-truncated.jpg", "truncated", OK);
    copy(Runs.TESTDATA.resolve("hostile/truncated.png"), "truncated/testdata-truncated.png", "truncated", OK);
    copy(Runs.TESTDATA.resolve("mixed/broken.jpg"), "truncated/broken.jpg", "truncated", OK);

    // not images at all
    write("junk/empty.jpg", new byte[0], "not_an_image", "not_an_image");
    write("junk/empty.png", new byte[0], "not_an_image", "not_an_image");
    write("junk/empty.gif", new byte[0], "not_an_image", "not_an_image");
    write("junk/text.jpg", "just some text\n".getBytes(StandardCharsets.UTF_8), "not_an_image", "not_an_image");
    copy(Runs.TESTDATA.resolve("hostile/text.jpg"), "junk/404-page.jpg", "not_an_image", "not_an_image");
    write("junk/page.png", "<html><body>moved</body></html>\n".getBytes(StandardCharsets.UTF_8), "not_an_image", "not_an_image");
    write("junk/doc.jpg", "%PDF-1.7\n%\u00e2\u00e3\n".getBytes(StandardCharsets.ISO_8859_1), "not_an_image", "not_an_image");
    write("junk/random.tif", new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17}, "not_an_image", "not_an_image");
    // a format we recognise but cannot read: as .avif it is not a task at all; named .jpg it is
    write("junk/image.avif", new byte[] {0, 0, 0, 0x1C, 'f', 't', 'y', 'p', 'a', 'v', 'i', 'f', 0, 0, 0, 0}, null, null);
    write("junk/avif-named.jpg", new byte[] {0, 0, 0, 0x1C, 'f', 't', 'y', 'p', 'a', 'v', 'i', 'f', 0, 0, 0, 0},
        "unsupported_format", "unsupported_format");

    // the PngSuite's deliberately broken files
    try (Stream<Path> files = Files.list(Runs.TESTDATA.resolve("hostile/pngsuite-corrupt"))) {
      for (Path file : (Iterable<Path>) files.sorted()::iterator) {
        if (file.getFileName().toString().endsWith(".png")) {
          copy(file, "pngsuite-corrupt/" + file.getFileName(), "corrupt", "corrupt");
        }
      }
    }
    assertEquals(14, CASES.keySet().stream().filter(k -> k.startsWith("pngsuite-corrupt/")).count());
  }

  private static void truncate(String name, int percent, String byDefault, String allowing) throws IOException {
    String target = "truncated/" + name.replace(".", "-" + percent + "pct.");
    Path file = in.resolve(target);
    Files.createDirectories(file.getParent());
    HostileFiles.truncate(Runs.TESTDATA.resolve("mixed").resolve(name), percent, file);
    CASES.put(target, new Case(target, byDefault, allowing));
  }

  private static void write(String relative, byte[] bytes, String byDefault, String allowing) throws IOException {
    Path file = in.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.write(file, bytes);
    if (byDefault != null) {
      CASES.put(relative, new Case(relative, byDefault, allowing));
    }
  }

  private static void copy(Path source, String relative, String byDefault, String allowing) throws IOException {
    write(relative, Files.readAllBytes(source), byDefault, allowing);
  }

  @Test
  void corpus_byDefault_everyFileReportedOnceWithItsReason() throws Exception {
    Map<String, JsonNode> report = runCorpus(false);
    for (Case c : CASES.values()) {
      assertOutcome(c.path(), c.byDefault(), report.get(c.path()));
    }
    assertTrue(report.get("truncated/a-50pct.jpg").get("error").asText().startsWith("truncated JPEG: "));
    assertTrue(report.get("truncated/a-50pct.jpg").get("error").asText().contains("--allow-truncated"));
    assertEquals("corrupt PNG: bad CRC in the IHDR chunk at byte 8 (the data is damaged)",
        report.get("pngsuite-corrupt/xhdn0g08.png").get("error").asText());
    assertEquals("not an image: the file is HTML", report.get("junk/404-page.jpg").get("error").asText());
    assertEquals("not an image: the file is empty", report.get("junk/empty.png").get("error").asText());
  }

  @Test
  void corpus_allowTruncated_keepsWhatWasDecodedWithAWarning() throws Exception {
    Map<String, JsonNode> report = runCorpus(true);
    for (Case c : CASES.values()) {
      assertOutcome(c.path(), c.allowingTruncated(), report.get(c.path()));
    }
    for (Case c : CASES.values()) {
      if (c.path().startsWith("truncated/") && c.allowingTruncated().equals(OK)) {
        JsonNode warnings = report.get(c.path()).get("warnings");
        assertTrue(warnings != null && warnings.size() == 1 && warnings.get(0).asText().startsWith("truncated "),
            c.path() + ": " + report.get(c.path()));
        BufferedImage output = read(tmp.resolve("out").resolve(report.get(c.path()).get("output").asText()));
        assertEquals(report.get(c.path()).get("outWidth").asInt(), output.getWidth(), c.path());
      }
    }
  }

  /**
   * Runs the corpus and checks what holds for every run: exit 1, a bounded time, one report line
   * per file and nothing else, no output for a failed file, readable messages, no temporaries, no
   * out-of-memory, INPUT unchanged.
   */
  private Map<String, JsonNode> runCorpus(boolean allowTruncated) throws Exception {
    String before = Runs.treeDigest(in);
    List<String> args = new ArrayList<>(List.of(in.toString(), "out", "-w", "2", "--resize", "200x200", "--report", "r.jsonl"));
    if (allowTruncated) {
      args.add("--allow-truncated");
    }
    Runs.Result run = Runs.run(tmp, args.toArray(String[]::new));
    assertEquals(1, run.exitCode(), run.stderr());
    assertTrue(run.millis() < BATCH_MILLIS, "the batch took " + run.millis() + " ms");
    assertFalse(run.stderr().contains("OutOfMemoryError"), run.stderr());
    assertFalse(run.stderr().contains("internal error"), run.stderr());

    Map<String, JsonNode> report = Runs.readReport(tmp.resolve("r.jsonl"));
    TreeSet<String> missing = new TreeSet<>(CASES.keySet());
    missing.removeAll(report.keySet());
    TreeSet<String> extra = new TreeSet<>(report.keySet());
    extra.removeAll(CASES.keySet());
    assertTrue(missing.isEmpty() && extra.isEmpty(), "not reported: " + missing + "; reported but not expected: " + extra);
    for (Map.Entry<String, JsonNode> entry : report.entrySet()) {
      JsonNode line = entry.getValue();
      assertFalse(line.path("reason").asText().equals("internal_error"), entry.getKey() + ": " + line);
      if (!line.get("status").asText().equals(OK)) {
        Runs.assertReadable(entry.getKey(), line);
        assertFalse(Files.exists(tmp.resolve("out").resolve(entry.getKey())), entry.getKey() + " has an output");
      }
    }
    assertFalse(TempFiles.containsTemporaries(tmp.resolve("out")), "temporaries left");
    assertEquals(before, Runs.treeDigest(in), "INPUT changed");
    return report;
  }

  private void assertOutcome(String input, String expected, JsonNode line) throws IOException {
    if (expected.equals(OK)) {
      assertEquals(OK, line.get("status").asText(), input + ": " + line);
      Path output = tmp.resolve("out").resolve(line.get("output").asText());
      BufferedImage image = read(output);
      assertEquals(line.get("outWidth").asInt(), image.getWidth(), input);
      assertEquals(line.get("outHeight").asInt(), image.getHeight(), input);
    } else {
      assertEquals("failed", line.get("status").asText(), input + ": " + line);
      assertEquals(expected, line.get("reason").asText(), input + ": " + line);
    }
  }

  private static BufferedImage read(Path file) throws IOException {
    try (InputStream stream = Files.newInputStream(file)) {
      BufferedImage image = ImageIO.read(stream);
      if (image == null) {
        throw new AssertionError("unreadable output " + file);
      }
      return image;
    }
  }
}
