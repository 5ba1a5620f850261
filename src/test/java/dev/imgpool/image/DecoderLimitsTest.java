package dev.imgpool.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imgpool.hostile.HostileFiles;
import dev.imgpool.task.MemoryBudget;
import dev.imgpool.task.Reason;
import dev.imgpool.task.TaskControl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.FutureTask;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Tests for the limits {@link Decoder} applies before decoding: the memory budget and the header checks. */
@Timeout(60)
class DecoderLimitsTest {
  private static final int MB = 1 << 20;

  @TempDir Path tmp;

  private Path png(String name, int width, int height) throws Exception {
    Path file = tmp.resolve(name);
    Files.write(file, HostileFiles.flatPng(width, height));
    return file;
  }

  @Test
  void decode_imageLargerThanWholeBudget_failsAloneWithTooLarge() throws Exception {
    MemoryBudget budget = new MemoryBudget(4 * MB);
    Decoder decoder = new Decoder(DecodeLimits.defaults(), budget);
    Path big = png("big.png", 1000, 1000); // 8 MB at 8 bytes a pixel
    Path small = png("small.png", 100, 100);

    ImageFailure failure =
        assertThrows(ImageFailure.class, () -> decoder.decode(big, UnaryOperator.identity(), true, TaskControl.none()));
    assertEquals(Reason.TOO_LARGE, failure.reason());
    assertEquals("PNG image of 1000x1000 needs 7 MB of pixel memory, more than the whole budget of 4 MB", failure.getMessage());
    assertEquals(4 * MB, budget.available(), "nothing stays reserved");

    Decoder.Decoded decoded = decoder.decode(small, UnaryOperator.identity(), true, TaskControl.none());
    assertEquals(100, decoded.image().getWidth());
    decoder.release(decoded);
    assertEquals(4 * MB, budget.available());
  }

  @Test
  void decode_whileBudgetIsSpent_waitsForARelease() throws Exception {
    MemoryBudget budget = new MemoryBudget(MB);
    Decoder decoder = new Decoder(DecodeLimits.defaults(), budget);
    Path file = png("a.png", 100, 100); // 80,000 bytes
    budget.reserve(MB - 1000); // another worker holds nearly all of it

    FutureTask<Decoder.Decoded> decode =
        new FutureTask<>(() -> decoder.decode(file, UnaryOperator.identity(), true, TaskControl.none()));
    Thread worker = new Thread(decode, "decode");
    worker.start();
    awaitWaiting(budget, 1);
    assertTrue(!decode.isDone(), "decoded without the memory");

    budget.release(MB - 1000);
    Decoder.Decoded decoded = decode.get();
    assertEquals(100 * 100 * 8, decoded.reservedBytes());
    assertEquals(MB - decoded.reservedBytes(), budget.available());
    decoder.release(decoded);
    assertEquals(MB, budget.available());
  }

  @Test
  void decode_interruptedWhileWaitingForBudget_reservesNothing() throws Exception {
    MemoryBudget budget = new MemoryBudget(MB);
    Decoder decoder = new Decoder(DecodeLimits.defaults(), budget);
    Path file = png("a.png", 100, 100);
    budget.reserve(MB);
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread worker =
        new Thread(
            () -> {
              try {
                decoder.decode(file, UnaryOperator.identity(), true, TaskControl.none());
                outcome.complete(null);
              } catch (Throwable t) {
                outcome.complete(t);
              }
            });
    worker.start();
    awaitWaiting(budget, 1);
    worker.interrupt();
    assertTrue(outcome.get() instanceof InterruptedException, String.valueOf(outcome.get()));
    assertEquals(0, budget.waiting());
    assertEquals(0, budget.available());
    budget.release(MB);
  }

