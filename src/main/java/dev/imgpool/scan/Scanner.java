package dev.imgpool.scan;

import dev.imgpool.image.InputFormats;
import dev.imgpool.io.TempFiles;
import dev.imgpool.task.CancellationToken;
import dev.imgpool.task.ImageTask;
import dev.imgpool.task.Reason;
import dev.imgpool.task.Status;
import dev.imgpool.task.TaskResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Walks INPUT and streams tasks to a sink as it goes: one folder's entries are listed and sorted
 * at a time (files first, then subfolders, by name), so memory follows the largest folder, not
 * the tree, and the order is the same on every run.
 *
 * <p>After a cancel it keeps walking by name only (no file is opened) and reports every image it
 * would have taken as cancelled, so the report still accounts for the whole tree.
 *
 * <p>Symbolic links are left alone unless {@code --follow-symlinks}; then a link that leads out
 * of INPUT, a dangling link and a link back to an enclosing folder (a loop) are each reported as
 * skipped, with the reason in the message, and the walk goes on. FIFOs, sockets and devices are
 * never opened (opening a FIFO blocks); those with an image name are reported as skipped.
 *
 * <p>Not thread-safe: one scanner thread per run.
 */
public final class Scanner {
  private static final Comparator<Entry> BY_NAME = Comparator.comparing(Entry::name);

  private final ScanOptions options;
  private final OutputPlanner planner;
  private final CancellationToken token;
  private final Path outputRoot;
  private volatile long sequence; // written by the scanner thread only; read by the collector
  private volatile boolean stopped; // set from another thread: give up on a list that never ends
  private boolean countOnly; // a walk by name that only counts, for the progress total

  private record Entry(Path path, String name, BasicFileAttributes attributes) {}

  /** An entry that is not walked or read, and why; reported as skipped when it looks like an image or is a folder. */
  private record Skip(String name, boolean folder, String reason, String message) {}

  private Path inputReal; // INPUT with links resolved, for --follow-symlinks; null until needed

  public Scanner(ScanOptions options, OutputPlanner planner, CancellationToken token) {
    this.options = Objects.requireNonNull(options, "options");
    this.planner = Objects.requireNonNull(planner, "planner");
    this.token = Objects.requireNonNull(token, "token");
    this.outputRoot = options.outputRoot().toAbsolutePath().normalize();
  }

  /**
   * Stops reading a list: after a cancel, a list on a pipe that stays open would otherwise hold
   * the run until the pipe closes. Lines not read yet are not reported.
   */
  public void stop() {
    stopped = true;
  }

  /** Tasks and settled results found so far. */
  public long count() {
    return sequence;
  }

  /** Walks the input folder. */
  public void scanTree(TaskSink sink) throws InterruptedException, IOException {
    walk(options.inputRoot(), "", sink, startVisited());
  }

  /** The folders on the current path, by file key: INPUT to begin with, as a link back to it is a loop too. */
  private Set<Object> startVisited() throws IOException {
    Set<Object> visited = new HashSet<>();
    Object rootKey = Files.readAttributes(options.inputRoot(), BasicFileAttributes.class).fileKey();
    if (rootKey != null) {
      visited.add(rootKey);
    }
    return visited;
  }

  /**
   * Counts the images in the tree by name alone (no file is opened, nothing is planned), for a
   * progress total while the real scan is held back by the bounded queue. Use a scanner of its
   * own for this.
   */
  public long countTree() throws InterruptedException, IOException {
    countOnly = true;
    TaskSink ignore =
        new TaskSink() {
          @Override
          public void task(ImageTask task) {}

          @Override
          public void result(TaskResult result) {}
        };
    walk(options.inputRoot(), "", ignore, startVisited());
    return sequence;
  }

  /** Takes one file as the whole input. */
  public void scanFile(Path file, TaskSink sink) throws InterruptedException, IOException {
    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
    offer(file, file.getFileName().toString(), attributes.size(), sink, true);
  }

