package dev.imgpool.image;

/** A width and a height in pixels. */
public record Size(int width, int height) {
  public Size {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("size " + width + "x" + height + " must be at least 1x1");
    }
  }

  public long pixels() {
    return (long) width * height;
  }

  @Override
  public String toString() {
    return width + "x" + height;
  }
}
