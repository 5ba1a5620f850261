package dev.imgpool.image;

import dev.imgpool.io.StateStore;
import dev.imgpool.io.TempFiles;
import dev.imgpool.task.ImageTask;
import dev.imgpool.task.MemoryBudget;
import dev.imgpool.task.OutputFile;
import dev.imgpool.task.Reason;
import dev.imgpool.task.Status;
import dev.imgpool.task.TaskControl;
import dev.imgpool.task.TaskResult;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns one {@link ImageTask} into its outputs: decode once, orient, then for each output spec
 * resize, crop, flatten and encode, each written atomically. Every outcome is a
 * {@link TaskResult}; only bugs escape as exceptions.
 *
 * <p>Thread-safe: one instance serves all workers.
 */
public final class ImageProcessor {
  private final ProcessOptions options;
  private final TempFiles tempFiles;
  private final StateStore state;
  private final Decoder decoder;

  public ImageProcessor(ProcessOptions options, TempFiles tempFiles, StateStore state, MemoryBudget budget) {
    this.options = Objects.requireNonNull(options, "options");
    this.tempFiles = Objects.requireNonNull(tempFiles, "tempFiles");
    this.state = Objects.requireNonNull(state, "state");
    this.decoder = new Decoder(options.limits(), Objects.requireNonNull(budget, "budget"));
  }

  public TaskResult process(ImageTask task, TaskControl control) throws InterruptedException {
    long start = System.nanoTime();
    try {
      Optional<TaskResult> early = checkExisting(task);
      if (early.isPresent()) {
        return early.get().withMillis(millisSince(start));
      }
      return make(task, control, start);
    } catch (ImageFailure failure) {
      return TaskResult.failed(task.relativeInput(), Status.FAILED, failure.reason(), failure.getMessage(), millisSince(start));
    }
  }

  private TaskResult make(ImageTask task, TaskControl control, long start) throws ImageFailure, InterruptedException {
    Decoder.Decoded decoded = decoder.decode(task.source(), this::largestNeeded, options.autoOrient(), control);
    try {
      String inputExtension = InputFormats.extensionOf(task.source().getFileName().toString());
      Renderings renderings = new Renderings(decoded.image(), decoded.width(), decoded.height(), decoded.orientation());
      OutputFile[] outputs = new OutputFile[options.outputs().size()];
      for (int i : renderings.largestFirst()) {
        if (control.isAborted() || Thread.currentThread().isInterrupted()) {
          throw new InterruptedException("aborted");
        }
        OutputSpec spec = options.outputs().get(i);
        BufferedImage out = renderings.render(spec.geometry());
        // "same": the input's format where it can be written, else png with alpha and jpg without
        ImageFormat format = spec.format().or(() -> ImageFormat.byName(inputExtension))
            .orElseGet(() -> Pixels.usesAlpha(out) ? ImageFormat.PNG : ImageFormat.JPG);
        String name = ImageTask.finishName(task.outputNames().get(i), out.getWidth(), out.getHeight(), format.extension());
        Path target = task.outputDir().resolve(name);
        String relative = task.relativeOutput(name);
        if (options.ifExists() == IfExists.FAIL && Files.exists(target)) {
          throw new ImageFailure(Reason.EXISTS, "output " + relative + " exists (--if-exists fail)");
        }
        BufferedImage encodable = format.supportsAlpha() ? out : Pixels.flatten(out, options.background());
        long bytes = write(encodable, format, target, relative, control, decoded.hadIccProfile() && !options.strip());
        if (bytes < 0) {
          throw new InterruptedException("aborted before commit");
        }
        recordState(relative);
        outputs[i] = new OutputFile(relative, encodable.getWidth(), encodable.getHeight(), bytes);
      }
      List<String> warnings = new ArrayList<>(decoded.warnings());
      if (decoded.frames() > 1) {
        warnings.add("only the first of " + decoded.frames() + " frames was used");
      }
      return new TaskResult(
          task.relativeInput(), Status.OK, null, null, decoded.width(), decoded.height(), task.sizeBytes(),
          List.of(outputs), warnings, decoded.frames() > 1 ? decoded.frames() : 0, millisSince(start));
    } catch (IOException e) {
      throw new ImageFailure(Reason.IO_ERROR, "cannot process: " + Decoder.describe(e), e);
    } catch (OutOfMemoryError e) {
      // Resizing or encoding a huge image the budget let through: this file fails, the run goes on.
      throw new ImageFailure(Reason.TOO_LARGE, "the image needs more memory than the heap has left (" + decoded.width()
          + "x" + decoded.height() + ")", e);
    } finally {
      decoder.release(decoded);
    }
  }

