package dev.imgpool.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.imgpool.task.MemoryBudget;
import dev.imgpool.task.Reason;
import dev.imgpool.task.TaskControl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded mutations of real files through {@link Decoder}: whatever the bytes, a decode either
 * succeeds or fails with an {@link ImageFailure} whose reason is one of the decoder's and whose
 * message a person can read; nothing else escapes, nothing hangs, no budget is left reserved.
 * A failing case names its seed, so it can be replayed and kept as a fixture.
 */
@Timeout(120)
class DecoderFuzzTest {
  private static final int MUTANTS = 120;
  private static final Set<String> REASONS =
      Set.of(Reason.TOO_LARGE, Reason.TRUNCATED, Reason.CORRUPT, Reason.NOT_AN_IMAGE, Reason.UNSUPPORTED_FORMAT);
  private static final Pattern UNREADABLE =
      Pattern.compile("\\bnull\\b|(^|\\s)(java|javax|sun|com)\\.\\w+|\\w+(Exception|Error)\\b", Pattern.CASE_INSENSITIVE);

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"mixed/a.jpg", "mixed/b.png", "mixed/c.gif", "mixed/d.bmp", "mixed/e.tiff",
      "images/nested/waterfall-portrait.webp", "colour/animated.gif", "orientation/Landscape_6.jpg"})
  void mutatedFile_decodesOrFailsCleanly(String name) throws Exception {
    byte[] original = Files.readAllBytes(Path.of("testdata", name));
    MemoryBudget budget = new MemoryBudget(256L << 20);
    Decoder decoder = new Decoder(DecodeLimits.defaults(), budget);
    Path file = tmp.resolve("mutant-" + Path.of(name).getFileName());
    for (int seed = 0; seed < MUTANTS; seed++) {
      // SplittableRandom spreads neighbouring seeds; java.util.Random's first draws of them are alike
      byte[] bytes = mutate(original, new Random(new SplittableRandom(name.hashCode() * 31L + seed).nextLong()));
      Files.write(file, bytes);
      long start = System.nanoTime();
      try {
        Decoder.Decoded decoded = decoder.decode(file, UnaryOperator.identity(), true, TaskControl.none());
        decoder.release(decoded);
      } catch (ImageFailure failure) {
        String message = failure.getMessage();
        assertTrue(REASONS.contains(failure.reason()), name + " seed " + seed + ": reason " + failure.reason());
        assertFalse(message == null || message.isBlank() || UNREADABLE.matcher(message).find() || message.contains("\n"),
            name + " seed " + seed + ": unreadable message: " + message);
      } catch (Throwable t) {
        fail(name + " seed " + seed + ": escaped the decoder", t);
      }
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(millis < 10_000, name + " seed " + seed + ": took " + millis + " ms");
      assertEquals(budget.capacity(), budget.available(), name + " seed " + seed + ": budget left reserved");
    }
  }

  @Test
  void exifOrientation_ofMutatedHeads_isAlwaysAValidValue() throws Exception {
    byte[] original = Files.readAllBytes(Path.of("testdata/orientation/Landscape_6.jpg"));
    assertEquals(6, ExifOrientation.read(original, original.length));
    Random random = new Random(42);
    for (int i = 0; i < 5000; i++) {
      byte[] bytes = original.clone();
      int limit = Math.min(bytes.length, 512); // the EXIF block
      for (int k = 1 + random.nextInt(4); k > 0; k--) {
        bytes[random.nextInt(limit)] = (byte) random.nextInt(256);
      }
      int length = random.nextInt(10) == 0 ? random.nextInt(limit) : bytes.length;
      int orientation = ExifOrientation.read(bytes, length);
      assertTrue(orientation >= 1 && orientation <= 8, "mutant " + i + ": " + orientation);
    }
  }

  /**
   * One of: a few random bytes changed (most often in the header, where parsers branch), a run of
   * bytes zeroed or set to 0xFF, the file cut, or a slice repeated.
   */
  private static byte[] mutate(byte[] original, Random random) {
    byte[] bytes = original.clone();
    int headerish = Math.min(bytes.length, 256);
    switch (random.nextInt(4)) {
      case 0 -> {
        for (int k = 1 + random.nextInt(6); k > 0; k--) {
          int at = random.nextBoolean() ? random.nextInt(headerish) : random.nextInt(bytes.length);
          bytes[at] = (byte) random.nextInt(256);
        }
      }
      case 1 -> {
        int at = random.nextInt(bytes.length);
        int run = Math.min(bytes.length - at, 1 + random.nextInt(64));
        byte fill = random.nextBoolean() ? 0 : (byte) 0xFF;
        for (int i = 0; i < run; i++) {
          bytes[at + i] = fill;
        }
      }
      case 2 -> bytes = java.util.Arrays.copyOf(bytes, 1 + random.nextInt(bytes.length - 1));
      default -> {
        int at = random.nextInt(bytes.length);
        int run = Math.min(bytes.length - at, 1 + random.nextInt(512));
        byte[] longer = new byte[bytes.length + run];
        System.arraycopy(bytes, 0, longer, 0, at + run);
        System.arraycopy(bytes, at, longer, at + run, bytes.length - at);
        bytes = longer;
      }
    }
    return bytes;
  }
}
