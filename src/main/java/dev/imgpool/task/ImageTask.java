package dev.imgpool.task;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One input file and where its outputs go.
 *
 * @param sequence position in scan order, from 0
 * @param source the input file
 * @param relativeInput the input path relative to INPUT (or --base), with '/' separators
 * @param sizeBytes the input's size when scanned
 * @param outputDir the folder the outputs go to (created when needed)
 * @param relativeOutputDir {@code outputDir} relative to OUTPUT, with '/' separators, "" at the top
 * @param outputNames one planned file name per output spec, in spec order; the placeholders
 *     {@link #WIDTH}, {@link #HEIGHT} and {@link #EXTENSION} may remain where they depend on the
 *     decoded image
 */
public record ImageTask(
    long sequence,
    Path source,
    String relativeInput,
    long sizeBytes,
    Path outputDir,
    String relativeOutputDir,
    List<String> outputNames) {

  /** Stands for the output width in a planned name; NUL cannot occur in a real file name. */
  public static final String WIDTH = "\0w";
  /** Stands for the output height in a planned name. */
  public static final String HEIGHT = "\0h";
  /** Stands for an extension chosen after decoding (png with alpha, jpg otherwise). */
  public static final String EXTENSION = "\0e";

  public ImageTask {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(relativeInput, "relativeInput");
    Objects.requireNonNull(outputDir, "outputDir");
    Objects.requireNonNull(relativeOutputDir, "relativeOutputDir");
    outputNames = List.copyOf(outputNames);
  }

  /** Fills the placeholders of a planned name. */
  public static String finishName(String planned, int width, int height, String extension) {
    return planned
        .replace(WIDTH, Integer.toString(width))
        .replace(HEIGHT, Integer.toString(height))
        .replace(EXTENSION, extension);
  }

  /** The output path relative to OUTPUT for a finished name. */
  public String relativeOutput(String finishedName) {
    return relativeOutputDir.isEmpty() ? finishedName : relativeOutputDir + "/" + finishedName;
  }
}