  /**
   * The outputs' pixels for one input. Resizing happens in the decoded image's own orientation,
   * straight from the decoder's raster, and orientation is applied to the small result: turning
   * a thumbnail costs nothing, turning a 24-megapixel photo costs a full copy. Outputs that
   * differ only in format share one resize, and a smaller size is made from a larger one already
   * made when that one still has at least twice the pixels per side, which keeps the quality.
   */
  private final class Renderings {
    private final BufferedImage decoded;
    private final int orientation;
    private final int rotation;
    private final boolean swapsSides;
    private final int uprightWidth;
    private final int uprightHeight;
    private final Map<Size, BufferedImage> resized = new HashMap<>(); // in the decoded orientation
    private final Map<Optional<Geometry>, BufferedImage> finished = new HashMap<>();

    /**
     * @param fullWidth the width in the file, before any subsampling: sizes are computed from it,
     *     so a subsampled decode gives exactly the size a full one would
     */
    Renderings(BufferedImage decoded, int fullWidth, int fullHeight, int orientation) {
      this.decoded = decoded;
      this.orientation = orientation;
      this.rotation = Pixels.orientationForRotation(options.rotate());
      this.swapsSides = (orientation >= 5) ^ (rotation >= 5);
      this.uprightWidth = swapsSides ? fullHeight : fullWidth;
      this.uprightHeight = swapsSides ? fullWidth : fullHeight;
    }

    BufferedImage render(Optional<Geometry> geometry) throws IOException {
      BufferedImage done = finished.get(geometry);
      if (done != null) {
        return done;
      }
      BufferedImage result;
      if (geometry.isEmpty()) {
        result = upright(decoded);
      } else {
        Geometry g = geometry.get();
        Size size = g.apply(uprightWidth, uprightHeight);
        Size stored = swapsSides ? new Size(size.height(), size.width()) : size;
        BufferedImage small = resized.get(stored);
        if (small == null) {
          small = Resizer.resize(sourceFor(stored), stored);
          resized.put(stored, small);
        }
        result = upright(small);
        if (options.crop() && g.isCroppable()) {
          result = Resizer.crop(result, new Size(g.width(), g.height()), options.gravity());
        }
      }
      finished.put(geometry, result);
      return result;
    }

    private BufferedImage upright(BufferedImage image) {
      BufferedImage packed = Pixels.toPackedRgb(image);
      return Pixels.orient(Pixels.orient(packed, orientation), rotation);
    }

    private BufferedImage sourceFor(Size target) {
      BufferedImage best = decoded;
      for (BufferedImage candidate : resized.values()) {
        if (candidate.getWidth() >= 2 * target.width()
            && candidate.getHeight() >= 2 * target.height()
            && (long) candidate.getWidth() * candidate.getHeight() < (long) best.getWidth() * best.getHeight()) {
          best = candidate;
        }
      }
      return best;
    }

