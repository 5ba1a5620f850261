package dev.imgpool.cli;

import dev.imgpool.image.IfExists;
import dev.imgpool.image.ImageProcessor;
import dev.imgpool.io.StateStore;
import dev.imgpool.io.TempFiles;
import dev.imgpool.pool.Outcomes;
import dev.imgpool.pool.PoolConfig;
import dev.imgpool.pool.RateLimiter;
import dev.imgpool.pool.WorkerPool;
import dev.imgpool.report.HtmlReport;
import dev.imgpool.report.JsonLinesReport;
import dev.imgpool.report.Summary;
import dev.imgpool.scan.OutputPlanner;
import dev.imgpool.scan.ScanOptions;
import dev.imgpool.scan.Scanner;
import dev.imgpool.scan.TaskSink;
import dev.imgpool.task.CancelCause;
import dev.imgpool.task.CancellationToken;
import dev.imgpool.task.ImageTask;
import dev.imgpool.task.MemoryBudget;
import dev.imgpool.task.Reason;
import dev.imgpool.task.Status;
import dev.imgpool.task.TaskResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One run of the pipeline: a scanner thread feeds the bounded pool, the workers put one result
 * per file on the completion queue, and the calling thread, the collector, drains it: progress,
 * the streamed report, fail-fast and the deadline, then the summary and the exit code.
 *
 * <p>Single use.
 */
