package dev.imgpool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * dist/imgpool's class-data archive follows the jar: a copy of dist/ whose jar got a new time
 * would otherwise start without any archive, silently. Whether the JVM really maps the archive
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
  void copiedDist_makesItsArchiveOnceAndAgainForAChangedJar() throws Exception {
    Path dist = Files.createDirectories(tmp.resolve("dist"));
    for (String name : List.of("imgpool", "imgpool.jar", "imgpool.classlist")) {
      Files.copy(JAR.resolveSibling(name), dist.resolve(name));
    }
    Files.setLastModifiedTime(dist.resolve("imgpool.jar"), FileTime.fromMillis(1_600_000_000_000L));

    Run first = run(dist);
    assertEquals(0, first.code(), first.stderr());
    assertTrue(first.stderr().contains(MAKING), first.stderr());
    assertTrue(first.stdout().contains(FROM_ARCHIVE), "the new archive is not used");
    assertTrue(Files.isRegularFile(dist.resolve("imgpool.jsa.stamp")));
    assertEquals(List.of("imgpool", "imgpool.classlist", "imgpool.jar", "imgpool.jsa", "imgpool.jsa.stamp"),
        listing(dist), "temporary files left behind");

    Run second = run(dist);
    assertEquals(0, second.code(), second.stderr());
    assertFalse(second.stderr().contains(MAKING), "made again for the same jar: " + second.stderr());
    assertTrue(second.stdout().contains(FROM_ARCHIVE));

    Files.setLastModifiedTime(dist.resolve("imgpool.jar"), FileTime.fromMillis(1_700_000_000_000L));
    Run changed = run(dist);
    assertEquals(0, changed.code(), changed.stderr());
    assertTrue(changed.stderr().contains(MAKING), "not made again for a jar with a new time");
    assertTrue(changed.stdout().contains(FROM_ARCHIVE), "the archive made for the old jar is used, or none");
  }

  private record Run(int code, String stdout, String stderr) {}

  private Run run(Path dist) throws IOException, InterruptedException {
    Path out = tmp.resolve("stdout.txt");
    Path err = tmp.resolve("stderr.txt");
    ProcessBuilder builder = new ProcessBuilder("sh", dist.resolve("imgpool").toString(), "--version")
        .redirectOutput(out.toFile())
        .redirectError(err.toFile());
    builder.environment().put("IMGPOOL_JAVA_OPTS", "-Xlog:class+load=info:stdout");
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
