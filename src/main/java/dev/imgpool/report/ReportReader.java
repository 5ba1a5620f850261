package dev.imgpool.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imgpool.task.OutputFile;
import dev.imgpool.task.Status;
import dev.imgpool.task.TaskResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a JSON Lines report back, line by line: each file line becomes the {@link TaskResult}
 * that {@link JsonLinesReport} wrote, each summary line a {@link Summary}. Nothing is held, so a
 * report of any length streams through.
 *
 * <p>Stateless and thread-safe.
 */
public final class ReportReader {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Receives the lines of one report in order. */
  public interface Handler {
    void result(TaskResult result) throws IOException;

    void summary(Summary summary) throws IOException;
  }

  /** A line that is not a report line; the message names the report and the line number. */
  public static final class BadLineException extends IOException {
    private static final long serialVersionUID = 1L;

    BadLineException(String message) {
      super(message);
    }
  }

  private ReportReader() {}

  /**
   * Reads every line of {@code reader}; blank lines are ignored.
   *
   * @param name how messages name this report (its path, usually)
   * @throws BadLineException at the first line that is not a report line
   */
  public static void read(BufferedReader reader, String name, Handler handler) throws IOException {
    long number = 0;
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      number++;
      if (line.isBlank()) {
        continue;
      }
      JsonNode node;
      try {
        node = JSON.readTree(line);
      } catch (JsonProcessingException e) {
        throw new BadLineException(name + ":" + number + ": not JSON: " + e.getOriginalMessage());
      }
      try {
        if (node != null && node.has("summary")) {
          handler.summary(toSummary(node.get("summary")));
        } else {
          handler.result(toResult(node));
        }
      } catch (IllegalArgumentException e) {
        throw new BadLineException(name + ":" + number + ": not a report line: " + e.getMessage());
      }
    }
  }

  /** One file line as the result it was written from. */
  public static TaskResult toResult(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("expected an object with \"input\" and \"status\"");
    }
    String input = text(node, "input");
    String statusWord = text(node, "status");
    if (input == null || statusWord == null) {
      throw new IllegalArgumentException("\"input\" and \"status\" are required");
    }
    Status status;
    try {
      status = Status.fromWord(statusWord);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown status \"" + statusWord + "\"");
    }
    List<OutputFile> outputs = new ArrayList<>();
    if (node.hasNonNull("output")) {
      outputs.add(new OutputFile(node.get("output").asText(), integer(node, "outWidth"), integer(node, "outHeight"),
          number(node, "bytesOut", 0)));
    }
    JsonNode many = node.get("outputs");
    if (many != null && many.isArray()) {
      for (JsonNode output : many) {
        String path = text(output, "path");
        if (path == null) {
          throw new IllegalArgumentException("an entry of \"outputs\" has no \"path\"");
        }
        outputs.add(new OutputFile(path, integer(output, "width"), integer(output, "height"),
            number(output, "bytes", 0)));
      }
    }
    List<String> warnings = new ArrayList<>();
    JsonNode notes = node.get("warnings");
    if (notes != null && notes.isArray()) {
      notes.forEach(warning -> warnings.add(warning.asText()));
    }
    return new TaskResult(input, status, text(node, "reason"), text(node, "error"), integer(node, "width"),
        integer(node, "height"), number(node, "bytesIn", -1), outputs, warnings, integer(node, "frames"),
        number(node, "millis", 0));
  }

  /** The object inside a summary line. */
  public static Summary toSummary(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("\"summary\" must be an object");
    }
    return new Summary(number(node, "files", 0), number(node, "ok", 0), number(node, "skipped", 0),
        number(node, "failed", 0), number(node, "timeout", 0), number(node, "cancelled", 0), number(node, "bytesIn", 0),
        number(node, "bytesOut", 0), number(node, "millis", 0), integer(node, "exitCode"));
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static int integer(JsonNode node, String field) {
    return (int) number(node, field, 0);
  }

  private static long number(JsonNode node, String field, long missing) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return missing;
    }
    if (!value.isNumber()) {
      throw new IllegalArgumentException("\"" + field + "\" is not a number");
    }
    return value.asLong();
  }
}
