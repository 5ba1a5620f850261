package dev.imgpool.report;

import dev.imgpool.testing.TestFiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.imgpool.cli.Main;
import dev.imgpool.task.CancellationToken;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page of a real run in a real browser: Debian's headless chromium loads it from a file,
 * with networking blocked, and the DOM is read after the page's script ran ({@code --dump-dom}).
 * Skipped where {@code /usr/bin/chromium} is missing; {@code .ci/run} installs it.
 */
@Tag("browser")
@Timeout(300)
class BrowserPageTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path SCREENSHOT = Path.of("target/browser/page.png");
  private static final String HOSTILE_OK = HtmlReportTest.HOSTILE;
  private static final String HOSTILE_FAILED = "\"><svg onload=alert(2)>.jpg";
  /** An opening tag with its attributes; values are double-quoted in a serialized DOM, so a '>' inside one is skipped. */
  private static final Pattern ITEM_TAG = Pattern.compile("<(tr|li)((?:\\s+[\\w-]+(?:=\"[^\"]*\")?)*)\\s*>");

  @TempDir static Path tmp;
  private static Path page;

  @BeforeAll
  static void realRun() throws IOException {
    assumeTrue(Files.isExecutable(CHROMIUM), "no " + CHROMIUM + " here; .ci/run installs it");
    Path in = tmp.resolve("in");
    TestFiles.copyTree(Path.of("testdata/mixed"), in);
    Files.copy(in.resolve("b.png"), in.resolve(HOSTILE_OK), StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(in.resolve(HOSTILE_FAILED), "<html>not an image</html>\n");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new Main(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]), tmp,
        new CancellationToken(), false)
        .run("in", "out", "-w", "2", "--resize", "300x300", "--html", "run.html");
    String runErr = err.toString(StandardCharsets.UTF_8);
    assertEquals(1, code, runErr);
    page = tmp.resolve("out/run.html");
    assertTrue(Files.exists(page), runErr);
  }

  /** One item of the dumped DOM: its status, and whether the script hid it. */
  private record Item(String tag, String status, boolean hidden) {}

  private static List<Item> items(String dom) {
    List<Item> items = new ArrayList<>();
    Matcher tags = ITEM_TAG.matcher(dom);
    while (tags.find()) {
      String attributes = tags.group(2);
      Matcher status = Pattern.compile("\\sdata-status=\"([a-z]+)\"").matcher(attributes);
      if (status.find()) {
        items.add(new Item(tags.group(1), status.group(1), Pattern.compile("\\shidden(=\"[^\"]*\")?").matcher(attributes).find()));
      }
    }
    return items;
  }

  /**
   * The opening tags of a serialized DOM, each with its attribute values blanked. Text escapes
   * '<' and attribute values are double-quoted, so outside the raw text of script and style
   * every '<' opens a real element and a '>' inside quotes does not close it.
   */
  private static List<String> elementTags(String dom) {
    String text = dom.replaceAll("(?s)(<(script|style)\\b[^>]*>).*?(</\\2>)", "$1$3");
    List<String> tags = new ArrayList<>();
    for (int start = text.indexOf('<'); start >= 0; start = text.indexOf('<', start + 1)) {
      int end = start + 1;
      boolean quoted = false;
      while (end < text.length() && (quoted || text.charAt(end) != '>')) {
        quoted ^= text.charAt(end) == '"';
        end++;
      }
      String tag = text.substring(start, Math.min(end + 1, text.length()));
      if (tag.length() > 1 && Character.isLetter(tag.charAt(1))) {
        tags.add(tag.replaceAll("\"[^\"]*\"", "\"\""));
      }
      start = end;
    }
    return tags;
  }

  private static long visible(List<Item> items) {
    return items.stream().filter(item -> !item.hidden()).count();
  }

  private String chromium(String fragment, String... extra) throws Exception {
    Path profile = Files.createTempDirectory(tmp, "chromium-profile");
    List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--host-resolver-rules=MAP * ~NOTFOUND", "--user-data-dir=" + profile));
    command.addAll(List.of(extra));
    command.add(page.toUri() + fragment);
    Path stdout = tmp.resolve("chromium-out.txt");
    Path stderr = tmp.resolve("chromium-err.txt");
    Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("chromium did not finish in 120 s");
    }
    assertEquals(0, process.exitValue(), Files.readString(stderr));
    return Files.readString(stdout, StandardCharsets.UTF_8);
  }

  @Test
  void page_afterScripts_showsCardsFailuresFirstAndTheHostileNameAsText() throws Exception {
    String dom = chromium("", "--dump-dom");
    List<Item> items = items(dom);
    List<Item> cards = items.stream().filter(item -> item.tag().equals("li")).toList();
    List<Item> failures = items.stream().filter(item -> item.tag().equals("tr")).toList();
    assertEquals(8, cards.size(), "7 images of testdata/mixed and the hostile-named copy");
    assertEquals(3, failures.size(), "broken.jpg, fake.png and the hostile-named text file");
    assertTrue(failures.stream().allMatch(item -> item.status().equals("failed")));
    assertTrue(cards.stream().allMatch(item -> item.status().equals("ok")));
    assertEquals(11, visible(items), "nothing is hidden without a filter");
    assertTrue(dom.indexOf("data-status=\"failed\"") < dom.indexOf("class=\"card item\""), "failures come first");
    assertTrue(dom.contains("data-visible=\"11\""), "the script ran");
    assertFalse(dom.contains("<form id=\"filters\" hidden"), "the script showed the filters");

    // The hostile names stayed text: with attribute values blanked, no element came from them.
    assertTrue(dom.contains("&lt;img src=x onerror=alert(1)&gt;.png"));
    assertTrue(dom.contains("\"&gt;&lt;svg onload=alert(2)&gt;.jpg"));
    List<String> tags = elementTags(dom);
    assertTrue(tags.stream().noneMatch(t -> t.contains("onerror") || t.contains("onload")), "a handler became markup");
    assertTrue(tags.stream().noneMatch(t -> t.startsWith("<svg")), "the svg name became markup");
    assertEquals(1, tags.stream().filter(t -> t.startsWith("<script")).count(), "only the page's own script");
    assertEquals(8, tags.stream().filter(t -> t.startsWith("<img")).count(), "one thumbnail per card, no other image");
  }

  @Test
  void page_statusFragment_showsOnlyThatStatus() throws Exception {
    List<Item> items = items(chromium("#status=failed", "--dump-dom"));
    assertEquals(11, items.size());
    assertEquals(3, visible(items));
    assertTrue(items.stream().filter(item -> !item.hidden()).allMatch(item -> item.status().equals("failed")));
    assertTrue(items.stream().filter(item -> item.tag().equals("li")).allMatch(Item::hidden), "every card hidden");
  }

  @Test
  void page_searchQuery_filtersByName() throws Exception {
    String dom = chromium("?q=SUB%2F", "--dump-dom");
    List<Item> items = items(dom);
    assertEquals(1, visible(items), "only sub/f.jpg matches");
    assertTrue(dom.contains("data-visible=\"1\""));
  }

  @Test
  void page_screenshot_isKeptAsATestArtifact() throws Exception {
    Files.createDirectories(SCREENSHOT.getParent());
    Files.deleteIfExists(SCREENSHOT);
    chromium("", "--screenshot=" + SCREENSHOT.toAbsolutePath(), "--window-size=1280,2000", "--hide-scrollbars");
    assertTrue(Files.size(SCREENSHOT) > 10_000, "a screenshot of " + Files.size(SCREENSHOT) + " bytes");
  }
}