  @Test
  void reservation_followsTheDecodedDepth() throws Exception {
    MemoryBudget budget = new MemoryBudget(64 * MB);
    Decoder decoder = new Decoder(DecodeLimits.defaults(), budget);
    // 16-bit RGB decodes to 6 bytes a pixel, plus the 4-byte packed copy
    Decoder.Decoded deep =
        decoder.decode(Path.of("testdata/colour/rgb16.png"), UnaryOperator.identity(), true, TaskControl.none());
    assertEquals(300L * 200 * 10, deep.reservedBytes());
    decoder.release(deep);
    // A progressive JPEG goes through ImageIO: the floor of 8 bytes a pixel, of the image
    // subsampled by 6 (800x1200 to 134x200, twice the 64x96 output), plus the output's own pixels
    Decoder.Decoded subsampled = decoder.decode(
        Path.of("testdata/images/portrait-progressive.jpg"), full -> new Size(64, 96), true, TaskControl.none());
    assertEquals(134, subsampled.image().getWidth());
    assertEquals(134L * 200 * 8 + 2L * 4 * 64 * 96, subsampled.reservedBytes());
    decoder.release(subsampled);
    // A baseline JPEG is decoded at 1/8 scale in the DCT domain (640x480 to 80x60, still above
    // the 64x48 output): the same per-pixel floor, the output's pixels and the file's bytes
    Decoder.Decoded scaled =
        decoder.decode(Path.of("testdata/mixed/a.jpg"), full -> new Size(64, 48), true, TaskControl.none());
    assertEquals(80, scaled.image().getWidth());
    assertEquals(60, scaled.image().getHeight());
    assertEquals(80L * 60 * 8 + 2L * 4 * 64 * 48 + Files.size(Path.of("testdata/mixed/a.jpg")), scaled.reservedBytes());
    decoder.release(scaled);
    assertEquals(64 * MB, budget.available());
  }

  @Test
  void decode_maxPixelsZero_disablesThePixelLimitButNotTheSideLimit() throws Exception {
    Decoder decoder = new Decoder(new DecodeLimits(0, DecodeLimits.DEFAULT_MAX_SIDE, 10, false), new MemoryBudget(MB));
    Path sideBomb = tmp.resolve("side.png");
    Files.write(sideBomb, HostileFiles.pngBomb(70_000, 1));
    ImageFailure side =
        assertThrows(ImageFailure.class, () -> decoder.decode(sideBomb, UnaryOperator.identity(), true, TaskControl.none()));
    assertEquals(Reason.TOO_LARGE, side.reason());
    assertTrue(side.getMessage().contains("above the limit of 65535"), side.getMessage());
    // 40,000 x 40,000 passes --max-pixels 0, and then meets the memory budget
    Path pixelBomb = tmp.resolve("pixels.png");
    Files.write(pixelBomb, HostileFiles.pngBomb(40_000, 40_000));
    ImageFailure budget =
        assertThrows(ImageFailure.class, () -> decoder.decode(pixelBomb, UnaryOperator.identity(), true, TaskControl.none()));
    assertEquals(Reason.TOO_LARGE, budget.reason());
    assertTrue(budget.getMessage().contains("whole budget"), budget.getMessage());
  }

  @Test
  void decode_gifWithTooManyFrames_failsTooLarge() throws Exception {
    Decoder decoder = new Decoder(new DecodeLimits(0, DecodeLimits.DEFAULT_MAX_SIDE, 10, false), new MemoryBudget(MB));
    Path gif = tmp.resolve("frames.gif");
    Files.write(gif, HostileFiles.gifFrames(11));
    ImageFailure failure =
        assertThrows(ImageFailure.class, () -> decoder.decode(gif, UnaryOperator.identity(), true, TaskControl.none()));
    assertEquals(Reason.TOO_LARGE, failure.reason());
    assertEquals("GIF with 11 frames, above the limit of 10", failure.getMessage());
    Files.write(gif, HostileFiles.gifFrames(10));
    Decoder.Decoded decoded = decoder.decode(gif, UnaryOperator.identity(), true, TaskControl.none());
    assertEquals(10, decoded.frames());
    decoder.release(decoded);
  }

  @Test
  void decode_fifo_isNeverOpened() throws Exception {
    Path fifo = tmp.resolve("pipe.jpg");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    org.junit.jupiter.api.Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo is not available");
    Decoder decoder = new Decoder(DecodeLimits.defaults(), new MemoryBudget(MB));
    ImageFailure failure =
        assertThrows(ImageFailure.class, () -> decoder.decode(fifo, UnaryOperator.identity(), true, TaskControl.none()));
    assertEquals(Reason.NOT_AN_IMAGE, failure.reason());
    assertTrue(failure.getMessage().contains("not opened"), failure.getMessage());
  }

  /** Polls until {@code count} requests wait on the budget; bounded by the class's timeout. */
  static void awaitWaiting(MemoryBudget budget, int count) {
    while (budget.waiting() < count) {
      java.util.concurrent.locks.LockSupport.parkNanos(100_000);
    }
  }
}
