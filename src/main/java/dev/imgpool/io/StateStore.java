package dev.imgpool.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers which options made each output, for {@code --if-exists update}: an append-only JSON
 * Lines file under OUTPUT, one line per output written after its atomic move. A line cut short by
 * a kill is ignored, and an output with no line is redone, so a killed run never passes for a
 * finished one.
 *
 * <p>Thread-safe.
 */
public final class StateStore implements AutoCloseable {
  /** The state file's name under OUTPUT; hidden, so never scanned as input. */
  public static final String FILE_NAME = ".imgpool-state.jsonl";

  private static final JsonFactory JSON = new JsonFactory();

  private final Map<String, String> fingerprints = new ConcurrentHashMap<>();
  private final Path file;
  private Writer writer; // guarded by this; opened on the first record

  private StateStore(Path file) {
    this.file = file;
  }

  /** Loads the state of {@code outputRoot}; a missing or damaged file just knows less. */
  public static StateStore open(Path outputRoot) throws IOException {
    StateStore store = new StateStore(outputRoot.resolve(FILE_NAME));
    try (BufferedReader reader = Files.newBufferedReader(store.file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null) {
        store.parse(line);
      }
    } catch (NoSuchFileException absent) {
      // a first run
    }
    return store;
  }

  /** A store that knows nothing and is never written, for a dry run over a missing OUTPUT. */
  public static StateStore empty() {
    return new StateStore(null);
  }

  /** The fingerprint recorded for an output (relative to OUTPUT), if any. */
  public Optional<String> fingerprintOf(String relativeOutput) {
    return Optional.ofNullable(fingerprints.get(relativeOutput));
  }

  /** Records that {@code relativeOutput} now holds the result of {@code fingerprint}. */
  public void record(String relativeOutput, String fingerprint) throws IOException {
    Objects.requireNonNull(relativeOutput, "relativeOutput");
    Objects.requireNonNull(fingerprint, "fingerprint");
    if (fingerprint.equals(fingerprints.put(relativeOutput, fingerprint))) {
      return;
    }
    StringWriter line = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(line)) {
      json.writeStartObject();
      json.writeStringField("output", relativeOutput);
      json.writeStringField("fingerprint", fingerprint);
      json.writeEndObject();
    }
    synchronized (this) {
      if (writer == null) {
        writer =
            Files.newBufferedWriter(
                file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      }
      writer.write(line + "\n");
      writer.flush();
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (writer != null) {
      writer.close();
      writer = null;
    }
  }

  private void parse(String line) {
    String output = null;
    String fingerprint = null;
    try (JsonParser parser = JSON.createParser(line)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        parser.nextToken();
        if (field.equals("output")) {
          output = parser.getValueAsString();
        } else if (field.equals("fingerprint")) {
          fingerprint = parser.getValueAsString();
        } else {
          parser.skipChildren();
        }
      }
    } catch (IOException damaged) {
      return; // a line cut short by a kill
    }
    if (output != null && fingerprint != null) {
      fingerprints.put(output, fingerprint);
    }
  }
}