  /**
   * Takes a list of paths, one per line, relative to the input root (the base) or absolute. A
   * path outside the base fails with {@code outside_base}; blank lines are ignored.
   */
  public void scanList(BufferedReader lines, TaskSink sink) throws InterruptedException, IOException {
    Path base = options.inputRoot().toAbsolutePath().normalize();
    Set<String> listed = new HashSet<>();
    String line;
    while ((line = lines.readLine()) != null && !stopped) {
      if (line.isBlank()) {
        continue;
      }
      Path path;
      try {
        path = base.resolve(line).normalize();
      } catch (InvalidPathException e) {
        sequence++;
        sink.result(TaskResult.failed(line.replace("\0", "\\0"), Status.FAILED, Reason.IO_ERROR, "not a valid path", 0));
        continue;
      }
      if (!path.startsWith(base) || path.equals(base)) {
        sequence++;
        sink.result(TaskResult.failed(line, Status.FAILED, Reason.OUTSIDE_BASE,
            "outside the base folder " + base + " (set --base)", 0));
        continue;
      }
      String relative = slashes(base.relativize(path));
      if (!options.selects(relative)) {
        continue;
      }
      if (!listed.add(relative)) {
        continue; // listed twice (a.jpg and ./a.jpg): one task, one report line
      }
      BasicFileAttributes attributes;
      try {
        attributes = Files.readAttributes(path, BasicFileAttributes.class);
      } catch (NoSuchFileException e) {
        sequence++;
        sink.result(TaskResult.failed(relative, Status.FAILED, Reason.IO_ERROR, "no such file", 0));
        continue;
      } catch (IOException e) {
        sequence++;
        sink.result(TaskResult.failed(relative, Status.FAILED, Reason.IO_ERROR, "cannot read: " + e.getMessage(), 0));
        continue;
      }
      if (!attributes.isRegularFile()) {
        sequence++;
        sink.result(TaskResult.failed(relative, Status.FAILED, Reason.NOT_AN_IMAGE, "not a regular file", 0));
        continue;
      }
      offer(path, relative, attributes.size(), sink, true);
    }
  }

