package dev.imgpool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.imgpool.task.CancellationToken;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole command on jimfs: the --if-exists policies and re-runs. */
class IfExistsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private FileSystem fs;
  private Path work;
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

  @BeforeEach
  void setUp() throws IOException {
    fs = Jimfs.newFileSystem(Configuration.unix());
    work = fs.getPath("/work");
    Files.createDirectories(work.resolve("in/sub"));
    Files.write(work.resolve("in/a.jpg"), Files.readAllBytes(Path.of("testdata/mixed/a.jpg")));
    Files.write(work.resolve("in/sub/b.png"), Files.readAllBytes(Path.of("testdata/mixed/b.png")));
  }

  @AfterEach
  void tearDown() throws IOException {
    fs.close();
  }

  private JsonNode run(String... args) throws IOException {
    List<String> all = new java.util.ArrayList<>(List.of("in", "out", "--report", "r.jsonl", "-q"));
    all.addAll(List.of(args));
    int code = new Main(new PrintStream(new ByteArrayOutputStream()), new PrintStream(stderr, true, StandardCharsets.UTF_8),
        new ByteArrayInputStream(new byte[0]), work, new CancellationToken(), false).run(all.toArray(String[]::new));
    assertTrue(Files.exists(work.resolve("r.jsonl")), "exit " + code + ": " + stderr);
    List<String> lines = Files.readAllLines(work.resolve("r.jsonl"));
    JsonNode summary = JSON.readTree(lines.get(lines.size() - 1)).get("summary");
    assertEquals(code, summary.get("exitCode").asInt());
    return summary;
  }

  @Test
  void update_unchangedTree_skipsAndTouchedInputRedoes() throws IOException {
    assertEquals(2, run("--resize", "64x64").get("ok").asInt());
    assertEquals(2, run("--resize", "64x64").get("skipped").asInt());
    Files.setLastModifiedTime(work.resolve("in/a.jpg"), FileTime.from(Instant.now().plusSeconds(60)));
    JsonNode summary = run("--resize", "64x64");
    assertEquals(1, summary.get("ok").asInt());
    assertEquals(1, summary.get("skipped").asInt());
  }

  @Test
  void update_changedOption_redoesEverything() throws IOException {
    run("--resize", "64x64");
    assertEquals(2, run("--resize", "64x64", "--quality", "60").get("ok").asInt());
  }

  @Test
  void update_outputWithoutStateRecord_isRedone() throws IOException {
    run("--resize", "64x64");
    Files.delete(work.resolve("out/.imgpool-state.jsonl"));
    assertEquals(2, run("--resize", "64x64").get("ok").asInt());
  }

  @Test
  void skip_existingOutputs_skipsWhateverTheOptions() throws IOException {
    run("--resize", "64x64");
    assertEquals(2, run("--resize", "32x32", "--if-exists", "skip").get("skipped").asInt());
  }

  @Test
  void overwrite_alwaysWrites() throws IOException {
    run("--resize", "64x64");
    assertEquals(2, run("--resize", "64x64", "--if-exists", "overwrite").get("ok").asInt());
  }

  @Test
  void fail_existingOutput_failsTheFileWithReasonExists() throws IOException {
    run("--resize", "64x64");
    JsonNode summary = run("--resize", "64x64", "--if-exists", "fail");
    assertEquals(2, summary.get("failed").asInt());
    assertEquals(1, summary.get("exitCode").asInt());
    assertTrue(Files.readString(work.resolve("r.jsonl")).contains("\"reason\":\"exists\""));
  }
}
