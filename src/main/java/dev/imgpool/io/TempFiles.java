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
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Atomic output: every file is written to a temporary file in its target folder and moved into
 * place in one rename, so a reader of OUTPUT never sees a partial file. Temporaries carry a
 * fixed prefix and their writer (process id and machine): those of a killed run are swept on the
 * next start, those of a run still going (another shard writing into the same OUTPUT) are left
 * to it, and those of this run are tracked and removed on cancel.
 *
 * <p>Thread-safe.
 */
public final class TempFiles {
  /** Every temporary file name starts with this; the scanner never treats such a file as input. */
  public static final String PREFIX = ".imgpool-tmp-";

  private static final long PID = ProcessHandle.current().pid();
  private static final String HOST = hostTag();
  /** This process and its machine, named in its temporaries. */
  private static final String OWNER = "p" + PID + "@" + HOST;
  /** A temporary this old is an orphan even if a process with its owner's id runs: ids are reused. */
  private static final Duration ORPHAN_AGE = Duration.ofHours(24);

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
      String random = Long.toHexString(ThreadLocalRandom.current().nextLong());
      Path temp = dir.resolve(PREFIX + OWNER + "-" + random + "-" + name);
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
   * Removes the temporaries under {@code root} that runs which are over left behind (see
   * {@link #isOrphan}); called before this run writes any. Returns how many were removed. A
   * missing root has none.
   */
  public static int sweepOrphans(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      return 0;
    }
    int[] removed = {0};
    Instant now = Instant.now();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            String name = file.getFileName().toString();
            if (name.startsWith(PREFIX) && isOrphan(name, attrs.lastModifiedTime(), now) && deleteQuietly(file)) {
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

  /**
   * Whether the temporary {@code name} was left by a run that is over. Yes when an older build
   * named it (no writer in the name) or it is a day old. Otherwise only a run on the writer's
   * machine can tell (process ids mean nothing elsewhere, and in containers every machine has
   * the same few): yes when the writer no longer runs, or is this process (an earlier run in
   * it, or an id reused), which sweeps before it writes.
   */
  static boolean isOrphan(String name, FileTime modified, Instant now) {
    int start = PREFIX.length();
    int end = name.indexOf('-', start);
    String owner = end < 0 ? "" : name.substring(start, end);
    int at = owner.indexOf('@');
    if (!owner.startsWith("p") || at < 2 || at > 19 || modified.toInstant().isBefore(now.minus(ORPHAN_AGE))) {
      return true;
    }
    long pid;
    try {
      pid = Long.parseLong(owner, 1, at, 10);
    } catch (NumberFormatException e) {
      return true;
    }
    if (!owner.substring(at + 1).equals(HOST)) {
      return false;
    }
    return pid == PID || ProcessHandle.of(pid).map(process -> !process.isAlive()).orElse(true);
  }

  /** This machine as 8 hex digits: a hash of its host name (its container's, in a container). */
  private static String hostTag() {
    String host;
    try {
      host = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    } catch (IOException | RuntimeException notLinux) {
      host = Objects.requireNonNullElse(System.getenv("HOSTNAME"), "");
    }
    return HexFormat.of().toHexDigits((int) Fingerprint.of(host));
  }

  /** This process's part of its temporaries' names; for tests. */
  static String owner() {
    return OWNER;
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
