package dev.imgpool.cli;

import dev.imgpool.image.ProcessOptions;
import dev.imgpool.scan.Glob;
import dev.imgpool.scan.NameTemplate;
import dev.imgpool.scan.Shard;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Every option of a run, parsed and checked once; the rest of the program reads only this.
 *
 * @param input INPUT as given: a folder, a file, or {@code -} for a list on standard input
 * @param output OUTPUT
 * @param base the folder the paths of a {@code -} list are relative to
 * @param workers worker threads
 * @param queueCapacity capacity of the task queue
 * @param timeout deadline for the whole run
 * @param fileTimeout limit for one file
 * @param rate task starts per second
 * @param burst starts allowed at once after an idle spell
 * @param failFast cancel the rest after the first failure
 * @param process what is done to each image
 * @param name the output name template
 * @param includes keep only these paths
 * @param excludes drop these paths
 * @param shard the part of the files this run takes
 * @param followSymlinks follow links that stay inside INPUT
 * @param dryRun print the plan and write nothing
 * @param report where the JSON Lines report goes ({@code -} for stdout)
 * @param html where the HTML page goes
 * @param progress how progress is shown
 * @param verbosity how much goes to stderr
 * @param memoryBudgetBytes bytes of decoded pixels all workers may hold at once
 */
record BatchOptions(
    String input,
    String output,
    String base,
    int workers,
    int queueCapacity,
    Optional<Duration> timeout,
    Optional<Duration> fileTimeout,
    Optional<Rate> rate,
    int burst,
    boolean failFast,
    ProcessOptions process,
    NameTemplate name,
    List<Glob> includes,
    List<Glob> excludes,
    Shard shard,
    boolean followSymlinks,
    boolean dryRun,
    Optional<String> report,
    Optional<Path> html,
    ProgressMode progress,
    Verbosity verbosity,
    long memoryBudgetBytes) {

  /** How progress is shown. */
  enum ProgressMode {
    AUTO,
    ALWAYS,
    NEVER
  }

  /** How much goes to stderr. */
  enum Verbosity {
    QUIET,
    NORMAL,
    VERBOSE
  }

  BatchOptions {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(process, "process");
    Objects.requireNonNull(name, "name");
    includes = List.copyOf(includes);
    excludes = List.copyOf(excludes);
    if (workers < 1) {
      throw new IllegalArgumentException("workers (" + workers + ") must be positive");
    }
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queueCapacity (" + queueCapacity + ") must be positive");
    }
  }

  boolean readsStdin() {
    return input.equals("-");
  }
}
