package dev.imgpool.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Build-time generator, run by {@code mvn package}: writes the bash/zsh completion script and
 * the troff man page for the command into the folder given as the only argument. Both come from
 * the picocli model, so they cannot drift from the real options.
 */
public final class Docs {
  private Docs() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "dist");
    Files.createDirectories(dir);
    CommandLine commandLine = Main.commandLine(options -> 0, new PrintWriter(System.out), new PrintWriter(System.err));
    String completion = AutoComplete.bash("imgpool", commandLine);
    Files.writeString(dir.resolve("imgpool_completion"), completion, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("imgpool.1"), manPage(commandLine.getCommandSpec()), StandardCharsets.UTF_8);
  }

  static String manPage(CommandSpec spec) {
    StringBuilder out = new StringBuilder();
    String version = spec.version().length > 0 ? spec.version()[0] : "imgpool";
    out.append(".TH IMGPOOL 1 \"\" \"").append(escape(version)).append("\" \"User Commands\"\n");
    out.append(".SH NAME\nimgpool \\- batch image processor with a bounded worker pool\n");
    out.append(".SH SYNOPSIS\n.B imgpool\n[\\fIOPTIONS\\fR] \\fIINPUT\\fR \\fIOUTPUT\\fR\n.br\n");
    out.append(".B imgpool report\n\\fIFILE\\fR... [\\fB\\-\\-report\\fR \\fIFILE\\fR] [\\fB\\-\\-html\\fR \\fIFILE\\fR] [\\fB\\-\\-output\\fR \\fIDIR\\fR]\n");
    out.append(".SH DESCRIPTION\n");
    for (String line : spec.usageMessage().description()) {
      out.append(escape(line)).append('\n');
    }
    out.append(".SH ARGUMENTS\n");
    for (PositionalParamSpec param : spec.positionalParameters()) {
      out.append(".TP\n.I ").append(escape(param.paramLabel())).append('\n');
      out.append(escape(String.join(" ", param.description()))).append('\n');
    }
    out.append(".SH OPTIONS\n");
    for (OptionSpec option : spec.options()) {
      out.append(".TP\n.B ").append(escape(String.join(", ", option.names())));
      if (option.arity().max() > 0) {
        out.append(" \\fI").append(escape(option.paramLabel())).append("\\fR");
      }
      out.append('\n');
      String description = String.join(" ", option.description())
          .replace("${DEFAULT-VALUE}", String.valueOf(option.defaultValue()))
          .replace("%%", "%");
      out.append(escape(description)).append('\n');
    }
    out.append(".SH EXIT STATUS\n");
    String[][] codes = {
      {"0", "every file ok or skipped"},
      {"1", "at least one file failed or timed out"},
      {"2", "usage or configuration error; nothing processed"},
      {"3", "internal error"},
      {"124", "--timeout expired"},
      {"130", "interrupted by SIGINT"},
      {"143", "terminated by SIGTERM"},
    };
    for (String[] code : codes) {
      out.append(".TP\n.B ").append(code[0]).append('\n').append(escape(code[1])).append('\n');
    }
    out.append(".SH FILES\n.TP\n.I OUTPUT/.imgpool-state.jsonl\n")
        .append("the options fingerprint of every output, for \\-\\-if\\-exists update\n");
    return out.toString();
  }

  private static String escape(String text) {
    String escaped = text.replace("\\", "\\\\").replace("-", "\\-");
    return escaped.startsWith(".") || escaped.startsWith("'") ? "\\&" + escaped : escaped;
  }
}
