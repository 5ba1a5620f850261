package dev.imgpool.cli;

import static dev.imgpool.testing.TestFiles.copyTree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imgpool.io.TempFiles;
import dev.imgpool.task.CancellationToken;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** End-to-end tests for {@link Main}: the real command, in-process, on real files. */
@Timeout(120)
class MainTest {
  static final Path TESTDATA = Path.of("testdata");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

  private int run(InputStream stdin, String... args) {
    Main main =
        new Main(new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8),
            stdin, tmp, new CancellationToken(), false);
    return main.run(args);
  }

  private int run(String... args) {
    return run(new ByteArrayInputStream(new byte[0]), args);
  }

  private String err() {
    return stderr.toString(StandardCharsets.UTF_8);
  }


  static List<JsonNode> readReport(Path report) throws IOException {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(report, StandardCharsets.UTF_8)) {
      lines.add(JSON.readTree(line));
    }
    return lines;
  }

  @Test
  void run_mixedFolder_writesOutputsReportAndExitsOne() throws Exception {
    Path in = copyTree(TESTDATA.resolve("mixed"), tmp.resolve("in"));
    int code = run("in", "out", "-w", "2", "--resize", "800x800", "--report", "r.jsonl");
    assertEquals(1, code, err());

    List<JsonNode> report = readReport(tmp.resolve("r.jsonl"));
    JsonNode summary = report.get(report.size() - 1).get("summary");
    Map<String, JsonNode> byInput = new HashMap<>();
    for (JsonNode line : report.subList(0, report.size() - 1)) {
      assertEquals(null, byInput.put(line.get("input").asText(), line), "reported twice: " + line);
    }
    assertEquals(9, byInput.size(), byInput.keySet().toString());
    assertEquals(9, summary.get("files").asInt());
    assertEquals(7, summary.get("ok").asInt());
    assertEquals(2, summary.get("failed").asInt());
    assertEquals(1, summary.get("exitCode").asInt());

    assertEquals("truncated", byInput.get("broken.jpg").get("reason").asText());
    assertEquals("not_an_image", byInput.get("fake.png").get("reason").asText());
    assertFalse(byInput.containsKey("notes.txt"));
    assertEquals("ok", byInput.get("noext").get("status").asText());

    Map<String, int[]> expected =
        Map.of("a.jpg", new int[] {800, 600}, "b.png", new int[] {800, 533}, "c.gif", new int[] {800, 400},
            "d.bmp", new int[] {800, 600}, "e.tiff", new int[] {800, 600}, "sub/f.jpg", new int[] {800, 400});
    for (Map.Entry<String, int[]> entry : expected.entrySet()) {
      Path output = tmp.resolve("out").resolve(entry.getKey());
      BufferedImage image = ImageIO.read(Files.newInputStream(output));
      assertEquals(entry.getValue()[0], image.getWidth(), entry.getKey());
      assertEquals(entry.getValue()[1], image.getHeight(), entry.getKey());
      JsonNode line = byInput.get(entry.getKey());
      assertEquals(entry.getKey(), line.get("output").asText());
      assertEquals(entry.getValue()[0], line.get("outWidth").asInt());
      assertEquals(Files.size(output), line.get("bytesOut").asLong());
    }
    assertFalse(Files.exists(tmp.resolve("out/broken.jpg")));
    assertFalse(TempFiles.containsTemporaries(tmp.resolve("out")));
    assertTrue(err().contains("broken.jpg: truncated JPEG"), err());
    assertTrue(err().strip().endsWith("9 files: 7 ok, 2 failed in " + err().strip().replaceAll("(?s).* in ", "")), err());
    assertTrue(Files.exists(in.resolve("broken.jpg")), "input untouched");
  }

  @Test
  void run_secondRunOverUnchangedTree_skipsEverything() throws Exception {
    copyTree(TESTDATA.resolve("mixed"), tmp.resolve("in"));
    assertEquals(1, run("in", "out", "--resize", "100x100", "-q"));
    stderr.reset();
    assertEquals(1, run("in", "out", "--resize", "100x100", "--report", "r2.jsonl", "-q"));
    JsonNode summary = readReport(tmp.resolve("r2.jsonl")).get(9).get("summary");
    assertEquals(7, summary.get("skipped").asInt());
    assertEquals(0, summary.get("ok").asInt());
    // A changed option reprocesses.
    assertEquals(1, run("in", "out", "--resize", "120x120", "--report", "r3.jsonl", "-q"));
    assertEquals(7, readReport(tmp.resolve("r3.jsonl")).get(9).get("summary").get("ok").asInt());
  }

  @Test
  void run_reportToStdout_keepsProgressOnStderr() throws Exception {
    copyTree(TESTDATA.resolve("mixed"), tmp.resolve("in"));
    run("in", "out", "--resize", "64x64", "--report", "-");
    String[] lines = stdout.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(10, lines.length);
    for (String line : lines) {
      JSON.readTree(line);
    }
    assertTrue(err().contains("9 files"));
  }

  @Test
  void run_timeoutExpires_exitsWith124AndReportsEveryFile() throws Exception {
    Path in = tmp.resolve("in");
    Files.createDirectories(in);
    Path source = TESTDATA.resolve("mixed/a.jpg");
    for (int i = 0; i < 300; i++) {
      Files.copy(source, in.resolve(String.format("img%03d.jpg", i)));
    }
    int code = run("in", "out", "-w", "1", "--resize", "2000x2000", "--timeout", "300ms", "--report", "r.jsonl");
    assertEquals(124, code, err());
    List<JsonNode> report = readReport(tmp.resolve("r.jsonl"));
    JsonNode summary = report.get(report.size() - 1).get("summary");
    assertEquals(300, summary.get("files").asInt());
    assertEquals(300, report.size() - 1);
    assertTrue(summary.get("cancelled").asInt() > 0);
    assertEquals(124, summary.get("exitCode").asInt());
    assertFalse(TempFiles.containsTemporaries(tmp.resolve("out")));
  }

  @Test
  void run_failFast_cancelsTheRestAfterFirstFailure() throws Exception {
    Path in = tmp.resolve("in");
    Files.createDirectories(in);
    Files.writeString(in.resolve("a-bad.jpg"), "not a jpeg");
    for (int i = 0; i < 100; i++) {
      Files.copy(TESTDATA.resolve("mixed/a.jpg"), in.resolve(String.format("b%03d.jpg", i)));
    }
    int code = run("in", "out", "-w", "1", "--queue", "1", "--fail-fast", "--report", "r.jsonl", "-q");
    assertEquals(1, code);
    JsonNode summary = readReport(tmp.resolve("r.jsonl")).get(101).get("summary");
    assertEquals(101, summary.get("files").asInt());
    assertEquals(1, summary.get("failed").asInt());
    assertTrue(summary.get("cancelled").asInt() > 90, summary.toString());
  }

  @Test
  void run_dryRun_printsPlanAndWritesNothing() throws Exception {
    copyTree(TESTDATA.resolve("mixed"), tmp.resolve("in"));
    assertEquals(0, run("in", "out", "--dry-run", "-f", "webp"));
    String plan = stdout.toString(StandardCharsets.UTF_8);
    assertTrue(plan.contains("sub/f.jpg -> sub/f.webp"), plan);
    assertFalse(Files.exists(tmp.resolve("out")));
  }

  @Test
  void run_singleFileInput_writesOneOutput() throws Exception {
    Files.copy(TESTDATA.resolve("mixed/a.jpg"), tmp.resolve("a.jpg"));
    assertEquals(0, run("a.jpg", "out", "--resize", "50%", "-f", "png"));
    BufferedImage image = ImageIO.read(Files.newInputStream(tmp.resolve("out/a.png")));
    assertEquals(320, image.getWidth());
  }

  @Test
  void run_stdinList_mirrorsPathsRelativeToBase() throws Exception {
    copyTree(TESTDATA.resolve("mixed"), tmp.resolve("in"));
    String list = "sub/f.jpg\na.jpg\n../outside.jpg\n";
    int code = run(new ByteArrayInputStream(list.getBytes(StandardCharsets.UTF_8)), "-", "out", "--base", "in",
        "--report", "r.jsonl", "-q");
    assertEquals(1, code);
    assertTrue(Files.exists(tmp.resolve("out/sub/f.jpg")));
    assertTrue(Files.exists(tmp.resolve("out/a.jpg")));
    assertTrue(Files.readString(tmp.resolve("r.jsonl")).contains("\"reason\":\"outside_base\""));
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "in out -w 0",
    "in out --resize 80xx",
    "in out --timeout soon",
    "in out --bogus",
    "in",
    "missing out",
    "in out --quality 0",
    "in out -f avif",
    "in out --shard 4/4",
    "in out --name x.jpg",
    "in out --timeout 99999999999999h",
    "in out --file-timeout 999999999d",
  })
  void run_usageError_exitsTwoWithOneLine(String args) throws Exception {
    Files.createDirectories(tmp.resolve("in"));
    int code = run(args.split(" "));
    assertEquals(2, code, err());
    String message = err();
    assertEquals(1, message.strip().lines().count(), message);
    assertTrue(message.startsWith("imgpool: "), message);
    assertFalse(Files.exists(tmp.resolve("out")), "nothing written on a usage error");
  }

  @Test
  void run_helpAndVersion_goToStdoutWithZero() {
    assertEquals(0, run("--help"));
    assertTrue(stdout.toString(StandardCharsets.UTF_8).contains("--resize"));
    stdout.reset();
    assertEquals(0, run("--version"));
    assertTrue(stdout.toString(StandardCharsets.UTF_8).startsWith("imgpool "));
  }

  @Test
  @Timeout(30)
  void run_stdinPipeStaysOpen_timeoutStillEndsTheRun() throws Exception {
    copyTree(TESTDATA.resolve("mixed"), tmp.resolve("in"));
    java.io.PipedOutputStream writer = new java.io.PipedOutputStream();
    java.io.PipedInputStream stdin = new java.io.PipedInputStream(writer);
    writer.write("a.jpg\n".getBytes(StandardCharsets.UTF_8));
    writer.flush(); // and never closed, like `tail -f list | imgpool - out`
    int code = run(stdin, "-", "out", "--base", "in", "--timeout", "500ms", "--report", "r.jsonl", "-q");
    assertEquals(124, code, err());
    List<JsonNode> report = readReport(tmp.resolve("r.jsonl"));
    assertEquals(1, report.get(report.size() - 1).get("summary").get("files").asInt());
    writer.close();
  }

  @Test
  void run_stdinListsAFileTwice_oneReportLine() throws Exception {
    copyTree(TESTDATA.resolve("mixed"), tmp.resolve("in"));
    String list = "a.jpg\n./a.jpg\nsub/../a.jpg\n";
    assertEquals(0, run(new ByteArrayInputStream(list.getBytes(StandardCharsets.UTF_8)), "-", "out", "--base", "in",
        "--report", "r.jsonl", "-q"));
    assertEquals(2, Files.readAllLines(tmp.resolve("r.jsonl")).size(), "one file line and the summary");
  }
}
