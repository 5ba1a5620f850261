package dev.imgpool.cli;

import dev.imgpool.image.DecodeLimits;
import dev.imgpool.image.Geometry;
import dev.imgpool.image.Gravity;
import dev.imgpool.image.IfExists;
import dev.imgpool.image.ImageFormat;
import dev.imgpool.image.OutputSpec;
import dev.imgpool.image.ProcessOptions;
import dev.imgpool.io.Fingerprint;
import dev.imgpool.scan.Glob;
import dev.imgpool.scan.NameTemplate;
import dev.imgpool.scan.Shard;
import java.awt.Color;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The command line: picocli fields, turned once into {@link BatchOptions} by {@link #toOptions},
 * which holds every cross-option rule. The only class that knows picocli's option annotations.
 */
@Command(
    name = "imgpool",
    mixinStandardHelpOptions = true,
    versionProvider = ImgpoolCommand.Version.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Batch image processor: resizes and converts every image under INPUT into OUTPUT,",
      "mirroring the tree, with a bounded pool of workers.",
    },
    footer = {
      "",
      "Exit codes: 0 all ok or skipped, 1 some files failed, 2 usage error, 3 internal error,",
      "124 --timeout expired, 130 SIGINT, 143 SIGTERM.",
    })
final class ImgpoolCommand implements Callable<Integer> {

  /** Runs a checked set of options; supplied by {@link Main} so tests can capture the streams. */
  interface Runner {
    int run(BatchOptions options) throws UsageException;
  }

  private final Runner runner;

  ImgpoolCommand(Runner runner) {
    this.runner = runner;
  }

  @Parameters(index = "0", paramLabel = "INPUT", description = "A folder (scanned recursively), an image file, or - for a list of paths on stdin.")
  String input;

  @Parameters(index = "1", paramLabel = "OUTPUT", description = "The output folder, created when missing.")
  String output;

  @Option(names = {"-w", "--workers"}, paramLabel = "N", description = "Worker threads (default: available processors).")
  Integer workers;

  @Option(names = "--queue", paramLabel = "N", description = "Task queue capacity (default: 2 x workers).")
  Integer queue;

  @Option(names = "--timeout", paramLabel = "DURATION", description = "Deadline for the whole run: 90s, 5m, 1h30m, PT2M.")
  String timeout;

  @Option(names = "--file-timeout", paramLabel = "DURATION", description = "Limit for one file (default: none).")
  String fileTimeout;

  @Option(names = "--rate", paramLabel = "N/UNIT", description = "Pace task starts: 5/s, 300/m, 1000/h.")
  String rate;

  @Option(names = "--burst", paramLabel = "B", defaultValue = "1", description = "Starts allowed at once with --rate (default: ${DEFAULT-VALUE}).")
  int burst;

  @Option(names = "--fail-fast", description = "Cancel the rest after the first failure.")
  boolean failFast;

  @Option(names = {"-s", "--resize"}, paramLabel = "GEOMETRY", split = ",",
      description = "WxH fit, WxH^ fill, WxH! exact, WxH> shrink only, WxH< enlarge only, Wx, xH, N%%. Repeatable.")
  List<String> resize = new ArrayList<>();

  @Option(names = "--crop", description = "With WxH^: crop to exactly WxH.")
  boolean crop;

  @Option(names = "--gravity", paramLabel = "WHERE", defaultValue = "center", description = "Crop position: center, north, south, east, west, northeast, ... (default: ${DEFAULT-VALUE}).")
  String gravity;

  @Option(names = "--rotate", paramLabel = "DEGREES", defaultValue = "0", description = "Rotate clockwise by 90, 180 or 270 after auto-orientation.")
  int rotate;

  @Option(names = "--no-auto-orient", description = "Do not apply the EXIF orientation.")
  boolean noAutoOrient;

  @Option(names = {"-f", "--format"}, paramLabel = "FMT", split = ",",
      description = "jpg, png, webp, bmp, gif, tiff or same (default). Repeatable or a comma list.")
  List<String> format = new ArrayList<>();

  @Option(names = "--quality", paramLabel = "Q", defaultValue = "85", description = "1-100 for JPEG and WebP (default: ${DEFAULT-VALUE}).")
  int quality;

  @Option(names = "--lossless", description = "Lossless WebP.")
  boolean lossless;

