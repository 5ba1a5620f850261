package dev.imgpool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory stays flat in the number of files: dist/imgpool, with the JVM options it gives users, over
 * 10,000 and then 100,000 tiny images, peak RSS read from /proc while it runs (the launcher execs
 * java, so the process is the JVM).
 */
@Tag("process")
@Timeout(600)
class ScaleTest {
  private static final Path JAR = Path.of(System.getProperty("imgpool.jar", "dist/imgpool.jar")).toAbsolutePath();
  private static final Path LAUNCHER = JAR.resolveSibling("imgpool");

  @TempDir Path tmp;

  private record Measure(long peakRssKb, double seconds, int exitCode) {}

  private static void makeTree(Path root, int files) throws IOException {
    BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
    for (int i = 0; i < 256; i++) {
      image.setRGB(i % 16, i / 16, i * 0x010203);
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(image, "png", png);
    byte[] bytes = png.toByteArray();
    for (int i = 0; i < files; i++) {
      Path folder = root.resolve(String.format(Locale.ROOT, "d%03d", i % 500));
      if (i < 500) {
        Files.createDirectories(folder);
      }
      Files.write(folder.resolve(String.format(Locale.ROOT, "img%06d.png", i)), bytes);
    }
  }

  private Measure run(Path in, Path out, Path report) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder("sh", LAUNCHER.toString(), in.toString(), out.toString(),
                "-w", "2", "--resize", "8x8", "-q", "--report", report.toString())
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("log.txt").toFile());
    builder.environment().remove("IMGPOOL_JAVA_OPTS"); // the launcher's own options
    Process process = builder.start();
    long start = System.nanoTime();
    long peak = 0;
    Path status = Path.of("/proc", Long.toString(process.pid()), "status");
    while (!process.waitFor(100, TimeUnit.MILLISECONDS)) {
      try {
        for (String line : Files.readAllLines(status, StandardCharsets.UTF_8)) {
          if (line.startsWith("VmHWM:")) {
            peak = Math.max(peak, Long.parseLong(line.replaceAll("[^0-9]", "")));
          }
        }
      } catch (IOException exited) {
        // the process ended between waitFor and the read
      }
    }
    return new Measure(peak, (System.nanoTime() - start) / 1e9, process.exitValue());
  }

  @Test
  void run_hundredThousandTinyImages_memoryStaysFlat() throws Exception {
    Path small = tmp.resolve("small");
    Path large = tmp.resolve("large");
    makeTree(small, 10_000);
    makeTree(large, 100_000);

    Measure tenThousand = run(small, tmp.resolve("out-small"), tmp.resolve("small.jsonl"));
    Measure hundredThousand = run(large, tmp.resolve("out-large"), tmp.resolve("large.jsonl"));

    System.out.printf(Locale.ROOT,
        "scale: 10,000 files: peak RSS %d MB, %.1f s (%.0f files/s); 100,000 files: peak RSS %d MB, %.1f s (%.0f files/s)%n",
        tenThousand.peakRssKb() / 1024, tenThousand.seconds(), 10_000 / tenThousand.seconds(),
        hundredThousand.peakRssKb() / 1024, hundredThousand.seconds(), 100_000 / hundredThousand.seconds());
    assertEquals(0, tenThousand.exitCode(), Files.readString(tmp.resolve("log.txt")));
    assertEquals(0, hundredThousand.exitCode(), Files.readString(tmp.resolve("log.txt")));
    List<String> lines = Files.readAllLines(tmp.resolve("large.jsonl"));
    assertEquals(100_001, lines.size());
    assertTrue(lines.get(100_000).contains("\"ok\":100000"), lines.get(100_000));
    assertTrue(hundredThousand.peakRssKb() < 1.5 * tenThousand.peakRssKb(),
        "peak RSS grew from " + tenThousand.peakRssKb() + " kB to " + hundredThousand.peakRssKb() + " kB");
    assertTrue(hundredThousand.peakRssKb() < 512 * 1024, "peak RSS " + hundredThousand.peakRssKb() + " kB");
  }
}
