package dev.imgpool.cli;

import dev.imgpool.task.CancelCause;
import dev.imgpool.task.CancellationToken;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import sun.misc.Signal;

/**
 * The entry point. Only {@link #main} exits the process; {@link #run} returns the exit code and
 * writes to the streams it is given, so tests drive the real command in-process.
 */
public final class Main {
  /** The first word that selects the report merge instead of a run. */
  private static final String REPORT = "report";

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
    PrintWriter outWriter = new PrintWriter(out, true);
    PrintWriter errWriter = new PrintWriter(err, true);
    if (args.length > 0 && args[0].equals(REPORT)) {
      // Dispatched here, by the first word only: picocli would demand the main command's INPUT and
      // OUTPUT before it reached a subcommand, and would take an OUTPUT folder named "report" for one.
      CommandLine report = configure(new CommandLine(new ReportCommand(workingDir, out, err)), outWriter, errWriter);
      report.setCommandName("imgpool " + REPORT);
      return report.execute(Arrays.copyOfRange(args, 1, args.length));
    }
    CommandLine commandLine =
        configure(
            withReportFooter(new CommandLine(new ImgpoolCommand(
                options -> new BatchRun(options, workingDir, out, err, in, token, terminal).commandLine(List.of(args)).run()))),
            outWriter,
            errWriter);
    return commandLine.execute(args);
  }

  /**
   * The picocli model with imgpool's error handling, the {@code report} subcommand included; used
   * to generate the docs (completion, man page). {@link #run} dispatches {@code report} itself.
   */
  static CommandLine commandLine(ImgpoolCommand.Runner runner, PrintWriter out, PrintWriter err) {
    CommandLine commandLine = new CommandLine(new ImgpoolCommand(runner));
    commandLine.addSubcommand(new ReportCommand(Path.of(""), new PrintStream(OutputStream.nullOutputStream()),
        new PrintStream(OutputStream.nullOutputStream())));
    return configure(commandLine, out, err);
  }

  /** Mentions {@code imgpool report} in the main help: at run time it is not a picocli subcommand (see {@link #run}). */
  private static CommandLine withReportFooter(CommandLine commandLine) {
    List<String> footer = new ArrayList<>(List.of(commandLine.getCommandSpec().usageMessage().footer()));
    footer.add("");
    footer.add("imgpool report FILE... merges the reports of several runs (shards, say);");
    footer.add("see imgpool report --help.");
    commandLine.getCommandSpec().usageMessage().footer(footer.toArray(new String[0]));
    return commandLine;
  }

  /** Streams and error handling, set on a command and every subcommand it has by then. */
  private static CommandLine configure(CommandLine commandLine, PrintWriter out, PrintWriter err) {
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setParameterExceptionHandler(
        (ex, ignored) -> {
          String help = ex.getCommandLine().getCommandName().endsWith(REPORT) ? "imgpool report --help" : "imgpool --help";
          err.println("imgpool: " + firstLine(ex.getMessage()) + " (see " + help + ")");
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