  @Option(names = "--strip", description = "Drop metadata: no ICC profile in the outputs.")
  boolean strip;

  @Option(names = "--background", paramLabel = "COLOR", defaultValue = "white", description = "Fill for transparency in formats without alpha: a name or #rrggbb (default: ${DEFAULT-VALUE}).")
  String background;

  @Option(names = "--include", paramLabel = "GLOB", description = "Only paths matching this glob (relative to INPUT; ** crosses folders). Repeatable.")
  List<String> includes = new ArrayList<>();

  @Option(names = "--exclude", paramLabel = "GLOB", description = "Leave out paths matching this glob. Repeatable.")
  List<String> excludes = new ArrayList<>();

  @Option(names = "--name", paramLabel = "TEMPLATE", defaultValue = NameTemplate.DEFAULT, description = "Output name: {name}, {ext}, {w}, {h} (default: ${DEFAULT-VALUE}).")
  String name;

  @Option(names = "--if-exists", paramLabel = "POLICY", defaultValue = "update", description = "update (default), skip, overwrite or fail.")
  String ifExists;

  @Option(names = "--dry-run", description = "Print the plan and write nothing.")
  boolean dryRun;

  @Option(names = "--shard", paramLabel = "K/N", description = "Only the files whose path hashes to shard K of N.")
  String shard;

  @Option(names = "--base", paramLabel = "DIR", description = "With INPUT -: the folder listed paths are relative to (default: current folder).")
  String base;

  @Option(names = "--follow-symlinks", description = "Follow symbolic links that stay inside INPUT.")
  boolean followSymlinks;

  @Option(names = "--max-pixels", paramLabel = "N", defaultValue = "" + DecodeLimits.DEFAULT_MAX_PIXELS,
      description = "Refuse images above N pixels before decoding; 0 disables (default: ${DEFAULT-VALUE}).")
  long maxPixels;

  @Option(names = "--allow-truncated", description = "Accept truncated files with a warning.")
  boolean allowTruncated;

  @Option(names = "--report", paramLabel = "FILE", description = "JSON Lines report; - for stdout.")
  String report;

  @Option(names = "--html", paramLabel = "FILE", description = "A self-contained HTML page of the run.")
  Path html;

  @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto", description = "auto, always or never (default: ${DEFAULT-VALUE}).")
  String progress;

  @Option(names = {"-q", "--quiet"}, description = "No progress and no summary; errors only.")
  boolean quiet;

  @Option(names = {"-v", "--verbose"}, description = "One line per file.")
  boolean verbose;

  @Override
  public Integer call() throws UsageException {
    return runner.run(toOptions());
  }

