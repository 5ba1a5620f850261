package dev.imgpool.cli;

import java.awt.Color;
import java.util.Locale;
import java.util.Map;

/** Parses a colour given as a CSS-like name or as {@code #rgb} / {@code #rrggbb}. */
final class Colors {
  private static final Map<String, Color> NAMES =
      Map.of(
          "white", Color.WHITE,
          "black", Color.BLACK,
          "gray", Color.GRAY,
          "grey", Color.GRAY,
          "red", Color.RED,
          "green", new Color(0, 128, 0),
          "blue", Color.BLUE,
          "yellow", Color.YELLOW);

  private Colors() {}

  static Color parse(String text) {
    String key = text.trim().toLowerCase(Locale.ROOT);
    Color named = NAMES.get(key);
    if (named != null) {
      return named;
    }
    String hex = key.startsWith("#") ? key.substring(1) : key;
    if (hex.length() == 3) {
      hex = "" + hex.charAt(0) + hex.charAt(0) + hex.charAt(1) + hex.charAt(1) + hex.charAt(2) + hex.charAt(2);
    }
    if (hex.matches("[0-9a-f]{6}")) {
      return new Color(Integer.parseInt(hex, 16));
    }
    throw new IllegalArgumentException("invalid colour '" + text + "': expected a name such as white or a hex value such as #ffcc00");
  }
}
