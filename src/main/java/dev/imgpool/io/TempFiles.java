package dev.imgpool.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Atomic output: every file is written to a temporary file in its target folder and moved into
 * place in one rename, so a reader of OUTPUT never sees a partial file. Temporaries carry a
 * fixed prefix: those of a killed run are swept on the next start, those of this run are tracked
 * and removed on cancel.
 *
 * <p>Thread-safe.
 */
public final class TempFiles {
  /** Every temporary file name starts with this; the scanner never treats such a file as input. */
  public static final String PREFIX = ".imgpool-tmp-";

  private final Set<Path> live = ConcurrentHashMap.newKeySet();

  /** Writes one file's content; the stream is closed by the caller. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /** Decides at the last moment whether the move may happen (false: the work was aborted). */
  @FunctionalInterface
  public interface CommitGate {
    boolean mayCommit();
  }

  /**
   * Writes {@code content} to a temporary file beside {@code target}, then moves it over
   * {@code target} when the gate allows. Returns the size written, or -1 when the gate refused
   * (the temporary file is then gone).
   */
  public long writeAtomically(Path target, Content content, CommitGate gate) throws IOException {
    Objects.requireNonNull(target, "target");
    Path dir = target.getParent();
    Files.createDirectories(dir);
    Temporary temporary = createTemporary(dir, target.getFileName());
    Path temp = temporary.path();
    live.add(temp);
    try {
      try (OutputStream out = temporary.out()) {
        content.writeTo(out);
      }
      long size = Files.size(temp);
      if (!gate.mayCommit()) {
        return -1;
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return size;
    } finally {
      deleteQuietly(temp);
      live.remove(temp);
    }
  }

  /** A temporary file just created, and the stream that writes it. */
  private record Temporary(Path path, OutputStream out) {}

  /**
   * Creates and opens a temporary file in {@code dir} under a fresh random name, never one that
   * exists already (another run's, even on a shared folder): the open itself refuses an existing
   * name. Not UUID.randomUUID(): its SecureRandom costs a security provider lookup in the start
   * of every run.
   */
  private static Temporary createTemporary(Path dir, Path name) throws IOException {
    while (true) {
      Path temp = dir.resolve(PREFIX + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "-" + name);
      try {
        OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return new Temporary(temp, out);
      } catch (FileAlreadyExistsException e) {
        // that name was drawn before: draw another
      }
    }
  }

  /** Deletes the temporaries of this run that are still there (after a cancel or abandon). */
  public int deleteLive() {
    int deleted = 0;
    for (Path temp : Set.copyOf(live)) {
      if (deleteQuietly(temp)) {
        deleted++;
      }
      live.remove(temp);
    }
    return deleted;
  }

  /**
   * Removes temporaries left under {@code root} by a killed run. Returns how many were removed.
   * A missing root has none.
   */
  public static int sweepOrphans(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      return 0;
    }
    int[] removed = {0};
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (file.getFileName().toString().startsWith(PREFIX) && deleteQuietly(file)) {
              removed[0]++;
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException exc) {
            return FileVisitResult.CONTINUE;
          }
        });
    return removed[0];
  }

  /** True when {@code dir} holds a temporary of ours, at any depth; for tests and checks. */
  public static boolean containsTemporaries(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      return files.anyMatch(p -> p.getFileName() != null && p.getFileName().toString().startsWith(PREFIX));
    }
  }

  private static boolean deleteQuietly(Path file) {
    try {
      return Files.deleteIfExists(file);
    } catch (IOException e) {
      return false;
    }
  }

}
