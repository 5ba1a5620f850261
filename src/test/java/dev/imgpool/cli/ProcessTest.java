package dev.imgpool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imgpool.io.TempFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests that start the real jar as a process, for what only a process shows: exit codes and
 * signals. Run by failsafe after {@code package}.
 */
@Tag("process")
@Timeout(120)
class ProcessTest {
  private static final Path JAR = Path.of(System.getProperty("imgpool.jar", "dist/imgpool.jar")).toAbsolutePath();
  private static final int FILES = 400;

  @TempDir Path tmp;
  private Path in;

  @BeforeEach
  void manyFiles() throws IOException {
    in = tmp.resolve("in");
    Files.createDirectories(in);
    Path source = MainTest.TESTDATA.resolve("mixed/sub/f.jpg");
    for (int i = 0; i < FILES; i++) {
      Files.copy(source, in.resolve(String.format("img%04d.jpg", i)));
    }
  }

  /** Starts imgpool with SIGINT restored, as a terminal would: a JVM started with it ignored never sees Ctrl-C. */
  private Process start(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT", "java", "-jar", JAR.toString()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .directory(tmp.toFile())
        .redirectOutput(tmp.resolve("stdout.txt").toFile())
        .redirectError(tmp.resolve("stderr.txt").toFile())
        .start();
  }

  private String stderr() throws IOException {
    return Files.readString(tmp.resolve("stderr.txt"), StandardCharsets.UTF_8);
  }

  /** Waits, up to a deadline, until the report has at least {@code lines} lines. */
  private void awaitReportLines(Path report, int lines, Process process) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && process.isAlive()) {
      if (Files.exists(report) && Files.readAllLines(report).size() >= lines) {
        return;
      }
      process.waitFor(20, TimeUnit.MILLISECONDS);
    }
    throw new AssertionError("report never reached " + lines + " lines; stderr: " + stderr());
  }

  private void assertEveryFileReported(Path report, int exitCode) throws IOException {
    List<JsonNode> lines = MainTest.readReport(report);
    JsonNode summary = lines.get(lines.size() - 1).get("summary");
    assertEquals(FILES, lines.size() - 1);
    assertEquals(FILES, summary.get("files").asInt());
    assertTrue(summary.get("cancelled").asInt() > 0, summary.toString());
    assertEquals(exitCode, summary.get("exitCode").asInt());
    assertEquals(FILES, lines.stream().limit(FILES).map(l -> l.get("input").asText()).distinct().count());
  }

  @Test
  void sigint_midRun_exits130WithReportAndNoTemporaries() throws Exception {
    Process process = start("in", "out", "-w", "1", "--resize", "3000x3000", "--report", "r.jsonl");
    Path report = tmp.resolve("r.jsonl");
    awaitReportLines(report, 2, process);
    long sent = System.nanoTime();
    new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
    assertTrue(process.waitFor(10, TimeUnit.SECONDS), "no exit within 10 s of SIGINT");
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
    assertEquals(130, process.exitValue(), stderr());
    assertTrue(millis < 5000, "took " + millis + " ms to stop");
    assertEveryFileReported(report, 130);
    assertFalse(TempFiles.containsTemporaries(tmp.resolve("out")));
    assertTrue(stderr().contains("(interrupted)"), stderr());
  }

  @Test
  void sigterm_midRun_exits143() throws Exception {
    Process process = start("in", "out", "-w", "1", "--resize", "3000x3000", "--report", "r.jsonl");
    awaitReportLines(tmp.resolve("r.jsonl"), 2, process);
    process.destroy(); // SIGTERM
    assertTrue(process.waitFor(10, TimeUnit.SECONDS));
    assertEquals(143, process.exitValue(), stderr());
    assertEveryFileReported(tmp.resolve("r.jsonl"), 143);
    assertFalse(TempFiles.containsTemporaries(tmp.resolve("out")));
  }

  @Test
  void timeout_expires_exits124() throws Exception {
    Process process = start("in", "out", "-w", "1", "--resize", "3000x3000", "--timeout", "1s", "--report", "r.jsonl");
    assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    assertEquals(124, process.exitValue(), stderr());
    assertEveryFileReported(tmp.resolve("r.jsonl"), 124);
    assertFalse(TempFiles.containsTemporaries(tmp.resolve("out")));
  }

  @Test
  void usageError_exits2WithOneLine() throws Exception {
    Process process = start("in", "out", "--resize", "huge");
    assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    assertEquals(2, process.exitValue());
    String err = stderr();
    assertEquals(1, err.strip().lines().count(), err);
    assertTrue(err.contains("invalid geometry 'huge'"), err);
  }

  private Process startPlain(Path workDir, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("java", "-jar", JAR.toString()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .directory(workDir.toFile())
        .redirectOutput(tmp.resolve("stdout.txt").toFile())
        .redirectError(tmp.resolve("stderr.txt").toFile())
        .start();
  }

  @Test
  void rate_fivePerSecondBurstOne_twentyFilesTakeAboutFourSeconds() throws Exception {
    Path few = tmp.resolve("few");
    Files.createDirectories(few);
    for (int i = 0; i < 20; i++) {
      Files.copy(MainTest.TESTDATA.resolve("mixed/d.bmp"), few.resolve("f" + i + ".bmp"));
    }
    Process process = startPlain(tmp, "few", "out-rate", "-w", "4", "--rate", "5/s", "--burst", "1", "--report", "rate.jsonl");
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue(), stderr());
    List<JsonNode> lines = MainTest.readReport(tmp.resolve("rate.jsonl"));
    long millis = lines.get(20).get("summary").get("millis").asLong();
    // 20 starts, one every 200 ms after the first: 3.8 s plus the last file's work.
    assertTrue(millis >= 3700 && millis < 6000, "20 files at 5/s took " + millis + " ms");
  }

  @Test
  void stdinList_reportOnStdout_progressOnStderr() throws Exception {
    Process process = startPlain(tmp, "-", "out-list", "--base", "in", "--report", "-", "--progress", "always");
    try (var stdin = process.getOutputStream()) {
      stdin.write("img0001.jpg\nimg0002.jpg\n".getBytes(StandardCharsets.UTF_8));
    }
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue(), stderr());
    List<String> stdout = Files.readAllLines(tmp.resolve("stdout.txt"));
    assertEquals(3, stdout.size(), stdout.toString());
    assertTrue(stdout.get(2).startsWith("{\"summary\""));
    assertTrue(Files.exists(tmp.resolve("out-list/img0001.jpg")));
    assertTrue(stderr().contains("2 files: 2 ok"), stderr());
  }

  @Test
  void dryRun_writesNothing() throws Exception {
    Process process = startPlain(tmp, "in", "out-dry", "--dry-run", "-f", "png");
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue(), stderr());
    assertFalse(Files.exists(tmp.resolve("out-dry")));
    List<String> plan = Files.readAllLines(tmp.resolve("stdout.txt"));
    assertEquals(FILES, plan.size());
    assertEquals("img0000.jpg -> img0000.png", plan.get(0));
  }
}
