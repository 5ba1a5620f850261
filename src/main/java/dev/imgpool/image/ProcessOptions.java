package dev.imgpool.image;

import java.awt.Color;
import java.util.List;
import java.util.Objects;

/**
 * Everything the image stages need to know, frozen for the whole run.
 *
 * @param outputs the outputs to make from each input (several: one decode fans out)
 * @param quality 1-100 for lossy formats
 * @param lossless lossless WebP
 * @param background fill for transparency in formats without alpha
 * @param autoOrient apply the EXIF orientation
 * @param rotate clockwise degrees after orientation: 0, 90, 180 or 270
 * @param crop crop {@code WxH^} outputs to exactly WxH
 * @param gravity where the crop window sits
 * @param limits what a decode may cost
 * @param ifExists policy for outputs already there
 * @param strip drop metadata: no ICC profile in the outputs
 * @param fingerprint a digest of the options that shape the outputs, for {@code --if-exists update}
 */
public record ProcessOptions(
    List<OutputSpec> outputs,
    int quality,
    boolean lossless,
    Color background,
    boolean autoOrient,
    int rotate,
    boolean crop,
    Gravity gravity,
    DecodeLimits limits,
    IfExists ifExists,
    boolean strip,
    String fingerprint) {

  public ProcessOptions {
    outputs = List.copyOf(outputs);
    if (outputs.isEmpty()) {
      throw new IllegalArgumentException("outputs must not be empty");
    }
    if (quality < 1 || quality > 100) {
      throw new IllegalArgumentException("quality (" + quality + ") must be within 1-100");
    }
    if (rotate != 0 && rotate != 90 && rotate != 180 && rotate != 270) {
      throw new IllegalArgumentException("rotate (" + rotate + ") must be 0, 90, 180 or 270");
    }
    Objects.requireNonNull(background, "background");
    Objects.requireNonNull(gravity, "gravity");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(ifExists, "ifExists");
    Objects.requireNonNull(fingerprint, "fingerprint");
  }
}
