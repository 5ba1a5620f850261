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
      BufferedImage upright = Pixels.toPackedRgb(decoded.image());
      upright = Pixels.orient(upright, decoded.orientation());
      upright = Pixels.orient(upright, Pixels.orientationForRotation(options.rotate()));
      boolean alpha = Pixels.usesAlpha(upright);
      String inputExtension = InputFormats.extensionOf(task.source().getFileName().toString());
      List<OutputFile> written = new ArrayList<>();
      Renderings renderings = new Renderings(upright);
      OutputFile[] outputs = new OutputFile[options.outputs().size()];
      for (int i : largestFirst(upright)) {
        if (control.isAborted() || Thread.currentThread().isInterrupted()) {
          throw new InterruptedException("aborted");
        }
        OutputSpec spec = options.outputs().get(i);
        BufferedImage out = renderings.render(spec.geometry());
        // "same": the input's format where it can be written, else png with alpha and jpg without
        ImageFormat format = spec.format().or(() -> ImageFormat.byName(inputExtension))
            .orElse(alpha ? ImageFormat.PNG : ImageFormat.JPG);
        String name = ImageTask.finishName(task.outputNames().get(i), out.getWidth(), out.getHeight(), format.extension());
        Path target = task.outputDir().resolve(name);
        String relative = task.relativeOutput(name);
        if (options.ifExists() == IfExists.FAIL && Files.exists(target)) {
          throw new ImageFailure(Reason.EXISTS, "output " + relative + " exists (--if-exists fail)");
        }
        BufferedImage encodable = format.supportsAlpha() ? out : Pixels.flatten(out, options.background());
        long bytes = write(encodable, format, target, relative, control);
        if (bytes < 0) {
          throw new InterruptedException("aborted before commit");
        }
        recordState(relative);
        outputs[i] = new OutputFile(relative, encodable.getWidth(), encodable.getHeight(), bytes);
      }
      written.addAll(List.of(outputs));
      List<String> warnings = new ArrayList<>(decoded.warnings());
      if (decoded.frames() > 1) {
        warnings.add("only the first of " + decoded.frames() + " frames was used");
      }
      return new TaskResult(
          task.relativeInput(), Status.OK, null, null, decoded.width(), decoded.height(), task.sizeBytes(),
          written, warnings, decoded.frames() > 1 ? decoded.frames() : 0, millisSince(start));
    } catch (IOException e) {
      throw new ImageFailure(Reason.IO_ERROR, "cannot process: " + Decoder.describe(e), e);
    } finally {
      decoder.release(decoded);
    }
  }

  /**
   * The resized images of one input, shared by its outputs: outputs that differ only in format
   * reuse one resize, and a smaller size is made from a larger one already made when that one
   * still has at least twice the pixels per side, which keeps the resampler's quality.
   */
  private final class Renderings {
    private final BufferedImage upright;
    private final Map<Optional<Geometry>, BufferedImage> made = new HashMap<>();

    Renderings(BufferedImage upright) {
      this.upright = upright;
    }

    BufferedImage render(Optional<Geometry> geometry) throws IOException {
      BufferedImage cached = made.get(geometry);
      if (cached != null) {
        return cached;
      }
      BufferedImage result;
      if (geometry.isEmpty()) {
        result = upright;
      } else {
        Geometry g = geometry.get();
        Size size = g.apply(upright.getWidth(), upright.getHeight());
        BufferedImage resized = Resizer.resize(sourceFor(size), size);
        result = options.crop() && g.isCroppable()
            ? Resizer.crop(resized, new Size(g.width(), g.height()), options.gravity())
            : resized;
      }
      made.put(geometry, result);
      return result;
    }

    private BufferedImage sourceFor(Size target) {
      BufferedImage best = upright;
      for (Map.Entry<Optional<Geometry>, BufferedImage> entry : made.entrySet()) {
        BufferedImage candidate = entry.getValue();
        boolean uncropped = entry.getKey().map(g -> !(options.crop() && g.isCroppable())).orElse(true);
        if (uncropped
            && candidate.getWidth() >= 2 * target.width()
            && candidate.getHeight() >= 2 * target.height()
            && (long) candidate.getWidth() * candidate.getHeight() < (long) best.getWidth() * best.getHeight()) {
          best = candidate;
        }
      }
      return best;
    }
  }

  /** Output indices, the largest output first, so smaller sizes can be made from larger ones. */
  private List<Integer> largestFirst(BufferedImage upright) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < options.outputs().size(); i++) {
      order.add(i);
    }
    order.sort(
        Comparator.comparingLong(
            (Integer i) -> -options.outputs().get(i).geometry()
                .map(g -> g.apply(upright.getWidth(), upright.getHeight()).pixels())
                .orElse((long) upright.getWidth() * upright.getHeight())));
    return order;
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

  private long write(BufferedImage image, ImageFormat format, Path target, String relative, TaskControl control)
      throws ImageFailure {
    try {
      return tempFiles.writeAtomically(
          target,
          out -> Encoder.write(image, format, options.quality(), options.lossless(), out),
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
