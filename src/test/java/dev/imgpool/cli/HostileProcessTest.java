package dev.imgpool.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imgpool.hostile.HostileFiles;
import dev.imgpool.hostile.Runs;
import dev.imgpool.io.TempFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile conditions only a process shows: kill -9 and a re-run, a small heap, the C locale,
 * permissions for a user they stop, non-UTF-8 names, FIFOs. Run by failsafe after {@code package}
 * against {@code dist/imgpool.jar}.
 *
 * <p>The tests run as root in the project's container, and permission bits do not stop root: the
 * permission test then runs imgpool as {@code nobody} through {@code setpriv} (util-linux), and is
 * skipped where that is impossible.
 */
@Tag("process")
@Timeout(180)
class HostileProcessTest {
  private static final Path JAR = Path.of(System.getProperty("imgpool.jar", "dist/imgpool.jar")).toAbsolutePath();
  private static final Path LAUNCHER = JAR.resolveSibling("imgpool");
  private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  @TempDir Path tmp;

  /** A command to start: what runs it, the environment to add, and where its output goes. */
  private Process start(Path workingDir, List<String> prefix, Map<String, String> env, List<String> jvm, String... args)
      throws IOException {
    List<String> command = new ArrayList<>(prefix);
    command.add(JAVA);
    command.add("-XX:-UsePerfData");
    command.addAll(jvm);
    command.addAll(List.of("-jar", JAR.toString()));
    command.addAll(List.of(args));
    return launch(workingDir, env, command);
  }

  private Process start(String... args) throws IOException {
    return start(tmp, List.of(), Map.of(), List.of(), args);
  }

