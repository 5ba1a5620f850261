package dev.imgpool.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FingerprintTest {
  @Test
  void valuesAreStableAcrossVersions() {
    // State files written by earlier runs hold these; a change would redo every output once.
    assertEquals("efd01f60ba992926", Fingerprint.hex(""));
    assertEquals("ca383340a1c95fd5", Fingerprint.hex("800x800|q85"));
  }

  @Test
  void hexIsSixteenLowerCaseDigitsOfTheLongValue() {
    String text = "fit 800x800|q85|lfalse";
    String hex = Fingerprint.hex(text);
    assertTrue(hex.matches("[0-9a-f]{16}"), hex);
    assertEquals(Fingerprint.of(text), Long.parseUnsignedLong(hex, 16));
  }

  @Test
  void nearbyOptionSetsAndNamesGetDistinctValues() {
    Set<Long> seen = new HashSet<>();
    for (int quality = 0; quality <= 100; quality++) {
      for (String size : new String[] {"800x800", "800x801", "801x800", "80x800"}) {
        assertTrue(seen.add(Fingerprint.of(size + "|q" + quality)), size + " q" + quality);
      }
    }
    for (int i = 0; i < 100_000; i++) {
      assertTrue(seen.add(Fingerprint.of("photos/img" + i + ".jpg")), "img" + i);
    }
    assertNotEquals(Fingerprint.of("é"), Fingerprint.of("e\u0301"), "UTF-8 bytes, not normalised");
  }
}
