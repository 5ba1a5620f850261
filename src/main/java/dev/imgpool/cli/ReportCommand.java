package dev.imgpool.cli;

import dev.imgpool.io.TempFiles;
import dev.imgpool.report.HtmlReport;
import dev.imgpool.report.JsonLinesReport;
import dev.imgpool.report.ReportMerge;
import dev.imgpool.report.ReportReader;
import dev.imgpool.report.Summary;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code imgpool report FILE...}: merges JSON Lines reports (one per shard, say) into one
 * summary, and optionally into one report and one page. Exit code 0 when every file was ok or
 * skipped, 1 otherwise, 2 when a report cannot be read or is not a report.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    versionProvider = ImgpoolCommand.Version.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Merges JSON Lines reports (one per shard, say): the merged summary goes to",
      "stderr, the merged lines to --report, a page of the run to --html. Inputs",
      "found in more than one report are flagged as duplicates.",
    },
    footer = {
      "",
      "Exit codes: 0 every file ok or skipped; 1 some files failed, timed out or were",
      "cancelled; 2 a report cannot be read or is not a report.",
    })
final class ReportCommand implements Callable<Integer> {
  private final Path workingDir;
  private final PrintStream out;
  private final PrintStream err;

  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "JSON Lines reports written by imgpool --report.")
  List<Path> files = new ArrayList<>();

  @Option(names = "--report", paramLabel = "FILE", description = "Write the merged JSON Lines here; - for stdout.")
  String report;

  @Option(names = "--html", paramLabel = "FILE", description = "Write a self-contained HTML page of the merged run.")
  Path html;

  @Option(names = "--output", paramLabel = "DIR",
      description = "The runs' OUTPUT folder, for thumbnails on the page; a bare --html name goes under it.")
  Path output;

  ReportCommand(Path workingDir, PrintStream out, PrintStream err) {
    this.workingDir = workingDir;
    this.out = out;
    this.err = err;
  }

  /** A report that cannot be read: a usage error naming the file. */
  private static final class CannotRead extends IOException {
    private static final long serialVersionUID = 1L;

    CannotRead(String message) {
      super(message);
    }
  }

  @Override
  public Integer call() throws UsageException {
    for (Path file : files) {
      Path resolved = workingDir.resolve(file);
      if (!Files.exists(resolved)) {
        throw new UsageException("cannot read report " + file + ": no such file");
      }
      if (Files.isDirectory(resolved)) {
        throw new UsageException("cannot read report " + file + ": it is a folder");
      }
      if (!Files.isReadable(resolved)) {
        throw new UsageException("cannot read report " + file + ": permission denied");
      }
    }
    Optional<Path> outputRoot = Optional.ofNullable(output).map(dir -> workingDir.resolve(dir).toAbsolutePath().normalize());
    List<String> commandLine = new ArrayList<>(List.of("imgpool", "report"));
    commandLine.addAll(spec.commandLine().getParseResult().originalArgs());
    Optional<HtmlReport> page =
        Optional.ofNullable(html).map(given -> new HtmlReport(HtmlReport.placement(given, workingDir, outputRoot),
            outputRoot, commandLine));
    Summary summary;
    try {
      summary = mergeInto(page);
    } catch (CannotRead e) {
      throw new UsageException(e.getMessage());
    } catch (IOException e) {
      throw new UsageException("cannot write --report " + report + ": " + e.getMessage());
    }
    if (page.isPresent()) {
      try {
        page.get().write(summary);
      } catch (IOException e) {
        throw new UsageException("cannot write --html " + html + ": " + e.getMessage());
      }
    }
    err.println(summary.toSentence());
    return summary.exitCode();
  }

  private Summary mergeInto(Optional<HtmlReport> page) throws IOException {
    if (report == null) {
      return merge(Optional.empty(), page);
    }
    if (report.equals("-")) {
      try (JsonLinesReport lines = new JsonLinesReport(out)) {
        return merge(Optional.of(lines), page);
      } finally {
        out.flush();
      }
    }
    Summary[] summary = new Summary[1];
    new TempFiles().writeAtomically(
        workingDir.resolve(report).toAbsolutePath().normalize(),
        stream -> {
          try (JsonLinesReport lines = new JsonLinesReport(stream)) {
            summary[0] = merge(Optional.of(lines), page);
          }
        },
        () -> true);
    return summary[0];
  }

  private Summary merge(Optional<JsonLinesReport> lines, Optional<HtmlReport> page) throws IOException {
    ReportMerge merge = new ReportMerge(err, lines, page);
    for (Path file : files) {
      try (BufferedReader reader = new BufferedReader(
          new InputStreamReader(Files.newInputStream(workingDir.resolve(file)), StandardCharsets.UTF_8))) {
        merge.add(reader, file.toString());
      } catch (UncheckedIOException e) {
        throw e.getCause(); // writing the merged lines failed
      } catch (ReportReader.BadLineException e) {
        throw new CannotRead(e.getMessage());
      } catch (IOException e) {
        throw new CannotRead("cannot read report " + file + ": " + e.getMessage());
      }
    }
    return merge.finish();
  }
}
