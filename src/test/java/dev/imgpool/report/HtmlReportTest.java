package dev.imgpool.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.imgpool.io.TempFiles;
import dev.imgpool.task.OutputFile;
import dev.imgpool.task.Reason;
import dev.imgpool.task.Status;
import dev.imgpool.task.TaskResult;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests for {@link HtmlReport} and its escaping helpers. */
class HtmlReportTest {
  static final String HOSTILE = "<img src=x onerror=alert(1)>.png";

  @TempDir Path tmp;

  static TaskResult ok(String input, String output, long bytesOut) {
    return new TaskResult(input, Status.OK, null, null, 640, 480, 20_000, List.of(new OutputFile(output, 320, 240, bytesOut)),
        List.of(), 0, 12);
  }

  /** The small run of the tests: 4 ok (one hostile name), 1 skipped, 2 failed, 1 timeout, 1 cancelled. */
  static List<TaskResult> smallRun() {
    return List.of(
        ok("a.jpg", "a.jpg", 9000),
        TaskResult.failed("broken.jpg", Status.FAILED, Reason.TRUNCATED, "truncated JPEG: Missing EOI marker", 3),
        ok("sub/f.jpg", "sub/f.jpg", 7000),
        ok(HOSTILE, HOSTILE, 3000),
        new TaskResult("old.png", Status.SKIPPED, null, null, 0, 0, 5000, List.of(new OutputFile("old.png", 0, 0, 4000)),
            List.of(), 0, 0),
        TaskResult.failed("\"><script>alert(2)</script>.jpg", Status.FAILED, Reason.NOT_AN_IMAGE,
            "not an image: <b>bold</b> & 'quoted'", 1),
        TaskResult.failed("slow.tif", Status.TIMEOUT, Reason.TIMEOUT, "aborted after --file-timeout 30.0 s", 30_000),
        ok("e.tiff", "e.tiff", 5000),
        TaskResult.cancelled("late.jpg"));
  }

  static Summary summaryOf(List<TaskResult> results, long millis, int exitCode) {
    Summary.Builder builder = new Summary.Builder();
    results.forEach(builder::add);
    return builder.build(millis, exitCode);
  }

  private static String render(HtmlReport page, Summary summary) throws IOException {
    StringWriter out = new StringWriter();
    page.render(summary, out);
    return out.toString();
  }