    /** Output indices, the largest output first, so smaller sizes can be made from larger ones. */
    List<Integer> largestFirst() {
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < options.outputs().size(); i++) {
        order.add(i);
      }
      order.sort(
          Comparator.comparingLong(
              (Integer i) -> -options.outputs().get(i).geometry()
                  .map(g -> g.apply(uprightWidth, uprightHeight).pixels())
                  .orElse((long) uprightWidth * uprightHeight)));
      return order;
    }
  }

  /** The largest size any output needs from an upright source of {@code full}. */
  private Size largestNeeded(Size full) {
    Size oriented = options.rotate() == 90 || options.rotate() == 270 ? new Size(full.height(), full.width()) : full;
    int w = 1;
    int h = 1;
    for (OutputSpec spec : options.outputs()) {
      Size size = spec.geometry().map(g -> g.apply(oriented.width(), oriented.height())).orElse(oriented);
      w = Math.max(w, size.width());
      h = Math.max(h, size.height());
    }
    // Subsampling works in the file's own orientation.
    return options.rotate() == 90 || options.rotate() == 270 ? new Size(h, w) : new Size(w, h);
  }

  private long write(
      BufferedImage image, ImageFormat format, Path target, String relative, TaskControl control, boolean tagSrgb)
      throws ImageFailure {
    try {
      return tempFiles.writeAtomically(
          target,
          out -> Encoder.write(image, format, options.quality(), options.lossless(), tagSrgb, out),
          control::beginCommit);
    } catch (FileSystemException e) {
      String why = e.getReason() != null ? e.getReason() : e.getClass().getSimpleName().replace("Exception", "");
      throw new ImageFailure(Reason.IO_ERROR, "cannot write " + relative + ": " + why, e);
    } catch (IOException e) {
      throw new ImageFailure(Reason.IO_ERROR, "cannot write " + relative + ": " + Decoder.describe(e), e);
    }
  }

  private void recordState(String relative) throws IOException {
    state.record(relative, options.fingerprint());
  }

  /**
   * The result when the outputs already there settle the task, for names known before decoding.
   */
  /**
   * What the existing outputs decide for a task without decoding it: skipped, or failed with
   * {@code exists}; empty when it would be processed (or when that depends on the decoded image).
   * For {@code --dry-run}.
   */
  public Optional<TaskResult> settledByExistingOutputs(ImageTask task) {
    try {
      return checkExisting(task);
    } catch (ImageFailure failure) {
      return Optional.of(TaskResult.failed(task.relativeInput(), Status.FAILED, failure.reason(), failure.getMessage(), 0));
    }
  }

  private Optional<TaskResult> checkExisting(ImageTask task) throws ImageFailure {
    if (options.ifExists() == IfExists.OVERWRITE) {
      return Optional.empty();
    }
    List<OutputFile> existing = new ArrayList<>();
    FileTime inputTime;
    try {
      inputTime = Files.getLastModifiedTime(task.source());
    } catch (NoSuchFileException e) {
      throw new ImageFailure(Reason.IO_ERROR, "cannot read: the file vanished after it was scanned", e);
    } catch (IOException e) {
      throw new ImageFailure(Reason.IO_ERROR, "cannot read: " + Decoder.describe(e), e);
    }
    for (String planned : task.outputNames()) {
      if (planned.contains(ImageTask.WIDTH) || planned.contains(ImageTask.HEIGHT)) {
        return Optional.empty(); // the name depends on the decoded size
      }
      if (planned.contains(ImageTask.EXTENSION)) {
        // png or jpg, chosen by alpha: whichever an earlier run wrote
        String png = ImageTask.finishName(planned, 0, 0, ImageFormat.PNG.extension());
        planned = Files.exists(task.outputDir().resolve(png)) ? png
            : ImageTask.finishName(planned, 0, 0, ImageFormat.JPG.extension());
      }
      Path target = task.outputDir().resolve(planned);
      String relative = task.relativeOutput(planned);
      try {
        if (!Files.exists(target)) {
          return Optional.empty();
        }
        if (options.ifExists() == IfExists.FAIL) {
          throw new ImageFailure(Reason.EXISTS, "output " + relative + " exists (--if-exists fail)");
        }
        if (options.ifExists() == IfExists.UPDATE
            && (Files.getLastModifiedTime(target).compareTo(inputTime) < 0
                || !state.fingerprintOf(relative).map(options.fingerprint()::equals).orElse(false))) {
          return Optional.empty();
        }
        existing.add(new OutputFile(relative, 0, 0, Files.size(target)));
      } catch (IOException e) {
        return Optional.empty(); // let the real attempt report what is wrong
      }
    }
    return Optional.of(
        new TaskResult(task.relativeInput(), Status.SKIPPED, null, null, 0, 0, task.sizeBytes(), existing, List.of(), 0, 0));
  }

  private static long millisSince(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }
}