  private void walk(Path dir, String relativeDir, TaskSink sink, Set<Object> visited)
      throws InterruptedException, IOException {
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedException("scan interrupted");
    }
    List<Entry> files = new ArrayList<>();
    List<Entry> dirs = new ArrayList<>();
    List<Skip> skips = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path path : entries) {
        String name = path.getFileName().toString();
        if (name.startsWith(TempFiles.PREFIX) || (name.startsWith(".") && !options.walksHidden())) {
          continue;
        }
        BasicFileAttributes attributes;
        try {
          attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
          if (attributes.isSymbolicLink()) {
            if (!options.followSymlinks()) {
              continue;
            }
            Optional<Skip> refused = checkLink(path, name);
            if (refused.isPresent()) {
              skips.add(refused.get());
              continue;
            }
            attributes = Files.readAttributes(path, BasicFileAttributes.class);
          }
        } catch (IOException e) {
          continue; // it vanished while we looked
        }
        if (attributes.isDirectory()) {
          dirs.add(new Entry(path, name, attributes));
        } else if (attributes.isRegularFile()) {
          files.add(new Entry(path, name, attributes));
        } else {
          // FIFOs, sockets and devices are never opened: opening a FIFO blocks until a writer comes
          skips.add(new Skip(name, false, null, "not a regular file (a FIFO, socket or device); not opened"));
        }
      }
    } catch (IOException | DirectoryIteratorException e) {
      sequence++;
      sink.result(TaskResult.failed(relativeDir.isEmpty() ? "." : relativeDir + "/", Status.FAILED, Reason.IO_ERROR,
          "cannot list folder: " + whyUnlistable(e), 0));
      return;
    }
    skips.sort(Comparator.comparing(Skip::name));
    for (Skip skip : skips) {
      String relative = relativeDir.isEmpty() ? skip.name() : relativeDir + "/" + skip.name();
      boolean reported = skip.folder() ? !options.prunes(relative)
          : InputFormats.hasImageExtension(skip.name()) && options.selects(relative);
      if (reported) {
        sequence++;
        sink.result(new TaskResult(skip.folder() ? relative + "/" : relative, Status.SKIPPED, skip.reason(),
            skip.message(), 0, 0, -1, List.of(), List.of(), 0, 0));
      }
    }
    files.sort(BY_NAME);
    dirs.sort(BY_NAME);
    for (Entry file : files) {
      String relative = relativeDir.isEmpty() ? file.name() : relativeDir + "/" + file.name();
      if (options.selects(relative)) {
        offer(file.path(), relative, file.attributes().size(), sink, false);
      }
    }
    if (!countOnly) {
      planner.forgetFolder(relativeDir);
    }
    for (Entry sub : dirs) {
      Path absolute = sub.path().toAbsolutePath().normalize();
      if (absolute.equals(outputRoot)) {
        continue; // OUTPUT inside INPUT is never scanned
      }
      String relative = relativeDir.isEmpty() ? sub.name() : relativeDir + "/" + sub.name();
      if (options.prunes(relative)) {
        continue;
      }
      Object key = sub.attributes().fileKey();
      if (key != null && !visited.add(key)) {
        // a link back to a folder on the current path: walking it would never end
        sequence++;
        sink.result(new TaskResult(relative + "/", Status.SKIPPED, null,
            "symbolic link back to an enclosing folder (a loop); not walked again", 0, 0, -1, List.of(), List.of(), 0, 0));
        continue;
      }
      walk(sub.path(), relative, sink, visited);
      if (key != null) {
        visited.remove(key);
      }
    }
  }

  /**
   * Why a symbolic link met with --follow-symlinks is not followed, if it is not: it dangles, is
   * a loop of links, or leads out of INPUT. Nothing outside INPUT is opened to find out.
   */
  private Optional<Skip> checkLink(Path link, String name) throws IOException {
    Path real;
    try {
      real = link.toRealPath();
    } catch (FileSystemException e) {
      String why = e instanceof NoSuchFileException ? "symbolic link to nothing (dangling); skipped"
          : "symbolic link that cannot be resolved (" + (e.getReason() == null ? "a loop of links" : e.getReason())
              + "); skipped";
      return Optional.of(new Skip(name, false, null, why));
    }
    if (inputReal == null) {
      inputReal = options.inputRoot().toRealPath();
    }
    if (!real.startsWith(inputReal)) {
      boolean folder = Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS);
      return Optional.of(new Skip(name, folder, Reason.OUTSIDE_BASE,
          "symbolic link to " + (folder ? "a folder" : "a file") + " outside INPUT; not followed"));
    }
    return Optional.empty();
  }

  private static String whyUnlistable(Exception e) {
    Throwable cause = e instanceof DirectoryIteratorException ? e.getCause() : e;
    if (cause instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (cause instanceof NoSuchFileException) {
      return "it vanished";
    }
    if (cause instanceof FileSystemException fse && fse.getReason() != null) {
      return fse.getReason();
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }

  private void offer(Path file, String relative, long size, TaskSink sink, boolean listedExplicitly)
      throws InterruptedException {
    if (countOnly) {
      if (InputFormats.hasImageExtension(relative)) {
        sequence++;
      }
      return;
    }
    if (token.isCancelled()) {
      // After a cancel: no reads, chosen by extension alone.
      if (listedExplicitly || InputFormats.hasImageExtension(relative)) {
        sequence++;
        sink.result(TaskResult.cancelled(relative));
      }
      return;
    }
    if (!listedExplicitly && !InputFormats.isTask(file)) {
      return;
    }
    if (!representable(relative)) {
      sequence++;
      sink.result(TaskResult.failed(relative, Status.FAILED, Reason.IO_ERROR,
          "the name cannot be written in this system's file-name encoding (" + System.getProperty("sun.jnu.encoding")
              + "); run imgpool in a UTF-8 locale, such as LC_ALL=C.UTF-8", 0));
      return;
    }
    OutputPlanner.Plan plan = planner.plan(sequence++, file, relative, size);
    if (plan.collision().isPresent()) {
      sink.result(TaskResult.failed(relative, Status.FAILED, Reason.COLLISION, plan.collision().get(), 0));
      return;
    }
    ImageTask task = plan.task().orElseThrow();
    sink.task(task);
  }

  /**
   * True when the mirrored output path can be named at all. Under a non-UTF-8 locale (LANG=C)
   * the JVM decodes a non-ASCII file name with replacement characters that it then cannot encode
   * back, so resolving the name under OUTPUT would throw.
   */
  private boolean representable(String relative) {
    try {
      outputRoot.resolve(relative);
      return true;
    } catch (InvalidPathException e) {
      return false;
    }
  }

  private static String slashes(Path relative) {
    StringBuilder out = new StringBuilder();
    for (Path part : relative) {
      if (out.length() > 0) {
        out.append('/');
      }
      out.append(part);
    }
    return out.toString();
  }
}