  private static int count(String text, String needle) {
    int count = 0;
    for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length())) {
      count++;
    }
    return count;
  }

  private static String countCell(String page, String id) {
    Matcher matcher = Pattern.compile("id=\"count-" + id + "\">(\\d+)<").matcher(page);
    assertTrue(matcher.find(), "no count " + id);
    return matcher.group(1);
  }

  static void assertNoNetworkUrl(String page) {
    String lower = page.toLowerCase(Locale.ROOT);
    assertFalse(lower.contains("http://"), "http:// in the page");
    assertFalse(lower.contains("https://"), "https:// in the page");
    assertFalse(lower.contains("src=\"//"), "protocol-relative src in the page");
    assertFalse(lower.contains("href=\"//"), "protocol-relative href in the page");
    assertFalse(lower.contains("@import"), "@import in the page");
    assertFalse(lower.contains("url("), "a CSS url() in the page");
  }

  @Test
  void render_smallRun_countsFailuresFirstAndEscapedNames() throws IOException {
    Path out = tmp.resolve("out");
    HtmlReport page = new HtmlReport(out.resolve("run.html"), Optional.of(out), List.of("imgpool", "in", "out", "--html", "run.html"));
    smallRun().forEach(page::add);
    String html = render(page, summaryOf(smallRun(), 4210, 1));

    assertEquals("9", countCell(html, "files"));
    assertEquals("4", countCell(html, "ok"));
    assertEquals("1", countCell(html, "skipped"));
    assertEquals("2", countCell(html, "failed"));
    assertEquals("1", countCell(html, "timeout"));
    assertEquals("1", countCell(html, "cancelled"));
    assertTrue(html.contains("9 files: 4 ok, 1 skipped, 2 failed, 1 timeout, 1 cancelled in 4.2 s"), html);
    assertTrue(html.contains("1: some files failed or timed out"));
    assertTrue(html.contains("imgpool in out --html run.html"));

    // Failures come first, all of them, then the cards.
    assertTrue(html.indexOf("id=\"failures\"") < html.indexOf("id=\"sheet\""));
    assertEquals(3, count(html, "<tr class=\"item\""));
    assertEquals(5, count(html, "<li class=\"card item\""));
    int lastFailure = html.lastIndexOf("<tr class=\"item\"");
    int firstCard = html.indexOf("<li class=\"card item\"");
    assertTrue(lastFailure < firstCard);
    assertTrue(html.indexOf("broken.jpg") < firstCard);
    assertTrue(html.indexOf("slow.tif") < firstCard);
    assertEquals(1, count(html, "<li class=\"item\" data-status=\"cancelled\""));

    // Hostile names and messages are text, in text and in attributes, and encoded in links.
    assertFalse(html.contains(HOSTILE));
    assertFalse(html.contains("<script>alert"));
    assertFalse(html.contains("<b>bold"));
    assertTrue(html.contains("&lt;img src=x onerror=alert(1)&gt;.png"));
    assertTrue(html.contains("data-name=\"&lt;img src=x onerror=alert(1)&gt;.png\""));
    assertTrue(html.contains("&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;.jpg"));
    assertTrue(html.contains("not an image: &lt;b&gt;bold&lt;/b&gt; &amp; &#39;quoted&#39;"));
    assertTrue(html.contains("src=\"%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.png\""), html);
    assertEquals(1, count(html, "<script"), "only the page's own script");

    // Under OUTPUT: relative links (lazy), except for the TIFF, which a browser cannot show.
    assertTrue(html.contains("<img src=\"a.jpg\" alt=\"\" loading=\"lazy\">"));
    assertTrue(html.contains("<img src=\"sub/f.jpg\""));
    assertFalse(html.contains("<img src=\"e.tiff\""));
    assertNoNetworkUrl(html);
  }

  @Test
  void render_csp_pinsTheInlineScriptAndStyleByHash() throws IOException {
    HtmlReport page = new HtmlReport(tmp.resolve("run.html"), Optional.empty(), List.of("imgpool"));
    String html = render(page, summaryOf(List.of(), 0, 0));
    assertTrue(html.contains("script-src '" + HtmlReport.PageAssets.SCRIPT_HASH + "'"));
    assertTrue(html.contains("style-src '" + HtmlReport.PageAssets.STYLE_HASH + "'"));
    assertTrue(html.contains("<script>" + HtmlReport.PageAssets.SCRIPT + "</script>"));
    assertTrue(html.contains("<style>" + HtmlReport.PageAssets.STYLE + "</style>"));
    assertTrue(html.contains("default-src 'none'"));
    assertTrue(html.contains("<form id=\"filters\" hidden>"), "filters are shown by the script only");
    assertTrue(html.contains("None: no file failed or timed out."));
    assertNoNetworkUrl(html);
  }

  @Test
  void render_pageInASubfolderOfOutput_linksUpwards() throws IOException {
    Path out = tmp.resolve("out");
    HtmlReport page = new HtmlReport(out.resolve("reports/today/run.html"), Optional.of(out), List.of());
    page.add(ok("a b/c#1?.jpg", "a b/c#1?.jpg", 100));
    String html = render(page, summaryOf(List.of(), 0, 0));
    assertTrue(page.linksOutputs());
    assertTrue(html.contains("src=\"../../a%20b/c%231%3F.jpg\""), html);
  }

  @Test
  void render_pageAwayFromOutput_embedsSmallPreviewsReadThroughPaths() throws IOException {
    // jimfs: previews are read through Files.newInputStream, never Path.toFile().
    try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
      Path out = fs.getPath("/work/out");
      Files.createDirectories(out.resolve("sub"));
      writeJpeg(out.resolve("a.jpg"), 800, 600);
      writeJpeg(out.resolve("sub/f.jpg"), 1600, 800);
      HtmlReport page = new HtmlReport(fs.getPath("/work/reports/run.html"), Optional.of(out), List.of("imgpool"));
      assertFalse(page.linksOutputs());
      page.add(ok("a.jpg", "a.jpg", Files.size(out.resolve("a.jpg"))));
      page.add(ok("sub/f.jpg", "sub/f.jpg", Files.size(out.resolve("sub/f.jpg"))));
      page.add(ok("gone.jpg", "gone.jpg", 10)); // an output deleted since: no preview, no failure
      page.write(summaryOf(List.of(), 100, 0));

      String html = Files.readString(fs.getPath("/work/reports/run.html"), StandardCharsets.UTF_8);
      Matcher uris = Pattern.compile("src=\"data:image/jpeg;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
      int previews = 0;
      while (uris.find()) {
        previews++;
        assertTrue(uris.group(1).length() < 12_000, "a preview of " + uris.group(1).length() + " base64 characters");
      }
      assertEquals(2, previews);
      assertEquals(1, count(html, "no preview"));
      assertTrue(html.contains("href=\"../out/sub/f.jpg\""), "cards still link to the outputs");
      assertFalse(TempFiles.containsTemporaries(fs.getPath("/work/reports")));
      assertNoNetworkUrl(html);
    }
  }

  private static void writeJpeg(Path file, int width, int height) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setPaint(new GradientPaint(0, 0, Color.ORANGE, width, height, Color.BLUE));
    g.fillRect(0, 0, width, height);
    g.dispose();
    try (OutputStream stream = Files.newOutputStream(file)) {
      assertTrue(ImageIO.write(image, "jpeg", stream));
    }
  }

  @Test
  void write_hundredThousandResults_pageStaysSmallAndListsEveryFailure() throws IOException {
    Path out = tmp.resolve("out");
    HtmlReport page = new HtmlReport(out.resolve("run.html"), Optional.of(out), List.of("imgpool", "in", "out"));
    Summary.Builder counts = new Summary.Builder();
    int files = 100_000;
    for (int i = 0; i < files; i++) {
      String name = String.format("folder%03d/photo-%06d.jpg", i % 500, i);
      TaskResult result =
          i % 100 == 7 ? TaskResult.failed(name, Status.FAILED, Reason.CORRUPT, "corrupt JPEG: bad Huffman table", 2)
              : i % 200 == 9 ? TaskResult.cancelled(name)
              : ok(name, name, 40_000 + i % 1000);
      counts.add(result);
      page.add(result);
    }
    Summary summary = counts.build(600_000, 1);
    page.write(summary);

    Path written = out.resolve("run.html");
    long size = Files.size(written);
    String html = Files.readString(written, StandardCharsets.UTF_8);
    System.out.printf(Locale.ROOT, "HtmlReportTest: page for %,d results: %,d bytes%n", files, size);
    assertTrue(size < 2_000_000, "page of " + size + " bytes");
    assertEquals(1000, count(html, "<tr class=\"item\""), "every failure is listed");
    assertEquals(HtmlReport.LINKED_CARD_LIMIT, count(html, "<li class=\"card item\""));
    assertTrue(html.contains("2000 of 98500 files are shown"), "the sheet says it is cut");
    assertTrue(html.contains("Cancelled (500)"));
    assertEquals("100000", countCell(html, "files"));
    assertFalse(TempFiles.containsTemporaries(out));
    assertNoNetworkUrl(html);
  }

  @Test
  void write_replacesAnEarlierPageAtomically() throws IOException {
    Path out = tmp.resolve("out");
    Path target = out.resolve("run.html");
    Files.createDirectories(out);
    Files.writeString(target, "old page");
    HtmlReport page = new HtmlReport(target, Optional.of(out), List.of());
    page.add(ok("a.jpg", "a.jpg", 1));
    page.write(summaryOf(List.of(), 1, 0));
    assertTrue(Files.readString(target).startsWith("<!DOCTYPE html>"));
    assertFalse(TempFiles.containsTemporaries(out));
  }

  @Test
  void placement_bareNameGoesUnderOutput_pathsStayRelativeToWorkingFolder() {
    Path work = tmp.resolve("work");
    Path out = tmp.resolve("out");
    assertEquals(out.resolve("run.html"), HtmlReport.placement(Path.of("run.html"), work, Optional.of(out)));
    assertEquals(work.resolve("ci/run.html"), HtmlReport.placement(Path.of("ci/run.html"), work, Optional.of(out)));
    assertEquals(work.resolve("run.html"), HtmlReport.placement(Path.of("./run.html"), work, Optional.of(out)));
    assertEquals(work.resolve("run.html"), HtmlReport.placement(Path.of("run.html"), work, Optional.empty()));
    assertEquals(tmp.resolve("abs.html"), HtmlReport.placement(tmp.resolve("abs.html"), work, Optional.of(out)));
  }

  @Test
  void escape_markupQuotesAndControls() {
    assertEquals("&lt;a href=&quot;x&quot;&gt;&amp;&#39;", Html.escape("<a href=\"x\">&'"));
    assertEquals("plain name.jpg", Html.escape("plain name.jpg"));
    assertEquals("a\uFFFDb\nc", Html.escape("a\u0000b\nc"));
    assertEquals("\u00e9t\u00e9 \u65e5\u672c.jpg", Html.escape("\u00e9t\u00e9 \u65e5\u672c.jpg"));
  }

  @Test
  void urlPath_encodesEverySegmentAsUtf8() {
    assertEquals("a/b.jpg", Html.urlPath("a/b.jpg"));
    assertEquals("javascript%3Aalert%281%29", Html.urlPath("javascript:alert(1)"));
    assertEquals("%C3%A9t%C3%A9/x%20y%23z%3Fq%25.png", Html.urlPath("\u00e9t\u00e9/x y#z?q%.png"));
    assertEquals("../out/a.jpg", Html.urlPath("../out/a.jpg"));
    assertEquals("%22%3E%3Cimg%3E", Html.urlPath("\"><img>"));
  }

  @Test
  void shellWords_quotesWhatAShellWouldSplit() {
    assertEquals("imgpool in out --resize '800x800>' 'my photos' 'it'\\''s'",
        Html.shellWords(List.of("imgpool", "in", "out", "--resize", "800x800>", "my photos", "it's")));
  }

  @Test
  void bytes_humanUnits() {
    assertEquals("512 B", Html.bytes(512));
    assertEquals("1.5 KB", Html.bytes(1536));
    assertEquals("9.7 KB", Html.bytes(9902));
    assertEquals("198 KB", Html.bytes(202554));
    assertEquals("1.0 MB", Html.bytes(1 << 20));
  }
}
