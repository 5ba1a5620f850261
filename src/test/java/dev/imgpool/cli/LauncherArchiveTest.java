package dev.imgpool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * dist/imgpool's class-data archive follows the jar: a copy of dist/ whose jar got a new time,
 * or that was moved elsewhere, would otherwise start without any archive, silently. Whether the JVM really maps the archive
 * is read from its class-loading log: archived classes come from the "shared objects file".
 */
@Tag("process")
@Timeout(180)
class LauncherArchiveTest {
  private static final Path JAR = Path.of(System.getProperty("imgpool.jar", "dist/imgpool.jar")).toAbsolutePath();
  private static final String MAKING = "making the class-data archive";
  private static final String FROM_ARCHIVE = "picocli.CommandLine source: shared objects file";

  @TempDir Path tmp;

  @Test
  void copiedDist_makesItsArchiveOnce_andAgainForAChangedJarOrAMovedFolder() throws Exception {
    Path dist = freshDist(tmp.resolve("copy/dist"));
    Files.setLastModifiedTime(dist.resolve("imgpool.jar"), FileTime.fromMillis(1_600_000_000_000L));

    Run first = run(dist, true);
    assertEquals(0, first.code(), first.stderr());
    assertTrue(first.stderr().contains(MAKING), first.stderr());
    assertTrue(first.stdout().contains(FROM_ARCHIVE), "the new archive is not used");
    assertEquals(List.of("imgpool", "imgpool.classlist", "imgpool.jar", "imgpool.jsa", "imgpool.jsa.stamp"),
        listing(dist), "temporary files or the lock left behind");

    Run second = run(dist, true);
    assertEquals(0, second.code(), second.stderr());
    assertFalse(second.stderr().contains(MAKING), "made again for the same jar: " + second.stderr());
    assertTrue(second.stdout().contains(FROM_ARCHIVE));

    // the launcher's own JVM options: nothing but the version on stdout, nothing on stderr
    Run plain = run(dist, false);
    assertEquals(0, plain.code(), plain.stderr());
    assertTrue(plain.stdout().matches("imgpool \\S+\\R"), plain.stdout());
    assertEquals("", plain.stderr());

    Files.setLastModifiedTime(dist.resolve("imgpool.jar"), FileTime.fromMillis(1_700_000_000_000L));
    Run changed = run(dist, true);
    assertEquals(0, changed.code(), changed.stderr());
    assertTrue(changed.stderr().contains(MAKING), "not made again for a jar with a new time");
    assertTrue(changed.stdout().contains(FROM_ARCHIVE), "the archive made for the old jar is used, or none");

    // moved with times kept (cp -a, rsync -a, a tarball): the JVM would refuse the archive by the jar's path
    Path moved = Files.createDirectories(tmp.resolve("moved/dist"));
    for (String name : listing(dist)) {
      Files.copy(dist.resolve(name), moved.resolve(name), StandardCopyOption.COPY_ATTRIBUTES);
    }
    Run elsewhere = run(moved, true);
    assertEquals(0, elsewhere.code(), elsewhere.stderr());
    assertTrue(elsewhere.stderr().contains(MAKING), "not made again for a moved folder");
    assertTrue(elsewhere.stdout().contains(FROM_ARCHIVE), "the archive made for the old path is used, or none");
  }

  /**
   * A folder with a space in its path: the archive's path is one argument to java. (JDK 17 then
   * maps the archive but loads imgpool's own classes from the jar, so only the run is checked.)
   */
  @Test
  void distUnderAPathWithASpace_runs() throws Exception {
    Path dist = freshDist(tmp.resolve("my tools/dist"));
    for (int i = 0; i < 2; i++) { // making the archive, then with it
      Run run = run(dist, false);
      assertEquals(0, run.code(), run.stderr());
      assertTrue(run.stdout().matches("imgpool \\S+\\R"), run.stdout());
      assertTrue(Files.isRegularFile(dist.resolve("imgpool.jsa")));
    }
  }

  /** The launcher, the jar and the class list copied to {@code dir}, with new times and no archive. */
  private static Path freshDist(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (String name : List.of("imgpool", "imgpool.jar", "imgpool.classlist")) {
      Files.copy(JAR.resolveSibling(name), dir.resolve(name));
    }
    return dir;
  }

  private record Run(int code, String stdout, String stderr) {}

  /** Runs {@code imgpool --version}, with the JVM's class-load log on stdout when {@code logClasses}. */
  private Run run(Path dist, boolean logClasses) throws IOException, InterruptedException {
    Path out = tmp.resolve("stdout.txt");
    Path err = tmp.resolve("stderr.txt");
    ProcessBuilder builder = new ProcessBuilder("sh", dist.resolve("imgpool").toString(), "--version")
        .redirectOutput(out.toFile())
        .redirectError(err.toFile());
    if (logClasses) {
      builder.environment().put("IMGPOOL_JAVA_OPTS", "-Xlog:class+load=info:stdout");
    } else {
      builder.environment().remove("IMGPOOL_JAVA_OPTS");
    }
    Process process = builder.start();
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "no exit within 120 s");
    return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static List<String> listing(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