  /** Checks every option and every rule between options; the first problem is a usage error. */
  BatchOptions toOptions() throws UsageException {
    try {
      int workerCount = workers != null ? workers : Runtime.getRuntime().availableProcessors();
      if (workerCount < 1 || workerCount > 1024) {
        throw new UsageException("-w/--workers must be between 1 and 1024, not " + workerCount);
      }
      int queueCapacity = queue != null ? queue : 2 * workerCount;
      if (queueCapacity < 1) {
        throw new UsageException("--queue must be at least 1, not " + queueCapacity);
      }
      if (quality < 1 || quality > 100) {
        throw new UsageException("--quality must be between 1 and 100, not " + quality);
      }
      if (rotate != 0 && rotate != 90 && rotate != 180 && rotate != 270) {
        throw new UsageException("--rotate must be 90, 180 or 270, not " + rotate);
      }
      if (burst < 1) {
        throw new UsageException("--burst must be at least 1, not " + burst);
      }
      if (maxPixels < 0) {
        throw new UsageException("--max-pixels must be 0 (no limit) or more, not " + maxPixels);
      }
      if (quiet && verbose) {
        throw new UsageException("cannot use --quiet and --verbose together");
      }
      if (rate == null && burst != 1) {
        throw new UsageException("--burst needs --rate");
      }
      List<Geometry> geometries = new ArrayList<>();
      for (String text : resize) {
        geometries.add(Geometry.parse(text));
      }
      if (crop && geometries.stream().noneMatch(Geometry::isCroppable)) {
        throw new UsageException("--crop needs a fill geometry with both sides, such as --resize 300x200^");
      }
      List<Optional<ImageFormat>> formats = new ArrayList<>();
      for (String text : format) {
        String key = text.trim().toLowerCase(Locale.ROOT);
        if (key.equals("same")) {
          formats.add(Optional.empty());
        } else if (key.equals("avif") || key.equals("jxl") || key.equals("heic")) {
          throw new UsageException("-f/--format " + key + ": no writer for it exists in imgpool; use jpg, png, webp, bmp, gif or tiff");
        } else {
          formats.add(Optional.of(ImageFormat.byName(key).orElseThrow(() -> new IllegalArgumentException(
              "invalid format '" + text + "': expected jpg, png, webp, bmp, gif, tiff or same"))));
        }
      }
      if (formats.isEmpty()) {
        formats.add(Optional.empty());
      }
      if (lossless && formats.stream().noneMatch(f -> f.equals(Optional.of(ImageFormat.WEBP)))) {
        throw new UsageException("--lossless applies to -f webp only");
      }
      List<OutputSpec> specs = new ArrayList<>();
      List<Optional<Geometry>> sizes = new ArrayList<>();
      if (geometries.isEmpty()) {
        sizes.add(Optional.empty());
      } else {
        geometries.forEach(g -> sizes.add(Optional.of(g)));
      }
      for (Optional<Geometry> size : sizes) {
        for (Optional<ImageFormat> f : formats) {
          specs.add(new OutputSpec(size, f));
        }
      }
      NameTemplate template = NameTemplate.parse(name);
      try {
        template.checkDistinct(specs);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
      Gravity gravityValue = Gravity.parse(gravity);
      Color backgroundColor = Colors.parse(background);
      IfExists policy = parseEnum(IfExists.class, ifExists, "--if-exists", "update, skip, overwrite or fail");
      BatchOptions.ProgressMode progressMode =
          parseEnum(BatchOptions.ProgressMode.class, progress, "--progress", "auto, always or never");
      Optional<Duration> deadline = Optional.ofNullable(timeout).map(Durations::parse);
      Optional<Duration> perFile = Optional.ofNullable(fileTimeout).map(Durations::parse);
      Optional<Rate> pace = Optional.ofNullable(rate).map(Rate::parse);
      Shard shardValue = shard == null ? Shard.ALL : Shard.parse(shard);
      List<Glob> includeGlobs = includes.stream().map(Glob::compile).toList();
      List<Glob> excludeGlobs = excludes.stream().map(Glob::compile).toList();
      if (base != null && !input.equals("-")) {
        throw new UsageException("--base applies only when INPUT is - (a list on stdin)");
      }
      DecodeLimits limits =
          new DecodeLimits(maxPixels, DecodeLimits.DEFAULT_MAX_SIDE, DecodeLimits.DEFAULT_MAX_FRAMES, allowTruncated);
      String fingerprint =
          Fingerprint.hex(
              specs + "|q" + quality + "|l" + lossless + "|bg" + backgroundColor.getRGB() + "|o" + !noAutoOrient
                  + "|r" + rotate + "|c" + crop + "|g" + gravityValue + "|s" + strip + "|n" + template);
      ProcessOptions process =
          new ProcessOptions(
              specs, quality, lossless, backgroundColor, !noAutoOrient, rotate, crop, gravityValue, limits, policy,
              strip, fingerprint);
      BatchOptions.Verbosity verbosity =
          quiet ? BatchOptions.Verbosity.QUIET : verbose ? BatchOptions.Verbosity.VERBOSE : BatchOptions.Verbosity.NORMAL;
      long budget = (long) (Runtime.getRuntime().maxMemory() * 0.6);
      return new BatchOptions(
          input, output, base == null ? "" : base, workerCount, queueCapacity, deadline, perFile, pace, burst,
          failFast, process, template, includeGlobs, excludeGlobs, shardValue, followSymlinks, dryRun,
          Optional.ofNullable(report), Optional.ofNullable(html), progressMode, verbosity, budget);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private static <E extends Enum<E>> E parseEnum(Class<E> type, String text, String option, String choices)
      throws UsageException {
    try {
      return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new UsageException(option + " must be " + choices + ", not '" + text + "'");
    }
  }

  /** Reads the version stamped into the jar's manifest. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = ImgpoolCommand.class.getPackage().getImplementationVersion();
      if (version == null) {
        version = System.getProperty("imgpool.version"); // set by the build when it runs Docs
      }
      return new String[] {"imgpool " + (version == null ? "(development build)" : version)};
    }
  }
}