final class BatchRun {
  private static final long COLLECTOR_POLL_MILLIS = 100;
  /** How long workers get to finish after the last result, before the run ends without them. */
  private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);
  /** How long a cancelled run waits for a list on stdin to end before it stops reading it. */
  private static final Duration STDIN_GRACE = Duration.ofSeconds(1);

  private final BatchOptions options;
  private final Path workingDir;
  private final PrintStream out;
  private final PrintStream err;
  private final InputStream in;
  private final CancellationToken token;
  private final boolean terminal;
  private List<String> commandLine = List.of();

  BatchRun(
      BatchOptions options, Path workingDir, PrintStream out, PrintStream err, InputStream in,
      CancellationToken token, boolean terminal) {
    this.options = options;
    this.workingDir = workingDir;
    this.out = out;
    this.err = err;
    this.in = in;
    this.token = token;
    this.terminal = terminal;
  }

  int run() throws UsageException {
    long startNanos = System.nanoTime();
    Path output = workingDir.resolve(options.output()).toAbsolutePath().normalize();
    Inputs inputs = resolveInputs(output);
    if (options.dryRun()) {
      return dryRun(inputs, output);
    }
    prepareOutput(output);
    TempFiles tempFiles = new TempFiles();
    StateStore opened;
    try {
      opened = StateStore.open(output);
    } catch (IOException e) {
      throw new UsageException("cannot read OUTPUT state " + StateStore.FILE_NAME + ": " + e.getMessage());
    }
    try (StateStore state = opened;
        OutputStream reportStream = openReport();
        JsonLinesReport report = reportStream == null ? null : new JsonLinesReport(reportStream);
        Progress progress = new Progress(err, options.progress(), options.verbosity(), terminal)) {
      return collect(inputs, output, tempFiles, state, report, progress, startNanos);
    } catch (IOException e) {
      err.println("imgpool: " + e.getMessage());
      return 3;
    } finally {
      tempFiles.deleteLive();
    }
  }

  /** INPUT resolved: the scan root and how to walk it. */
  private record Inputs(Path root, Optional<Path> singleFile) {}

  private Inputs resolveInputs(Path output) throws UsageException {
    if (options.readsStdin()) {
      Path base = workingDir.resolve(options.base()).toAbsolutePath().normalize();
      if (!Files.isDirectory(base)) {
        throw new UsageException("--base " + options.base() + " is not a folder");
      }
      return new Inputs(base, Optional.empty());
    }
    Path input = workingDir.resolve(options.input()).toAbsolutePath().normalize();
    if (!Files.exists(input)) {
      throw new UsageException("INPUT " + options.input() + " does not exist");
    }
    if (Files.isDirectory(input)) {
      if (input.startsWith(output) && !input.equals(output)) {
        throw new UsageException("INPUT " + options.input() + " lies inside OUTPUT " + options.output());
      }
      if (input.equals(output)) {
        throw new UsageException("OUTPUT may not be INPUT itself: imgpool never changes files under INPUT");
      }
      return new Inputs(input, Optional.empty());
    }
    if (!Files.isRegularFile(input)) {
      throw new UsageException("INPUT " + options.input() + " is neither a folder nor a regular file");
    }
    return new Inputs(input.getParent(), Optional.of(input));
  }

  private void prepareOutput(Path output) throws UsageException {
    try {
      Files.createDirectories(output);
    } catch (IOException e) {
      throw new UsageException("cannot create OUTPUT " + options.output() + ": " + e.getMessage());
    }
    if (!Files.isWritable(output)) {
      throw new UsageException("OUTPUT " + options.output() + " is not writable");
    }
    try {
      int removed = TempFiles.sweepOrphans(output);
      if (removed > 0 && options.verbosity() == BatchOptions.Verbosity.VERBOSE) {
        err.println("imgpool: removed " + removed + " temporary files left by an earlier run");
      }
    } catch (IOException e) {
      throw new UsageException("cannot read OUTPUT " + options.output() + ": " + e.getMessage());
    }
  }

  private OutputStream openReport() throws UsageException {
    if (options.report().isEmpty()) {
      return null;
    }
    String target = options.report().get();
    if (target.equals("-")) {
      return new NonClosingStream(out);
    }
    try {
      Path file = workingDir.resolve(target);
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      return Files.newOutputStream(file);
    } catch (IOException e) {
      throw new UsageException("cannot write --report " + target + ": " + e.getMessage());
    }
  }

  private int collect(
      Inputs inputs, Path output, TempFiles tempFiles, StateStore state, JsonLinesReport report, Progress progress,
      long startNanos) throws IOException {
    BlockingQueue<TaskResult> completed = new LinkedBlockingQueue<>();
    MemoryBudget budget = new MemoryBudget(options.memoryBudgetBytes());
    ImageProcessor processor = new ImageProcessor(options.process(), tempFiles, state, budget);
    PoolConfig config =
        PoolConfig.of(options.workers(), options.queueCapacity()).withFileTimeout(options.fileTimeout());
    Optional<RateLimiter> limiter = options.rate().map(r -> RateLimiter.create(r.perSecond(), options.burst()));
    Summary.Builder counts = new Summary.Builder();
    Optional<HtmlReport> page = openPage(output);
    ScanProgress scan = new ScanProgress();
    Optional<Long> deadline = options.timeout().map(t -> startNanos + t.toNanos());
    try (WorkerPool<ImageTask, TaskResult> pool =
        new WorkerPool<>(config, processor::process, new ImageOutcomes(), completed::add, token, limiter)) {
      Thread scanner = startScanner(inputs, output, pool, completed, scan);
      Thread counter = startCounter(inputs, output, scan);
      long received = 0;
      long cancelSeen = 0;
      while (!scan.done() || received < scan.total()) {
        if (deadline.isPresent() && System.nanoTime() >= deadline.get()) {
          token.cancel(CancelCause.TIMEOUT);
        }
        if (token.isCancelled() && options.readsStdin() && !scan.done()) {
          // The scanner may be blocked reading a pipe that stays open: after a grace period,
          // account for what it has listed so far and stop waiting for the rest.
          cancelSeen = cancelSeen == 0 ? System.nanoTime() : cancelSeen;
          if (System.nanoTime() - cancelSeen > STDIN_GRACE.toNanos()) {
            scan.giveUp();
          }
        }
        TaskResult result;
        try {
          result = completed.poll(COLLECTOR_POLL_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          token.cancel(CancelCause.SIGINT);
          break;
        }
        if (result == null) {
          if (scan.failure() != null) {
            // The scan broke (a bug): stop the rest, but still report every file it had found.
            token.cancel(CancelCause.INTERNAL);
          }
          progress.tick(counts, scan.done() ? scan.total() : scan.estimate());
          continue;
        }
        received++;
        counts.add(result);
        if (report != null) {
          report.write(result);
        }
        if (page.isPresent()) {
          page.get().add(result);
        }
        progress.onResult(result, counts, scan.done() ? scan.total() : scan.estimate());
        if (options.failFast() && (result.status() == Status.FAILED || result.status() == Status.TIMEOUT)) {
          token.cancel(CancelCause.FAIL_FAST);
        }
      }
      counter.interrupt();
      try {
        scanner.join(SHUTDOWN_WAIT.toMillis());
        pool.awaitTermination(SHUTDOWN_WAIT);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    progress.close();
    tempFiles.deleteLive();
    int exitCode;
    if (scan.failure() != null) {
      err.println("imgpool: internal error while scanning: " + scan.failure());
      exitCode = 3;
    } else {
      exitCode = exitCode(counts);
    }
    Summary summary = counts.build((System.nanoTime() - startNanos) / 1_000_000, exitCode);
    if (report != null) {
      report.writeSummary(summary);
    }
    writePage(page, summary);
    if (options.verbosity() != BatchOptions.Verbosity.QUIET) {
      String why = token.cause().map(cause -> switch (cause) {
        case TIMEOUT -> " (--timeout expired)";
        case SIGINT -> " (interrupted)";
        case SIGTERM -> " (terminated)";
        case FAIL_FAST -> " (--fail-fast)";
        case INTERNAL -> " (internal error)";
      }).orElse("");
      err.println(summary.toSentence() + why);
    }
    return exitCode;
  }

  /** The arguments the run was started with, shown on the {@code --html} page. */
  BatchRun commandLine(List<String> args) {
    this.commandLine = List.copyOf(args);
    return this;
  }

  /** The {@code --html} page, if asked for: a bare file name goes under OUTPUT. */
  private Optional<HtmlReport> openPage(Path output) {
    if (options.html().isEmpty()) {
      return Optional.empty();
    }
    List<String> words = new ArrayList<>(List.of("imgpool"));
    words.addAll(commandLine);
    Path target = HtmlReport.placement(workingDir.getFileSystem().getPath(options.html().get().toString()), workingDir, Optional.of(output));
    return Optional.of(new HtmlReport(target, Optional.of(output), words));
  }

  /** Writes the page atomically, also after a cancel; a failure to write it is one line on stderr. */
  private void writePage(Optional<HtmlReport> page, Summary summary) {
    if (page.isEmpty()) {
      return;
    }
    try {
      page.get().write(summary);
    } catch (IOException e) {
      err.println("imgpool: cannot write --html " + options.html().get() + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    }
  }

  private int exitCode(Summary.Builder counts) {
    Optional<CancelCause> cause = token.cause();
    if (cause.isPresent() && cause.get() != CancelCause.FAIL_FAST) {
      return cause.get().exitCode();
    }
    return counts.count(Status.FAILED) + counts.count(Status.TIMEOUT) > 0 ? 1 : 0;
  }

  private Thread startScanner(
      Inputs inputs, Path output, WorkerPool<ImageTask, TaskResult> pool, BlockingQueue<TaskResult> completed,
      ScanProgress progress) {
    ScanOptions scanOptions = scanOptions(inputs, output);
    OutputPlanner planner = new OutputPlanner(output, options.name(), options.process().outputs());
    Scanner scanner = new Scanner(scanOptions, planner, token);
    progress.attach(scanner);
    TaskSink sink =
        new TaskSink() {
          @Override
          public void task(ImageTask task) throws InterruptedException {
            pool.submit(task);
          }

          @Override
          public void result(TaskResult result) {
            completed.add(result);
          }
        };
    Thread thread =
        new Thread(
            () -> {
              try {
                scan(scanner, inputs, sink);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (IOException | RuntimeException e) {
                progress.fail(e);
              } finally {
                pool.finishInput();
                progress.finish(scanner.count());
              }
            },
            "imgpool-scanner");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private ScanOptions scanOptions(Inputs inputs, Path output) {
    return new ScanOptions(inputs.root(), output, options.includes(), options.excludes(), options.shard(),
        options.followSymlinks());
  }

  /** Feeds the sink from INPUT: a list on stdin, one file, or a tree. */
  private void scan(Scanner scanner, Inputs inputs, TaskSink sink) throws InterruptedException, IOException {
    if (options.readsStdin()) {
      scanner.scanList(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), sink);
    } else if (inputs.singleFile().isPresent()) {
      scanner.scanFile(inputs.singleFile().get(), sink);
    } else {
      scanner.scanTree(sink);
    }
  }

  /**
   * Counts the images by name in a second walk, so the progress bar can show a total and an ETA
   * long before the real scan, held back by the bounded queue, reaches the end. Only for trees.
   */
  private Thread startCounter(Inputs inputs, Path output, ScanProgress progress) {
    Thread thread =
        new Thread(
            () -> {
              if (options.readsStdin() || inputs.singleFile().isPresent()
                  || options.verbosity() == BatchOptions.Verbosity.QUIET) {
                return;
              }
              ScanOptions scanOptions = scanOptions(inputs, output);
              Scanner counter =
                  new Scanner(scanOptions, new OutputPlanner(output, options.name(), options.process().outputs()), token);
              try {
                progress.estimate(counter.countTree());
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (IOException | RuntimeException e) {
                // only an estimate: the real scan reports what is wrong
              }
            },
            "imgpool-counter");
    thread.setDaemon(true);
    thread.setPriority(Thread.MIN_PRIORITY);
    thread.start();
    return thread;
  }

  private int dryRun(Inputs inputs, Path output) {
    ScanOptions scanOptions = scanOptions(inputs, output);
    OutputPlanner planner = new OutputPlanner(output, options.name(), options.process().outputs());
    Scanner scanner = new Scanner(scanOptions, planner, token);
    int[] problems = {0};
    ImageProcessor existing;
    try {
      // Reads the state file only: a dry run writes nothing.
      StateStore state = Files.isDirectory(output) ? StateStore.open(output) : StateStore.empty();
      existing = new ImageProcessor(options.process(), new TempFiles(), state, new MemoryBudget(1));
    } catch (IOException e) {
      err.println("imgpool: cannot read OUTPUT " + options.output() + ": " + e.getMessage());
      return 2;
    }
    TaskSink sink =
        new TaskSink() {
          @Override
          public void task(ImageTask task) {
            Optional<TaskResult> settled = existing.settledByExistingOutputs(task);
            String note = settled.map(r -> r.status() == Status.SKIPPED
                    ? "  (would skip: " + (options.process().ifExists() == IfExists.UPDATE ? "up to date" : "exists") + ")"
                    : "  (would fail: " + r.error() + ")")
                .orElse("");
            if (settled.isPresent() && settled.get().status() == Status.FAILED) {
              problems[0]++;
            }
            for (String name : task.outputNames()) {
              String shown = name.replace(ImageTask.WIDTH, "{w}").replace(ImageTask.HEIGHT, "{h}")
                  .replace(ImageTask.EXTENSION, "{png|jpg}");
              out.println(task.relativeInput() + " -> " + task.relativeOutput(shown) + note);
            }
          }

          @Override
          public void result(TaskResult result) {
            problems[0]++;
            out.println(result.input() + " -> " + result.status().word() + " (" + result.reason() + "): " + result.error());
          }
        };
    try {
      scan(scanner, inputs, sink);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CancelCause.SIGINT.exitCode();
    } catch (IOException e) {
      err.println("imgpool: cannot scan: " + e.getMessage());
      return 2;
    }
    if (options.verbosity() != BatchOptions.Verbosity.QUIET) {
      err.println("dry run: " + scanner.count() + " files planned, " + problems[0] + " would fail; nothing written");
    }
    return problems[0] > 0 ? 1 : 0;
  }

  /** What the scanner thread tells the collector: done, how many, or that it crashed. */
  private static final class ScanProgress {
    private volatile boolean done;
    private volatile long total;
    private volatile long estimate = -1;
    private volatile Scanner scanner;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    void finish(long count) {
      total = count;
      done = true;
    }

    void fail(Throwable e) {
      failure.set(e);
    }

    void attach(Scanner running) {
      scanner = running;
    }

    /** Stops waiting for a scanner stuck on input: what it listed so far is the total. */
    void giveUp() {
      Scanner running = scanner;
      if (running != null && !done) {
        running.stop();
        finish(running.count());
      }
    }

    void estimate(long count) {
      estimate = count;
    }

    /** The count by name, -1 until the counting walk ends. */
    long estimate() {
      return estimate;
    }

    boolean done() {
      return done;
    }

    long total() {
      return total;
    }

    Throwable failure() {
      return failure.get();
    }
  }

  /** The results the pool makes for tasks the processor could not finish. */
  private static final class ImageOutcomes implements Outcomes<ImageTask, TaskResult> {
    @Override
    public TaskResult cancelled(ImageTask task) {
      return TaskResult.cancelled(task.relativeInput());
    }

    @Override
    public TaskResult timedOut(ImageTask task, Duration limit) {
      return TaskResult.failed(task.relativeInput(), Status.TIMEOUT, Reason.TIMEOUT,
          "aborted after --file-timeout " + limit.toMillis() / 1000.0 + " s", limit.toMillis());
    }

    @Override
    public TaskResult crashed(ImageTask task, Throwable error) {
      return TaskResult.failed(task.relativeInput(), Status.FAILED, Reason.INTERNAL,
          "internal error: " + error, 0);
    }
  }

  /** Lets the report write to stdout without closing it. */
  private static final class NonClosingStream extends java.io.FilterOutputStream {
    NonClosingStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
