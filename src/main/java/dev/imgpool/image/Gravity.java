package dev.imgpool.image;

import java.util.Locale;

/** Which part of an image a crop keeps. */
public enum Gravity {
  CENTER(0.5, 0.5),
  NORTH(0.5, 0),
  SOUTH(0.5, 1),
  EAST(1, 0.5),
  WEST(0, 0.5),
  NORTHEAST(1, 0),
  NORTHWEST(0, 0),
  SOUTHEAST(1, 1),
  SOUTHWEST(0, 1);

  private final double x;
  private final double y;

  Gravity(double x, double y) {
    this.x = x;
    this.y = y;
  }

  /** The left edge of a {@code cropWidth} window in an image {@code fullWidth} wide. */
  public int left(int fullWidth, int cropWidth) {
    return (int) Math.round((fullWidth - cropWidth) * x);
  }

  /** The top edge of a {@code cropHeight} window in an image {@code fullHeight} high. */
  public int top(int fullHeight, int cropHeight) {
    return (int) Math.round((fullHeight - cropHeight) * y);
  }

  public static Gravity parse(String text) {
    String key = text.trim().toUpperCase(Locale.ROOT).replace("-", "").replace("_", "");
    if (key.equals("CENTRE")) {
      return CENTER;
    }
    try {
      return valueOf(key);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid gravity '" + text + "': expected center, north, south, east, west, northeast, northwest, southeast or southwest");
    }
  }
}
