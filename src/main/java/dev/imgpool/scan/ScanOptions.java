package dev.imgpool.scan;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What the scanner walks and keeps.
 *
 * @param inputRoot the folder scanned (or, with a single file as INPUT, that file's folder)
 * @param outputRoot OUTPUT, never scanned even when it lies inside INPUT
 * @param includes keep only paths matching one of these (all paths when empty)
 * @param excludes drop paths matching any of these
 * @param shard the part of the files this run takes
 * @param followSymlinks walk into linked folders and read linked files inside INPUT
 */
public record ScanOptions(
    Path inputRoot, Path outputRoot, List<Glob> includes, List<Glob> excludes, Shard shard, boolean followSymlinks) {

  public ScanOptions {
    Objects.requireNonNull(inputRoot, "inputRoot");
    Objects.requireNonNull(outputRoot, "outputRoot");
    includes = List.copyOf(includes);
    excludes = List.copyOf(excludes);
    Objects.requireNonNull(shard, "shard");
  }

  /** True when the relative path of a file passes the include, exclude and shard filters. */
  boolean selects(String relativePath) {
    if (!includes.isEmpty() && includes.stream().noneMatch(glob -> glob.matches(relativePath))) {
      return false;
    }
    if (excludes.stream().anyMatch(glob -> glob.matches(relativePath))) {
      return false;
    }
    return shard.contains(relativePath);
  }

  /** True when a whole folder is excluded, so it need not be walked. */
  boolean prunes(String relativeDir) {
    return excludes.stream().anyMatch(glob -> glob.matchesEverythingBelow(relativeDir));
  }

  /** True when hidden names are walked: only when an include names them. */
  boolean walksHidden() {
    return includes.stream().anyMatch(Glob::namesHidden);
  }
}
