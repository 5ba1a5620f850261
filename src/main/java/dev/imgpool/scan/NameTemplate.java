package dev.imgpool.scan;

import dev.imgpool.image.ImageFormat;
import dev.imgpool.image.InputFormats;
import dev.imgpool.image.OutputSpec;
import dev.imgpool.task.ImageTask;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An output file name template: {@code {name}} (input stem), {@code {ext}} (output extension),
 * {@code {w}} and {@code {h}} (output size). The default, {@code {name}.{ext}}, mirrors the input.
 */
public final class NameTemplate {
  public static final String DEFAULT = "{name}.{ext}";
  private static final Pattern FIELD = Pattern.compile("\\{([^{}]*)}");

  private final String text;

  private NameTemplate(String text) {
    this.text = text;
  }

  /**
   * Parses and checks a template.
   *
   * @throws IllegalArgumentException with a one-line message
   */
  public static NameTemplate parse(String text) {
    if (text.isBlank()) {
      throw new IllegalArgumentException("invalid --name '': it is empty");
    }
    if (text.contains("/") || text.contains("\\") || text.contains("\0")) {
      throw new IllegalArgumentException("invalid --name '" + text + "': it may not contain a folder separator");
    }
    Matcher field = FIELD.matcher(text);
    while (field.find()) {
      String key = field.group(1);
      if (!Set.of("name", "ext", "w", "h").contains(key)) {
        throw new IllegalArgumentException(
            "invalid --name '" + text + "': unknown field {" + key + "}; use {name}, {ext}, {w} or {h}");
      }
    }
    if (!text.contains("{name}")) {
      throw new IllegalArgumentException("invalid --name '" + text + "': it needs {name}, or every input would write the same file");
    }
    return new NameTemplate(text);
  }

  /**
   * Checks that the outputs of one input get distinct names.
   *
   * @throws IllegalArgumentException naming the two outputs that would collide
   */
  public void checkDistinct(List<OutputSpec> specs) {
    Set<String> seen = new HashSet<>();
    for (OutputSpec spec : specs) {
      String key =
          text.replace("{name}", "N")
              .replace("{ext}", spec.format().map(ImageFormat::extension).orElse("same"))
              .replace("{w}", spec.geometry().map(Object::toString).orElse("original") + "w")
              .replace("{h}", spec.geometry().map(Object::toString).orElse("original") + "h");
      if (!seen.add(key)) {
        throw new IllegalArgumentException(
            "--name '" + text + "' gives two outputs of one input the same name: add {w}, {h} or {ext}");
      }
    }
  }

  /**
   * The planned name of one output of {@code fileName}; the size and, for "same" on a format
   * that cannot be written, the extension stay as {@link ImageTask} placeholders.
   */
  public String plan(String fileName, OutputSpec spec) {
    int dot = fileName.lastIndexOf('.');
    String stem = dot > 0 ? fileName.substring(0, dot) : fileName;
    String inputExtension = dot > 0 ? fileName.substring(dot + 1) : "";
    String extension;
    if (spec.format().isPresent()) {
      extension = spec.format().get().extension();
    } else if (ImageFormat.byName(InputFormats.extensionOf(fileName)).isPresent()) {
      extension = inputExtension; // mirror the input's own spelling: a.JPEG stays a.JPEG
    } else {
      extension = ImageTask.EXTENSION;
    }
    StringBuilder out = new StringBuilder();
    Matcher field = FIELD.matcher(text);
    while (field.find()) {
      String value =
          switch (field.group(1)) {
            case "name" -> stem;
            case "ext" -> extension;
            case "w" -> ImageTask.WIDTH;
            default -> ImageTask.HEIGHT;
          };
      field.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    field.appendTail(out);
    return out.toString();
  }

  @Override
  public String toString() {
    return text;
  }
}
