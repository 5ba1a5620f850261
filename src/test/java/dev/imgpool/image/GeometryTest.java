package dev.imgpool.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Tests for {@link Geometry}: the output sizes ImageMagick gives for the same geometry. */
class GeometryTest {
  @ParameterizedTest(name = "{0} on {1}x{2} -> {3}x{4}")
  @CsvSource({
    "800x800, 4000, 2250, 800, 450",
    "800x800, 2250, 4000, 450, 800",
    "800x800, 400, 300, 800, 600",
    "800x600^, 4000, 2250, 1067, 600",
    "800x600!, 4000, 2250, 800, 600",
    "800x800>, 400, 300, 400, 300",
    "800x800>, 4000, 2250, 800, 450",
    "800x800<, 4000, 2250, 4000, 2250",
    "800x800<, 400, 300, 800, 600",
    "800x, 4000, 2250, 800, 450",
    "x450, 4000, 2250, 800, 450",
    "50%, 4000, 2250, 2000, 1125",
    "10%, 5, 5, 1, 1",
    "100x100, 10000, 1, 100, 1",
    "333x333, 1000, 999, 333, 333",
  })
  void apply_givesImageMagickSizes(String geometry, int w, int h, int expectedW, int expectedH) {
    assertEquals(new Size(expectedW, expectedH), Geometry.parse(geometry).apply(w, h));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "x", "800", "0x0", "800x0", "axb", "-5x5", "800x600x", "%", "800x600^^", "99999999x1"})
  void parse_badGeometry_isRejectedWithTheText(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Geometry.parse(text));
    assertTrue(e.getMessage().contains("geometry") || e.getMessage().contains("percent"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"800x600", "800x600^", "800x600!", "800x600>", "800x600<", "800x", "x600", "50%"})
  void toString_roundTrips(String text) {
    assertEquals(text, Geometry.parse(text).toString());
  }
}
