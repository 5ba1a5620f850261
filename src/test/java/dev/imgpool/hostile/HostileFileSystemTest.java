package dev.imgpool.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imgpool.io.TempFiles;
import dev.imgpool.task.CancellationToken;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file system as an adversary, in-process on the real file system (links, FIFOs and
 * permissions do not exist on jimfs): links in and out of INPUT and in loops, FIFOs, files that
 * vanish, unreadable files, odd names. Every test also checks that INPUT did not change.
 *
 * <p>Permission tests need a user whom permission bits stop: they are skipped when the tests run
 * as root (as they do in the project's container), and {@code HostileProcessTest} runs the same
 * cases as an unprivileged user through {@code setpriv} instead.
 */
@Timeout(60)
class HostileFileSystemTest {
  @TempDir Path tmp;
  private Path in;
  private Path outside;

  @BeforeEach
  void tree() throws IOException {
    in = Files.createDirectories(tmp.resolve("in"));
    outside = Files.createDirectories(tmp.resolve("outside"));
    Files.copy(Runs.TESTDATA.resolve("mixed/a.jpg"), in.resolve("real.jpg"));
    Files.createDirectories(in.resolve("sub"));
    Files.copy(Runs.TESTDATA.resolve("mixed/b.png"), in.resolve("sub/inner.png"));
    Files.copy(Runs.TESTDATA.resolve("mixed/c.gif"), outside.resolve("secret.gif"));
  }

  private void links() throws IOException {
    Files.createSymbolicLink(in.resolve("link-inside.jpg"), Path.of("real.jpg"));
    Files.createSymbolicLink(in.resolve("link-outside.gif"), Path.of("../outside/secret.gif"));
    Files.createSymbolicLink(in.resolve("linked-outside-folder"), Path.of("../outside"));
    Files.createSymbolicLink(in.resolve("alias"), Path.of("sub"));
    Files.createSymbolicLink(in.resolve("sub/loop-to-input"), Path.of(".."));
    Files.createSymbolicLink(in.resolve("sub/loop-to-self"), Path.of("."));
    Files.createSymbolicLink(in.resolve("dangling.jpg"), Path.of("no-such-file.jpg"));
    Files.createSymbolicLink(in.resolve("ring-a.png"), Path.of("ring-b.png"));
    Files.createSymbolicLink(in.resolve("ring-b.png"), Path.of("ring-a.png"));
  }

  @Test
  void symlinks_notFollowedByDefault() throws Exception {
    links();
    String inputBefore = Runs.treeDigest(in);
    String outsideBefore = Runs.treeDigest(outside);
    Runs.Result run = Runs.run(tmp, "in", "out", "--report", "r.jsonl");
    assertEquals(0, run.exitCode(), run.stderr());
    Map<String, JsonNode> report = Runs.readReport(tmp.resolve("r.jsonl"));
    assertEquals(List.of("real.jpg", "sub/inner.png"), report.keySet().stream().sorted().toList());
    assertFalse(Files.exists(tmp.resolve("out/link-inside.jpg")));
    assertFalse(Files.exists(tmp.resolve("out/link-outside.gif")));
    assertFalse(Files.exists(tmp.resolve("out/alias")));
    assertEquals(inputBefore, Runs.treeDigest(in));
    assertEquals(outsideBefore, Runs.treeDigest(outside));
  }

  @Test
  void symlinks_followed_stayInsideInputAndLoopsEndTheirBranchOnly() throws Exception {
    links();
    String inputBefore = Runs.treeDigest(in);
    String outsideBefore = Runs.treeDigest(outside);
    Runs.Result run = Runs.run(tmp, "in", "out", "--follow-symlinks", "-w", "2", "--report", "r.jsonl");
    assertEquals(0, run.exitCode(), run.stderr());
    Map<String, JsonNode> report = Runs.readReport(tmp.resolve("r.jsonl"));

    for (String ok : List.of("real.jpg", "link-inside.jpg", "sub/inner.png", "alias/inner.png")) {
      assertEquals("ok", report.get(ok).get("status").asText(), ok + ": " + report.get(ok));
    }
    JsonNode file = report.get("link-outside.gif");
    assertEquals("skipped", file.get("status").asText());
    assertEquals("outside_base", file.get("reason").asText());
    assertEquals("symbolic link to a file outside INPUT; not followed", file.get("error").asText());
    JsonNode folder = report.get("linked-outside-folder/");
    assertEquals("symbolic link to a folder outside INPUT; not followed", folder.get("error").asText());
    for (String loop : List.of("sub/loop-to-input/", "sub/loop-to-self/", "alias/loop-to-input/", "alias/loop-to-self/")) {
      assertEquals("skipped", report.get(loop).get("status").asText(), loop);
      assertTrue(report.get(loop).get("error").asText().contains("loop"), report.get(loop).toString());
    }
    assertTrue(report.get("dangling.jpg").get("error").asText().contains("dangling"));
    assertTrue(report.get("ring-a.png").get("error").asText().contains("cannot be resolved"), report.get("ring-a.png").toString());
    assertEquals(13, report.size(), report.keySet().toString());

    assertTrue(Files.isRegularFile(tmp.resolve("out/link-inside.jpg")), "a link's output is a file, not a link");
    assertFalse(Files.exists(tmp.resolve("out/link-outside.gif")));
    assertFalse(Files.exists(tmp.resolve("out/linked-outside-folder")));
    assertEquals(inputBefore, Runs.treeDigest(in));
    assertEquals(outsideBefore, Runs.treeDigest(outside));
  }

  @Test
  void fifo_isSkippedAndNeverOpened() throws Exception {
    assumeTrue(mkfifo(in.resolve("pipe.jpg")) && mkfifo(in.resolve("pipe-without-extension")), "mkfifo is not available");
    Files.createSymbolicLink(in.resolve("link-to-pipe.png"), Path.of("pipe.jpg"));
    String before = Runs.treeDigest(in);
    for (String follow : List.of("--no-auto-orient", "--follow-symlinks")) {
      Runs.Result run = Runs.run(tmp, "in", "out-" + follow, follow, "--report", "r.jsonl");
      assertEquals(0, run.exitCode(), run.stderr());
      Map<String, JsonNode> report = Runs.readReport(tmp.resolve("r.jsonl"));
      assertEquals("skipped", report.get("pipe.jpg").get("status").asText());
      assertEquals("not a regular file (a FIFO, socket or device); not opened", report.get("pipe.jpg").get("error").asText());
      assertFalse(report.containsKey("pipe-without-extension"));
      assertEquals("ok", report.get("real.jpg").get("status").asText());
      if (follow.equals("--follow-symlinks")) {
        assertEquals("skipped", report.get("link-to-pipe.png").get("status").asText());
      }
    }
    // listed on standard input, it is refused by name too
    Runs.Result listed = Runs.run(tmp, new ByteArrayInputStream("pipe.jpg\nreal.jpg\n".getBytes(StandardCharsets.UTF_8)),
        new CancellationToken(), "-", "out-list", "--base", "in", "--report", "r.jsonl");
    assertEquals(1, listed.exitCode(), listed.stderr());
    Map<String, JsonNode> report = Runs.readReport(tmp.resolve("r.jsonl"));
    assertEquals("failed", report.get("pipe.jpg").get("status").asText());
    assertEquals("ok", report.get("real.jpg").get("status").asText());
    assertEquals(before, Runs.treeDigest(in));
  }

  @Test
  void fileDeletedBetweenScanAndDecode_failsWithIoError() throws Exception {
    for (int i = 1; i <= 4; i++) {
      Files.copy(Runs.TESTDATA.resolve("mixed/a.jpg"), in.resolve("a" + i + ".jpg"));
    }
    Files.copy(Runs.TESTDATA.resolve("mixed/a.jpg"), in.resolve("zz-doomed.jpg"));
    // One start a second on one worker: the folder is listed at once, zz-doomed.jpg starts after 4 s.
    CompletableFuture<Runs.Result> run = CompletableFuture.supplyAsync(
        () -> Runs.run(tmp, "in", "out", "-w", "1", "--rate", "1/s", "--queue", "16", "--report", "r.jsonl"));
    Path firstOutput = tmp.resolve("out/a1.jpg");
    while (!Files.exists(firstOutput) && !run.isDone()) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    Files.delete(in.resolve("zz-doomed.jpg"));
    Runs.Result result = run.get();
    assertEquals(1, result.exitCode(), result.stderr());
    JsonNode doomed = Runs.readReport(tmp.resolve("r.jsonl")).get("zz-doomed.jpg");
    assertEquals("failed", doomed.get("status").asText(), doomed.toString());
    assertEquals("io_error", doomed.get("reason").asText());
    assertEquals("cannot read: the file vanished after it was scanned", doomed.get("error").asText());
  }

  @Test
  void oddNames_roundTripToOutputAndAreEscapedInTheReport() throws Exception {
    List<String> names = List.of("with space.jpg", "new\nline.jpg", "tab\there.png", "caf\u00e9.jpg",
        "\u65e5\u672c/\u5199\u771f.png", "quote\"and\\backslash.gif", "emoji-\ud83d\udcf7.jpg", "-starts-with-dash.jpg");
    for (String name : names) {
      Path file = in.resolve(name);
      Files.createDirectories(file.getParent());
      String ext = name.substring(name.lastIndexOf('.') + 1);
      Files.copy(Runs.TESTDATA.resolve(ext.equals("jpg") ? "mixed/a.jpg" : ext.equals("png") ? "mixed/b.png" : "mixed/c.gif"), file);
    }
    String before = Runs.treeDigest(in);
    Runs.Result run = Runs.run(tmp, "in", "out", "--resize", "50x50", "--report", "r.jsonl");
    assertEquals(0, run.exitCode(), run.stderr());
    List<String> lines = Files.readAllLines(tmp.resolve("r.jsonl"), StandardCharsets.UTF_8);
    assertEquals(names.size() + 2 + 1, lines.size(), "one line per file: a name with a newline must be escaped");
    assertTrue(lines.stream().anyMatch(l -> l.contains("\"input\":\"new\\nline.jpg\"")), String.join("\n", lines));
    Map<String, JsonNode> report = Runs.readReport(tmp.resolve("r.jsonl"));
    for (String name : names) {
      JsonNode line = report.get(name);
      assertEquals("ok", line.get("status").asText(), name + ": " + line);
      assertEquals(name, line.get("output").asText());
      BufferedImage output = read(tmp.resolve("out").resolve(name));
      assertEquals(line.get("outWidth").asInt(), output.getWidth());
    }
    assertEquals(before, Runs.treeDigest(in));
  }

  @Test
  void unreadableFileAndFolder_failAloneWithIoError() throws Exception {
    assumeFalse(Runs.isRoot(), "running as root: permission bits do not stop root (HostileProcessTest covers this as nobody)");
    Path locked = Files.copy(Runs.TESTDATA.resolve("mixed/a.jpg"), in.resolve("locked.jpg"));
    Path lockedDir = Files.createDirectories(in.resolve("locked-folder"));
    Files.copy(Runs.TESTDATA.resolve("mixed/a.jpg"), lockedDir.resolve("inside.jpg"));
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
    Files.setPosixFilePermissions(lockedDir, PosixFilePermissions.fromString("---------"));
    try {
      Runs.Result run = Runs.run(tmp, "in", "out", "--report", "r.jsonl");
      assertEquals(1, run.exitCode(), run.stderr());
      Map<String, JsonNode> report = Runs.readReport(tmp.resolve("r.jsonl"));
      assertEquals("io_error", report.get("locked.jpg").get("reason").asText());
      assertEquals("cannot read: permission denied", report.get("locked.jpg").get("error").asText());
      assertEquals("cannot list folder: permission denied", report.get("locked-folder/").get("error").asText());
      assertEquals("ok", report.get("real.jpg").get("status").asText());
    } finally {
      Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rw-r--r--"));
      Files.setPosixFilePermissions(lockedDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  @Test
  void readOnlyOutput_exitsTwoWithOneLine() throws Exception {
    assumeFalse(Runs.isRoot(), "running as root: permission bits do not stop root (HostileProcessTest covers this as nobody)");
    Path out = Files.createDirectories(tmp.resolve("out"));
    Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      Runs.Result run = Runs.run(tmp, "in", "out", "--report", "r.jsonl");
      assertEquals(2, run.exitCode(), run.stderr());
      assertEquals(1, run.stderr().strip().lines().count(), run.stderr());
      assertEquals("imgpool: OUTPUT out is not writable", run.stderr().strip());
    } finally {
      Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  @Test
  void outputUnderAFile_exitsTwoWithOneLine() throws Exception {
    // what root meets instead of a read-only folder: OUTPUT cannot be created at all
    Files.writeString(tmp.resolve("plain-file"), "x");
    Runs.Result run = Runs.run(tmp, "in", "plain-file/out");
    assertEquals(2, run.exitCode(), run.stderr());
    assertEquals(1, run.stderr().strip().lines().count(), run.stderr());
    assertTrue(run.stderr().startsWith("imgpool: cannot create OUTPUT plain-file/out"), run.stderr());
    assertFalse(TempFiles.containsTemporaries(tmp));
  }

  /**
   * OUTPUT on a 1 MB tmpfs that fills up: the files that no longer fit fail alone with the
   * system's reason, no temporary and no partial file stays behind. Mounting needs root (and the
   * right to mount): the test is skipped elsewhere.
   */
  @Test
  void fullDisk_outputsThatDoNotFitFailAlone() throws Exception {
    assumeTrue(Runs.isRoot(), "mounting a small tmpfs needs root");
    Path out = Files.createDirectories(tmp.resolve("out"));
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", out.toString())
        .redirectErrorStream(true).start();
    assumeTrue(mount.waitFor() == 0, "cannot mount a tmpfs here: " + new String(mount.getInputStream().readAllBytes()));
    try {
      for (int i = 0; i < 6; i++) {
        Files.copy(Runs.TESTDATA.resolve("mixed/a.jpg"), in.resolve("photo-" + i + ".jpg"));
      }
      // 640x480 as 24-bit BMP: 921,654 bytes each, so one fits in 1 MB and the rest do not
      Runs.Result run = Runs.run(tmp, "in", "out", "-w", "1", "-f", "bmp", "--report", "r.jsonl");
      assertEquals(1, run.exitCode(), run.stderr());
      Map<String, JsonNode> report = Runs.readReport(tmp.resolve("r.jsonl"));
      int failed = 0;
      for (Map.Entry<String, JsonNode> entry : report.entrySet()) {
        JsonNode line = entry.getValue();
        if (line.get("status").asText().equals("failed")) {
          failed++;
          assertEquals("io_error", line.get("reason").asText(), line.toString());
          Runs.assertReadable(entry.getKey(), line);
          assertTrue(line.get("error").asText().contains("No space left on device"), line.toString());
        }
      }
      assertTrue(failed >= 5, report.toString());
      assertFalse(TempFiles.containsTemporaries(out), "temporaries left on the full disk");
      try (var files = Files.list(out)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          if (file.getFileName().toString().endsWith(".bmp")) {
            assertEquals(921_654, Files.size(file), "a partial output: " + file);
          }
        }
      }
    } finally {
      new ProcessBuilder("umount", out.toString()).start().waitFor();
    }
  }

  static boolean mkfifo(Path path) throws IOException, InterruptedException {
    try {
      return new ProcessBuilder("mkfifo", path.toString()).start().waitFor() == 0;
    } catch (IOException e) {
      return false;
    }
  }

  private static BufferedImage read(Path file) throws IOException {
    try (InputStream stream = Files.newInputStream(file)) {
      BufferedImage image = ImageIO.read(stream);
      assertNull(image == null ? "unreadable " + file : null);
      return image;
    }
  }
}
