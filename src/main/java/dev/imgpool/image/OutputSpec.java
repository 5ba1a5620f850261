package dev.imgpool.image;

import java.util.Objects;
import java.util.Optional;

/**
 * One output to make from each input: a size and a format.
 *
 * @param geometry the resize, empty to keep the size
 * @param format the format, empty for "same as the input where it can be written"
 */
public record OutputSpec(Optional<Geometry> geometry, Optional<ImageFormat> format) {
  public OutputSpec {
    Objects.requireNonNull(geometry, "geometry");
    Objects.requireNonNull(format, "format");
  }
}