  private Process launch(Path workingDir, Map<String, String> env, List<String> command) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile());
    builder.environment().putAll(env);
    return builder
        .redirectOutput(workingDir.resolve("stdout.txt").toFile())
        .redirectError(workingDir.resolve("stderr.txt").toFile())
        .start();
  }

  private static String stderr(Path workingDir) throws IOException {
    return Files.readString(workingDir.resolve("stderr.txt"), StandardCharsets.UTF_8);
  }

  private static int finish(Process process, Path workingDir) throws Exception {
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "no exit within 120 s; stderr: " + stderr(workingDir));
    return process.exitValue();
  }

  // ---------------------------------------------------------------- kill -9

  @Test
  void killNine_midRun_leavesNoFinishedLookingPartialAndARerunCompletesTheSameTree() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    for (int i = 0; i < 200; i++) {
      Files.copy(Runs.TESTDATA.resolve("mixed/sub/f.jpg"), in.resolve(String.format("img%03d.jpg", i)));
    }
    String[] command = {"in", "out", "-w", "2", "--resize", "1200x1200", "--report", "r.jsonl"};
    Process killed = start(command);
    Path report = tmp.resolve("r.jsonl");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!(Files.exists(report) && Files.readAllLines(report).size() >= 10)) {
      assertTrue(killed.isAlive(), "finished before it could be killed: " + stderr(tmp));
      assertTrue(System.nanoTime() < deadline, "no progress: " + stderr(tmp));
      killed.waitFor(10, TimeUnit.MILLISECONDS);
    }
    killed.destroyForcibly(); // SIGKILL: no shutdown hook, no finally
    assertTrue(killed.waitFor(10, TimeUnit.SECONDS));
    assertEquals(137, killed.exitValue());

    // What a kill -9 leaves: whole outputs under their names, and perhaps temporaries; never a partial file under a final name.
    List<Path> left = list(tmp.resolve("out"));
    int whole = 0;
    for (Path file : left) {
      String name = file.getFileName().toString();
      if (name.startsWith(TempFiles.PREFIX) || name.equals(".imgpool-state.jsonl")) {
        continue;
      }
      assertCompleteJpeg(file, 1200, 600);
      whole++;
    }
    assertTrue(whole < 200, "the kill came too late to test anything: " + whole + " outputs");

    // The same command again: temporaries swept, the tree completed.
    Process rerun = start(command);
    assertEquals(0, finish(rerun, tmp), stderr(tmp));
    assertFalse(TempFiles.containsTemporaries(tmp.resolve("out")));
    JsonNode summary = Runs.summary(report);
    assertEquals(200, summary.get("files").asInt());
    assertEquals(200, summary.get("ok").asInt() + summary.get("skipped").asInt(), summary.toString());

    // An uninterrupted run into another folder makes the same tree, byte for byte (the encoders are deterministic).
    Process reference = start("in", "reference", "-w", "2", "--resize", "1200x1200", "-q");
    assertEquals(0, finish(reference, tmp), stderr(tmp));
    TreeSet<String> resumed = names(tmp.resolve("out"));
    assertEquals(names(tmp.resolve("reference")), resumed);
    assertEquals(201, resumed.size()); // 200 images and the state file
    for (String name : resumed) {
      if (!name.equals(".imgpool-state.jsonl")) {
        assertArrayEquals(Files.readAllBytes(tmp.resolve("reference").resolve(name)),
            Files.readAllBytes(tmp.resolve("out").resolve(name)), name);
      }
    }
  }

  /** Decodes a JPEG, failing on any warning (a truncated JPEG decodes with one), and checks its size and end marker. */
  private static void assertCompleteJpeg(Path file, int width, int height) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    assertTrue(bytes.length > 4 && (bytes[bytes.length - 2] & 0xFF) == 0xFF && (bytes[bytes.length - 1] & 0xFF) == 0xD9,
        file + " does not end with EOI: a partial file under its final name");
    try (ImageInputStream stream = ImageIO.createImageInputStream(new java.io.ByteArrayInputStream(bytes))) {
      ImageReader reader = ImageIO.getImageReaders(stream).next();
      List<String> warnings = new ArrayList<>();
      reader.setInput(stream);
      reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
      BufferedImage image = reader.read(0);
      reader.dispose();
      assertEquals(List.of(), warnings, file.toString());
      assertEquals(width, image.getWidth(), file.toString());
      assertEquals(height, image.getHeight(), file.toString());
    }
  }

  private static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList();
    }
  }

  private static TreeSet<String> names(Path dir) throws IOException {
    TreeSet<String> names = new TreeSet<>();
    for (Path file : list(dir)) {
      names.add(file.getFileName().toString());
    }
    return names;
  }

  // ---------------------------------------------------------------- memory

  /**
   * Eight workers on a 256 MB heap over eight 12-megapixel 16-bit PNGs (decoded whole by the
   * JDK's reader): the decoded pixels alone take 72 MB an image, 576 MB for all eight, and the
   * resize needs more; without the budget this run dies of OutOfMemoryError. The budget
   * (150 MB, 120 MB reserved an image) lets one run at a time, and the rest wait.
   */
  @Test
  void smallHeap_manyWorkersOnLargeImages_finishesWithoutOutOfMemory() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    byte[] large = HostileFiles.flatPng(4000, 3000, 16);
    for (int i = 0; i < 8; i++) {
      Files.write(in.resolve("large-" + i + ".png"), large);
    }
    Process process = start(tmp, List.of(), Map.of(), List.of("-Xmx256m"),
        "in", "out", "-w", "8", "--resize", "600x600", "--report", "r.jsonl");
    assertEquals(0, finish(process, tmp), stderr(tmp));
    Map<String, JsonNode> report = Runs.readReport(tmp.resolve("r.jsonl"));
    assertEquals(8, report.size());
    report.values().forEach(line -> assertEquals("ok", line.get("status").asText(), line.toString()));
    assertFalse(stderr(tmp).contains("OutOfMemoryError"), stderr(tmp));
  }

  // ---------------------------------------------------------------- locale and names

  /**
   * Under LANG=C the JVM decodes file names as ASCII ({@code sun.jnu.encoding} follows the
   * locale, and on JDK 17 {@code -Dsun.jnu.encoding} on the command line is ignored), so
   * non-ASCII names would come out as '?'. The launcher must run the JVM in a UTF-8 locale.
   */
  @Test
  void langC_throughTheLauncher_nonAsciiNamesRoundTrip() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    Files.copy(Runs.TESTDATA.resolve("mixed/a.jpg"), in.resolve("caf\u00e9.jpg"));
    Files.createDirectories(in.resolve("\u65e5\u672c"));
    Files.copy(Runs.TESTDATA.resolve("mixed/b.png"), in.resolve("\u65e5\u672c/\u5199\u771f.png"));
    String before = Runs.treeDigest(in);
    Process process = launch(tmp, Map.of("LANG", "C", "LC_ALL", "C"),
        List.of("sh", LAUNCHER.toString(), "in", "out", "--resize", "100x100", "--report", "r.jsonl"));
    assertEquals(0, finish(process, tmp), stderr(tmp));
    Map<String, JsonNode> report = Runs.readReport(tmp.resolve("r.jsonl"));
    assertEquals(new TreeSet<>(List.of("caf\u00e9.jpg", "\u65e5\u672c/\u5199\u771f.png")), new TreeSet<>(report.keySet()),
        "names mangled under LANG=C: dist/imgpool must run java in a UTF-8 locale (see the class comment)");
    assertTrue(Files.isRegularFile(tmp.resolve("out/caf\u00e9.jpg")));
    assertTrue(Files.isRegularFile(tmp.resolve("out/\u65e5\u672c/\u5199\u771f.png")));
    assertEquals(before, Runs.treeDigest(in));
  }

  /**
   * Started without the launcher under LANG=C, the JVM cannot name the outputs of non-ASCII
   * inputs: each such file fails alone with a hint, the others are processed, nothing crashes.
   */
  @Test
  void langC_javaDirectly_unnameableFilesFailAloneWithAHint() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    Files.copy(Runs.TESTDATA.resolve("mixed/a.jpg"), in.resolve("caf\u00e9.jpg"));
    Files.createDirectories(in.resolve("\u65e5\u672c"));
    Files.copy(Runs.TESTDATA.resolve("mixed/b.png"), in.resolve("\u65e5\u672c/\u5199\u771f.png"));
    Files.copy(Runs.TESTDATA.resolve("mixed/a.jpg"), in.resolve("plain.jpg"));
    Process process = start(tmp, List.of(), Map.of("LANG", "C", "LC_ALL", "C"), List.of(), "in", "out", "--report", "r.jsonl");
    int code = finish(process, tmp);
    Map<String, JsonNode> report = Runs.readReport(tmp.resolve("r.jsonl"));
    assertEquals(3, report.size(), report.toString());
    assertEquals("ok", report.get("plain.jpg").get("status").asText());
    if (System.getProperty("os.name").equals("Linux")) {
      assertEquals(1, code, stderr(tmp));
      for (JsonNode line : report.values()) {
        if (!line.get("input").asText().equals("plain.jpg")) {
          assertEquals("io_error", line.get("reason").asText(), line.toString());
          assertTrue(line.get("error").asText().contains("UTF-8 locale"), line.toString());
        }
      }
    }
  }

  /**
   * A name that is not valid UTF-8 (Latin-1 bytes, say) still reads, since the JVM keeps a
   * listed path's bytes; its output and report name carry U+FFFD where the bad bytes were.
   */
  @Test
  void nonUtf8Name_isProcessedWithReplacementCharacters() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    Process copy = new ProcessBuilder("sh", "-c", "cp \"$1\" \"$2/caf$(printf '\\351').jpg\"", "sh",
        Runs.TESTDATA.resolve("mixed/a.jpg").toAbsolutePath().toString(), in.toString()).start();
    assertEquals(0, copy.waitFor());
    String before = Runs.treeDigest(in);
    Process process = start(tmp, List.of(), Map.of("LANG", "C.UTF-8"), List.of(), "in", "out", "--report", "r.jsonl");
    assertEquals(0, finish(process, tmp), stderr(tmp));
    Map<String, JsonNode> report = Runs.readReport(tmp.resolve("r.jsonl"));
    assertEquals(List.of("caf\ufffd.jpg"), List.copyOf(report.keySet()));
    assertEquals("ok", report.get("caf\ufffd.jpg").get("status").asText());
    assertTrue(Files.isRegularFile(tmp.resolve("out/caf\ufffd.jpg")));
    assertEquals(before, Runs.treeDigest(in));
  }

  // ---------------------------------------------------------------- FIFOs and links

  @Test
  void fifoAndLinkLoops_followingLinks_neverHang() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    Files.copy(Runs.TESTDATA.resolve("mixed/a.jpg"), in.resolve("a.jpg"));
    Process mkfifo = new ProcessBuilder("mkfifo", in.resolve("pipe.jpg").toString()).start();
    assumeTrue(mkfifo.waitFor() == 0, "mkfifo is not available");
    Files.createSymbolicLink(in.resolve("link-to-pipe.png"), Path.of("pipe.jpg"));
    Files.createSymbolicLink(in.resolve("loop"), Path.of("."));
    Files.createSymbolicLink(in.resolve("out-of-input"), Path.of("/"));
    Process process = start("in", "out", "--follow-symlinks", "--report", "r.jsonl");
    assertEquals(0, finish(process, tmp), stderr(tmp));
    Map<String, JsonNode> report = Runs.readReport(tmp.resolve("r.jsonl"));
    assertEquals("ok", report.get("a.jpg").get("status").asText());
    for (String skipped : List.of("pipe.jpg", "link-to-pipe.png", "loop/", "out-of-input/")) {
      assertEquals("skipped", report.get(skipped).get("status").asText(), skipped + ": " + report);
    }
  }

  // ---------------------------------------------------------------- permissions

  /**
   * Unreadable files and folders fail alone; a read-only OUTPUT stops the run with exit 2 and one
   * line; a read-only folder inside OUTPUT fails the files that go there. As root, imgpool runs
   * as nobody.
   */
  @Test
  void permissions_unreadableInputsAndReadOnlyOutput() throws Exception {
    List<String> asUser = List.of();
    if (Runs.isRoot()) {
      Process probe = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "true").start();
      assumeTrue(probe.waitFor() == 0, "running as root and setpriv cannot drop to nobody: permission bits would not apply");
      asUser = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");
    }
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path in = Files.createDirectories(tmp.resolve("in"));
    Files.copy(Runs.TESTDATA.resolve("mixed/a.jpg"), in.resolve("a.jpg"));
    Path locked = Files.copy(Runs.TESTDATA.resolve("mixed/a.jpg"), in.resolve("locked.jpg"));
    Path lockedFolder = Files.createDirectories(in.resolve("locked-folder"));
    Files.copy(Runs.TESTDATA.resolve("mixed/a.jpg"), lockedFolder.resolve("inside.jpg"));
    Files.createDirectories(in.resolve("sub"));
    Files.copy(Runs.TESTDATA.resolve("mixed/b.png"), in.resolve("sub/b.png"));
    String before = Runs.treeDigest(in);
    Path work = Files.createDirectories(tmp.resolve("work"));
    Path readOnlyOut = Files.createDirectories(work.resolve("read-only-out"));
    Path readOnlySub = Files.createDirectories(work.resolve("out-with-read-only-sub/sub"));
    try (Stream<Path> all = Files.walk(tmp)) {
      for (Path path : (Iterable<Path>) all::iterator) {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
      }
    }
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.setPosixFilePermissions(work.resolve("out-with-read-only-sub"), PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
    Files.setPosixFilePermissions(lockedFolder, PosixFilePermissions.fromString("---------"));
    Files.setPosixFilePermissions(readOnlyOut, PosixFilePermissions.fromString("r-xr-xr-x"));
    Files.setPosixFilePermissions(readOnlySub, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      Process run = start(work, asUser, Map.of(), List.of(), "../in", "out", "--report", "r.jsonl");
      assertEquals(1, finish(run, work), stderr(work));
      Map<String, JsonNode> report = Runs.readReport(work.resolve("r.jsonl"));
      assertEquals("ok", report.get("a.jpg").get("status").asText(), stderr(work));
      assertEquals("io_error", report.get("locked.jpg").get("reason").asText());
      assertEquals("cannot read: permission denied", report.get("locked.jpg").get("error").asText());
      assertEquals("io_error", report.get("locked-folder/").get("reason").asText());
      assertEquals("cannot list folder: permission denied", report.get("locked-folder/").get("error").asText());
      assertEquals("ok", report.get("sub/b.png").get("status").asText());

      Process readOnly = start(work, asUser, Map.of(), List.of(), "../in", "read-only-out");
      assertEquals(2, finish(readOnly, work), stderr(work));
      assertEquals("imgpool: OUTPUT read-only-out is not writable", stderr(work).strip());

      Process readOnlyInside = start(work, asUser, Map.of(), List.of(), "../in", "out-with-read-only-sub", "--report", "r2.jsonl");
      assertEquals(1, finish(readOnlyInside, work), stderr(work));
      Map<String, JsonNode> second = Runs.readReport(work.resolve("r2.jsonl"));
      assertEquals("ok", second.get("a.jpg").get("status").asText());
      JsonNode blocked = second.get("sub/b.png");
      assertEquals("io_error", blocked.get("reason").asText(), blocked.toString());
      Runs.assertReadable("sub/b.png", blocked);
      assertTrue(blocked.get("error").asText().startsWith("cannot write sub/b.png"), blocked.toString());

      Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rw-r--r--"));
      Files.setPosixFilePermissions(lockedFolder, PosixFilePermissions.fromString("rwxr-xr-x"));
      assertEquals(before, Runs.treeDigest(in), "INPUT changed");
    } finally {
      Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rw-r--r--"));
      Files.setPosixFilePermissions(lockedFolder, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.setPosixFilePermissions(readOnlyOut, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.setPosixFilePermissions(readOnlySub, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }
}
