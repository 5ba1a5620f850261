package dev.imgpool.cli;

import dev.imgpool.task.CancelCause;
import dev.imgpool.task.CancellationToken;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import sun.misc.Signal;

/**
 * The entry point. Only {@link #main} exits the process; {@link #run} returns the exit code and
 * writes to the streams it is given, so tests drive the real command in-process.
 */
public final class Main {
  private final PrintStream out;
  private final PrintStream err;
  private final InputStream in;
  private final Path workingDir;
  private final CancellationToken token;
  private final boolean terminal;

  public Main(PrintStream out, PrintStream err, InputStream in, Path workingDir, CancellationToken token, boolean terminal) {
    this.out = out;
    this.err = err;
    this.in = in;
    this.workingDir = workingDir;
    this.token = token;
    this.terminal = terminal;
  }

  public static void main(String[] args) {
    CancellationToken token = new CancellationToken();
    installSignalHandler("INT", CancelCause.SIGINT, token);
    installSignalHandler("TERM", CancelCause.SIGTERM, token);
    boolean terminal = System.console() != null;
    int code = new Main(System.out, System.err, System.in, Path.of(""), token, terminal).run(args);
    System.out.flush();
    System.err.flush();
    System.exit(code);
  }

  /** Runs the command line and returns the exit code. */
  public int run(String... args) {
    CommandLine commandLine =
        commandLine(
            options -> new BatchRun(options, workingDir, out, err, in, token, terminal).run(),
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  /** The picocli command with imgpool's error handling; also used to generate the docs. */
  static CommandLine commandLine(ImgpoolCommand.Runner runner, PrintWriter out, PrintWriter err) {
    CommandLine commandLine = new CommandLine(new ImgpoolCommand(runner));
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setParameterExceptionHandler(
        (ex, ignored) -> {
          err.println("imgpool: " + firstLine(ex.getMessage()) + " (see imgpool --help)");
          return 2;
        });
    commandLine.setExecutionExceptionHandler(
        (ex, cmd, parsed) -> {
          if (ex instanceof UsageException) {
            err.println("imgpool: " + ex.getMessage());
            return 2;
          }
          err.println("imgpool: internal error: " + ex);
          ex.printStackTrace(err);
          return 3;
        });
    return commandLine;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "invalid command line";
    }
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).strip();
  }

  /**
   * The first signal cancels the run, which then reports every file and exits with 130 or 143;
   * a second one exits at once.
   */
  private static void installSignalHandler(String name, CancelCause cause, CancellationToken token) {
    try {
      Signal.handle(
          new Signal(name),
          signal -> {
            if (!token.cancel(cause)) {
              Runtime.getRuntime().halt(cause.exitCode());
            }
          });
    } catch (IllegalArgumentException unavailable) {
      // The signal is ignored by the parent (a background job) or reserved: nothing to hook.
    }
  }
}
