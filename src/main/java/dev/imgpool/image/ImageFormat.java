package dev.imgpool.image;

import java.util.Locale;
import java.util.Optional;

/** The formats imgpool writes. */
public enum ImageFormat {
  JPG("jpg", "jpeg", false, true),
  PNG("png", "png", true, false),
  WEBP("webp", "webp", true, true),
  GIF("gif", "gif", true, false),
  BMP("bmp", "bmp", false, false),
  TIFF("tiff", "tiff", true, false);

  private final String extension;
  private final String imageIoName;
  private final boolean alpha;
  private final boolean lossy;

  ImageFormat(String extension, String imageIoName, boolean alpha, boolean lossy) {
    this.extension = extension;
    this.imageIoName = imageIoName;
    this.alpha = alpha;
    this.lossy = lossy;
  }

  /** The default file extension, without the dot. */
  public String extension() {
    return extension;
  }

  /** The name ImageIO knows the format by. */
  public String imageIoName() {
    return imageIoName;
  }

  public boolean supportsAlpha() {
    return alpha;
  }

  public boolean isLossy() {
    return lossy;
  }

  /** The format a name such as {@code jpg}, {@code JPEG} or {@code tif} stands for. */
  public static Optional<ImageFormat> byName(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "jpg", "jpeg", "jpe", "jfif" -> Optional.of(JPG);
      case "png" -> Optional.of(PNG);
      case "webp" -> Optional.of(WEBP);
      case "gif" -> Optional.of(GIF);
      case "bmp", "dib" -> Optional.of(BMP);
      case "tif", "tiff" -> Optional.of(TIFF);
      default -> Optional.empty();
    };
  }
}
