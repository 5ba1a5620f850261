package dev.imgpool.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imgpool.io.TempFiles;
import dev.imgpool.task.CancelCause;
import dev.imgpool.task.CancellationToken;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Limits under load, in-process on the test JVM's 1 GB heap: many workers over large images wait
 * on the memory budget instead of running out of heap, and {@code --file-timeout} stops a slow
 * decode while the batch goes on.
 */
@Timeout(180)
class HostileLimitsTest {
  @TempDir Path tmp;

  /**
   * Eight 27-megapixel 16-bit PNGs on eight workers (16-bit goes to the JDK's reader, which holds
   * the whole image; imgpool's own decoder streams 8-bit ones): the decoded pixels alone (6 bytes
   * a pixel, allocated as each decode starts) take 162 MB an image, 1.3 GB for eight on a 1 GB
   * heap, and the resize needs more on top; without the budget this run dies of
   * OutOfMemoryError. The budget (60% of the heap, 10 bytes a pixel reserved here) lets two run
   * at a time, and the rest wait.
   */
  @Test
  void manyWorkersOnLargeImages_waitOnTheBudgetAndAllSucceed() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    byte[] large = HostileFiles.flatPng(6000, 4500, 16);
    for (int i = 0; i < 8; i++) {
      Files.write(in.resolve("large-" + i + ".png"), large);
    }
    Runs.Result run = Runs.run(tmp, "in", "out", "-w", "8", "--resize", "800x800", "--report", "r.jsonl");
    assertEquals(0, run.exitCode(), run.stderr());
    Map<String, JsonNode> report = Runs.readReport(tmp.resolve("r.jsonl"));
    assertEquals(8, report.size());
    for (JsonNode line : report.values()) {
      assertEquals("ok", line.get("status").asText(), line.toString());
      assertEquals(800, line.get("outWidth").asInt());
    }
    assertFalse(run.stderr().contains("OutOfMemoryError"), run.stderr());
    assertFalse(TempFiles.containsTemporaries(tmp.resolve("out")));
  }

  /**
   * A 25-megapixel 16-bit PNG takes far more than 200 ms to decode (it goes to the JDK's reader,
   * which manages well under 100 megapixels a second), the small files far less once the plugins
   * are loaded: the large one is aborted and reported {@code timeout}, the others are processed
   * after it. (An 8-bit flat PNG would not do: imgpool's own decoder shrinks it in a fraction of
   * that time.)
   */
  @Test
  void fileTimeout_slowDecode_isReportedTimeoutAndTheBatchMovesOn() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    Files.write(in.resolve("a-small.png"), HostileFiles.flatPng(64, 64));
    Files.write(in.resolve("b-slow.png"), HostileFiles.flatPng(5000, 5000, 16));
    for (int i = 0; i < 4; i++) {
      Files.copy(Runs.TESTDATA.resolve("mixed/a.jpg"), in.resolve("c-after-" + i + ".jpg"));
    }
    // warm the plugins and the JIT, so the first small file is not the one that runs out of time
    assertEquals(0, Runs.run(tmp, "in/a-small.png", "warm", "-q").exitCode());

    Runs.Result run =
        Runs.run(tmp, "in", "out", "-w", "1", "--file-timeout", "200ms", "--resize", "100x100", "--report", "r.jsonl");
    assertEquals(1, run.exitCode(), run.stderr());
    assertTrue(run.millis() < 30_000, "took " + run.millis() + " ms");
    Map<String, JsonNode> report = Runs.readReport(tmp.resolve("r.jsonl"));
    JsonNode slow = report.get("b-slow.png");
    assertEquals("timeout", slow.get("status").asText(), slow.toString());
    assertEquals("timeout", slow.get("reason").asText());
    Runs.assertReadable("b-slow.png", slow);
    assertTrue(slow.get("error").asText().contains("--file-timeout"), slow.toString());
    for (String name : new String[] {"a-small.png", "c-after-0.jpg", "c-after-1.jpg", "c-after-2.jpg", "c-after-3.jpg"}) {
      assertEquals("ok", report.get(name).get("status").asText(), report.get(name).toString());
    }
    assertFalse(Files.exists(tmp.resolve("out/b-slow.png")));
    assertFalse(TempFiles.containsTemporaries(tmp.resolve("out")));
  }

  /**
   * A decoder that ignores both {@code abort()} and interrupts: after the file timeout and the
   * pool's 2-second grace its worker is abandoned and replaced, the file is reported
   * {@code timeout}, the other files are processed, and the run ends.
   */
  @Test
  void fileTimeout_decoderIgnoresAbort_isAbandonedAndTheRunEnds() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    Files.write(in.resolve("runaway.sgi"), RunawayReader.file());
    for (int i = 0; i < 4; i++) {
      Files.copy(Runs.TESTDATA.resolve("mixed/a.jpg"), in.resolve("z-after-" + i + ".jpg"));
    }
    RunawayReader.Spi spi = RunawayReader.register();
    try {
      Runs.Result run = Runs.run(tmp, "in", "out", "-w", "1", "--file-timeout", "300ms", "--report", "r.jsonl");
      assertEquals(1, run.exitCode(), run.stderr());
      assertTrue(run.millis() < 20_000, "took " + run.millis() + " ms");
      Map<String, JsonNode> report = Runs.readReport(tmp.resolve("r.jsonl"));
      assertEquals(5, report.size());
      JsonNode stuck = report.get("runaway.sgi");
      assertEquals("timeout", stuck.get("status").asText(), stuck.toString());
      assertEquals("timeout", stuck.get("reason").asText());
      for (int i = 0; i < 4; i++) {
        assertEquals("ok", report.get("z-after-" + i + ".jpg").get("status").asText(), report.toString());
      }
    } finally {
      RunawayReader.unregister(spi);
    }
    assertFalse(Files.exists(tmp.resolve("out/runaway.sgi")));
    assertFalse(TempFiles.containsTemporaries(tmp.resolve("out")));
  }

  /** A cancel (Ctrl-C) while a decoder ignores it: the run still ends, every file reported, exit 130. */
  @Test
  void cancel_whileADecoderIgnoresAbort_theRunStillEnds() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    Files.write(in.resolve("runaway.sgi"), RunawayReader.file());
    for (int i = 0; i < 4; i++) {
      Files.copy(Runs.TESTDATA.resolve("mixed/a.jpg"), in.resolve("z-after-" + i + ".jpg"));
    }
    RunawayReader.Spi spi = RunawayReader.register();
    CancellationToken token = new CancellationToken();
    try {
      CompletableFuture<Runs.Result> run = CompletableFuture.supplyAsync(
          () -> Runs.run(tmp, new ByteArrayInputStream(new byte[0]), token, "in", "out", "-w", "1", "--report", "r.jsonl"));
      assertTrue(RunawayReader.awaitEntered(60), "the runaway decode never started");
      long cancelled = System.nanoTime();
      token.cancel(CancelCause.SIGINT);
      Runs.Result result = run.get(60, TimeUnit.SECONDS);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cancelled);
      assertEquals(130, result.exitCode(), result.stderr());
      assertTrue(millis < 10_000, "took " + millis + " ms to end after the cancel");
      Map<String, JsonNode> report = Runs.readReport(tmp.resolve("r.jsonl"));
      assertEquals(5, report.size());
      assertEquals("cancelled", report.get("runaway.sgi").get("status").asText());
    } finally {
      RunawayReader.unregister(spi);
    }
    assertFalse(TempFiles.containsTemporaries(tmp.resolve("out")));
  }
}
