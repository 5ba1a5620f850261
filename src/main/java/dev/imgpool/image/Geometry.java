package dev.imgpool.image;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A resize request in ImageMagick's geometry language: {@code WxH} fit inside, {@code WxH^} fill
 * (cover), {@code WxH!} exact, {@code WxH>} only shrink, {@code WxH<} only enlarge, {@code Wx}
 * or {@code xH} one side, {@code N%} scale.
 *
 * @param width target width, 0 when only the height is given
 * @param height target height, 0 when only the width is given
 * @param percent scale in percent for the {@code N%} form, else 0
 * @param mode how the box is applied
 */
public record Geometry(int width, int height, double percent, Mode mode) {

  /** How a geometry applies its box. */
  public enum Mode {
    FIT(""),
    FILL("^"),
    EXACT("!"),
    SHRINK_ONLY(">"),
    ENLARGE_ONLY("<"),
    PERCENT("%");

    private final String flag;

    Mode(String flag) {
      this.flag = flag;
    }
  }

  /** Target side lengths are capped so a typo cannot ask for a gigapixel output. */
  public static final int MAX_SIDE = 65_535;

  private static final Pattern BOX = Pattern.compile("(\\d{1,6})?x(\\d{1,6})?([\\^!<>])?");
  private static final Pattern PERCENT_FORM = Pattern.compile("(\\d{1,4}(?:\\.\\d{1,4})?)%");

  public Geometry {
    if (mode == Mode.PERCENT) {
      if (!(percent > 0) || percent > 10_000) {
        throw new IllegalArgumentException("percent (" + percent + ") must be above 0 and at most 10000");
      }
    } else {
      if (width < 0 || height < 0 || (width == 0 && height == 0)) {
        throw new IllegalArgumentException("a geometry needs a width or a height");
      }
      if (width > MAX_SIDE || height > MAX_SIDE) {
        throw new IllegalArgumentException("a side may be at most " + MAX_SIDE + " pixels");
      }
    }
  }

  /**
   * Parses a geometry such as {@code 800x600}, {@code 800x600^}, {@code 800x}, {@code x600} or
   * {@code 50%}.
   *
   * @throws IllegalArgumentException with a message fit for a user, naming the text
   */
  public static Geometry parse(String text) {
    String trimmed = text.trim().toLowerCase(Locale.ROOT);
    Matcher percent = PERCENT_FORM.matcher(trimmed);
    if (percent.matches()) {
      return new Geometry(0, 0, Double.parseDouble(percent.group(1)), Mode.PERCENT);
    }
    Matcher box = BOX.matcher(trimmed);
    if (!box.matches() || (box.group(1) == null && box.group(2) == null)) {
      throw new IllegalArgumentException(
          "invalid geometry '" + text + "': expected WxH, WxH^, WxH!, WxH>, WxH<, Wx, xH or N%");
    }
    int w = box.group(1) == null ? 0 : Integer.parseInt(box.group(1));
    int h = box.group(2) == null ? 0 : Integer.parseInt(box.group(2));
    if ((box.group(1) != null && w == 0) || (box.group(2) != null && h == 0)) {
      throw new IllegalArgumentException("invalid geometry '" + text + "': a side must be at least 1 pixel");
    }
    Mode mode =
        switch (box.group(3) == null ? "" : box.group(3)) {
          case "^" -> Mode.FILL;
          case "!" -> Mode.EXACT;
          case ">" -> Mode.SHRINK_ONLY;
          case "<" -> Mode.ENLARGE_ONLY;
          default -> Mode.FIT;
        };
    try {
      return new Geometry(w, h, 0, mode);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid geometry '" + text + "': " + e.getMessage(), e);
    }
  }

  /** The output size for a source of {@code srcWidth} x {@code srcHeight}. */
  public Size apply(int srcWidth, int srcHeight) {
    if (srcWidth < 1 || srcHeight < 1) {
      throw new IllegalArgumentException("source size " + srcWidth + "x" + srcHeight + " is empty");
    }
    return switch (mode) {
      case PERCENT -> scaled(srcWidth, srcHeight, percent / 100.0, percent / 100.0);
      case EXACT -> new Size(
          width == 0 ? srcWidth : width, height == 0 ? srcHeight : height);
      case FIT -> uniform(srcWidth, srcHeight, false);
      case FILL -> uniform(srcWidth, srcHeight, true);
      case SHRINK_ONLY -> {
        Size fit = uniform(srcWidth, srcHeight, false);
        yield fit.width() < srcWidth || fit.height() < srcHeight ? fit : new Size(srcWidth, srcHeight);
      }
      case ENLARGE_ONLY -> {
        Size fit = uniform(srcWidth, srcHeight, false);
        yield fit.width() > srcWidth || fit.height() > srcHeight ? fit : new Size(srcWidth, srcHeight);
      }
    };
  }

  /** True for {@code WxH^} with both sides given: the only form {@code --crop} applies to. */
  public boolean isCroppable() {
    return mode == Mode.FILL && width > 0 && height > 0;
  }

  private Size uniform(int srcWidth, int srcHeight, boolean cover) {
    double sx = width == 0 ? Double.NaN : (double) width / srcWidth;
    double sy = height == 0 ? Double.NaN : (double) height / srcHeight;
    double scale;
    if (Double.isNaN(sx)) {
      scale = sy;
    } else if (Double.isNaN(sy)) {
      scale = sx;
    } else {
      scale = cover ? Math.max(sx, sy) : Math.min(sx, sy);
    }
    Size size = scaled(srcWidth, srcHeight, scale, scale);
    // The limiting side lands exactly on the box, as ImageMagick's does, whatever the rounding.
    if (!cover && !Double.isNaN(sx) && (Double.isNaN(sy) || sx <= sy)) {
      size = new Size(width, size.height());
    } else if (!cover && !Double.isNaN(sy)) {
      size = new Size(size.width(), height);
    }
    return size;
  }

  private static Size scaled(int srcWidth, int srcHeight, double sx, double sy) {
    long w = Math.max(1, Math.round(srcWidth * sx));
    long h = Math.max(1, Math.round(srcHeight * sy));
    return new Size((int) Math.min(w, MAX_SIDE), (int) Math.min(h, MAX_SIDE));
  }

  @Override
  public String toString() {
    if (mode == Mode.PERCENT) {
      return (percent == Math.rint(percent) ? Integer.toString((int) percent) : Double.toString(percent)) + "%";
    }
    return (width == 0 ? "" : Integer.toString(width)) + "x" + (height == 0 ? "" : Integer.toString(height)) + mode.flag;
  }
}
