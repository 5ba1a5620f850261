package dev.imgpool.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.imgpool.task.OutputFile;
import dev.imgpool.task.TaskResult;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Streams the JSON Lines report: one object per file as results arrive, then the summary line.
 * Nothing is held back, so a million files cost no more memory than ten. Names are escaped by
 * Jackson; bytes that are not valid UTF-8 in a file name arrive here already replaced.
 *
 * <p>Not thread-safe: the collector thread alone writes.
 */
public final class JsonLinesReport implements AutoCloseable {
  private static final JsonFactory JSON = new JsonFactory();

  private final JsonGenerator json;

  public JsonLinesReport(OutputStream out) {
    try {
      json = JSON.createGenerator(out);
      json.setRootValueSeparator(new SerializedString(""));
      json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void write(TaskResult result) throws IOException {
    json.writeStartObject();
    json.writeStringField("input", result.input());
    if (result.outputs().size() == 1) {
      json.writeStringField("output", result.outputs().get(0).path());
    }
    json.writeStringField("status", result.status().word());
    if (result.reason() != null) {
      json.writeStringField("reason", result.reason());
    }
    if (result.error() != null) {
      json.writeStringField("error", result.error());
    }
    if (result.width() > 0) {
      json.writeNumberField("width", result.width());
      json.writeNumberField("height", result.height());
    }
    if (result.outputs().size() == 1 && result.outputs().get(0).width() > 0) {
      json.writeNumberField("outWidth", result.outputs().get(0).width());
      json.writeNumberField("outHeight", result.outputs().get(0).height());
    }
    if (result.bytesIn() >= 0) {
      json.writeNumberField("bytesIn", result.bytesIn());
    }
    if (result.outputs().size() == 1) {
      json.writeNumberField("bytesOut", result.outputs().get(0).bytes());
    } else if (result.outputs().size() > 1) {
      json.writeArrayFieldStart("outputs");
      for (OutputFile output : result.outputs()) {
        json.writeStartObject();
        json.writeStringField("path", output.path());
        json.writeNumberField("width", output.width());
        json.writeNumberField("height", output.height());
        json.writeNumberField("bytes", output.bytes());
        json.writeEndObject();
      }
      json.writeEndArray();
    }
    if (result.frames() > 1) {
      json.writeNumberField("frames", result.frames());
    }
    if (!result.warnings().isEmpty()) {
      json.writeArrayFieldStart("warnings");
      for (String warning : result.warnings()) {
        json.writeString(warning);
      }
      json.writeEndArray();
    }
    json.writeNumberField("millis", result.millis());
    json.writeEndObject();
    json.writeRaw('\n');
    json.flush();
  }

  public void writeSummary(Summary summary) throws IOException {
    json.writeStartObject();
    json.writeObjectFieldStart("summary");
    json.writeNumberField("files", summary.files());
    json.writeNumberField("ok", summary.ok());
    json.writeNumberField("skipped", summary.skipped());
    json.writeNumberField("failed", summary.failed());
    json.writeNumberField("timeout", summary.timeout());
    json.writeNumberField("cancelled", summary.cancelled());
    json.writeNumberField("bytesIn", summary.bytesIn());
    json.writeNumberField("bytesOut", summary.bytesOut());
    json.writeNumberField("millis", summary.millis());
    json.writeNumberField("exitCode", summary.exitCode());
    json.writeEndObject();
    json.writeEndObject();
    json.writeRaw('\n');
    json.flush();
  }

  @Override
  public void close() throws IOException {
    json.close();
  }
}
