package dev.imgpool.scan;

import dev.imgpool.image.OutputSpec;
import dev.imgpool.task.ImageTask;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Plans where each input's outputs go and catches collisions before anything is written: two
 * inputs whose outputs would share a name, including names that differ only in case or Unicode
 * normalisation, which collide on macOS and Windows. The second input in scan order fails,
 * naming the first.
 *
 * <p>Names are remembered per output folder; the scanner forgets a folder once its files are
 * planned, so memory is bounded by the largest folder, not the tree. Used by the scanner thread
 * only.
 */
public final class OutputPlanner {
  private final Path outputRoot;
  private final NameTemplate template;
  private final List<OutputSpec> specs;
  private final Map<String, Map<String, String>> claimsByFolder = new HashMap<>();

  /** A planned task, or the collision that stops it. */
  public record Plan(Optional<ImageTask> task, Optional<String> collision) {}

  public OutputPlanner(Path outputRoot, NameTemplate template, List<OutputSpec> specs) {
    this.outputRoot = Objects.requireNonNull(outputRoot, "outputRoot");
    this.template = Objects.requireNonNull(template, "template");
    this.specs = List.copyOf(specs);
  }

  /**
   * Plans the outputs of {@code source}, whose path relative to INPUT is {@code relativeInput}.
   */
  public Plan plan(long sequence, Path source, String relativeInput, long sizeBytes) {
    int slash = relativeInput.lastIndexOf('/');
    String relativeDir = slash < 0 ? "" : relativeInput.substring(0, slash);
    String fileName = relativeInput.substring(slash + 1);
    Path outputDir = relativeDir.isEmpty() ? outputRoot : outputRoot.resolve(relativeDir);
    List<String> names = new ArrayList<>(specs.size());
    List<String> keys = new ArrayList<>();
    for (OutputSpec spec : specs) {
      String name = template.plan(fileName, spec);
      names.add(name);
      if (name.contains(ImageTask.EXTENSION)) {
        // decided after decoding: either may be used, so both are claimed
        keys.add(key(name.replace(ImageTask.EXTENSION, "png")));
        keys.add(key(name.replace(ImageTask.EXTENSION, "jpg")));
      } else {
        keys.add(key(name));
      }
    }
    Map<String, String> claims = claimsByFolder.computeIfAbsent(relativeDir, dir -> new HashMap<>());
    for (String key : keys) {
      String first = claims.get(key);
      if (first != null && !first.equals(relativeInput)) {
        String shown = key.replace(ImageTask.WIDTH, "{w}").replace(ImageTask.HEIGHT, "{h}");
        return new Plan(
            Optional.empty(),
            Optional.of("output " + (relativeDir.isEmpty() ? "" : relativeDir + "/") + shown + " is already planned for " + first));
      }
    }
    for (String key : keys) {
      claims.put(key, relativeInput);
    }
    return new Plan(
        Optional.of(new ImageTask(sequence, source, relativeInput, sizeBytes, outputDir, relativeDir, names)),
        Optional.empty());
  }

  /** Drops the names planned for one output folder: no later input can land in it. */
  public void forgetFolder(String relativeDir) {
    claimsByFolder.remove(relativeDir);
  }

  /** Folders whose names are remembered; for tests of the memory bound. */
  int rememberedFolders() {
    return claimsByFolder.size();
  }

  private static String key(String name) {
    return Normalizer.normalize(name, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
  }
}
