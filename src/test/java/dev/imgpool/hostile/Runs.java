package dev.imgpool.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imgpool.cli.Main;
import dev.imgpool.task.CancellationToken;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Runs the real command in-process and reads what it left: the report, and digests of trees. */
public final class Runs {
  public static final Path TESTDATA = Path.of("testdata");
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A message that is only a class name, or shows one: what a person must never be shown. */
  private static final Pattern CLASS_NAME = Pattern.compile("(^|\\s)(java|javax|sun|com\\.sun|com\\.twelvemonkeys)\\.\\w+|\\w+(Exception|Error)\\b");
  private static final Pattern NULL_WORD = Pattern.compile("\\bnull\\b", Pattern.CASE_INSENSITIVE);

  /** What one run of {@link Main} returned and printed. */
  record Result(int exitCode, String stdout, String stderr, long millis) {}

  private Runs() {}

  static Result run(Path workingDir, String... args) {
    return run(workingDir, new ByteArrayInputStream(new byte[0]), new CancellationToken(), args);
  }

  static Result run(Path workingDir, InputStream stdin, CancellationToken token, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    long start = System.nanoTime();
    int code =
        new Main(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
            stdin, workingDir, token, false).run(args);
    long millis = (System.nanoTime() - start) / 1_000_000;
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), millis);
  }

  /**
   * The report's lines by input path, checking on the way that it is well-formed: one JSON object
   * per line, every input exactly once, a summary last whose counts match.
   */
  public static Map<String, JsonNode> readReport(Path report) throws IOException {
    List<String> lines = Files.readAllLines(report, StandardCharsets.UTF_8);
    assertFalse(lines.isEmpty(), "empty report");
    Map<String, JsonNode> byInput = new LinkedHashMap<>();
    for (String line : lines.subList(0, lines.size() - 1)) {
      JsonNode node = JSON.readTree(line);
      assertNull(byInput.put(node.get("input").asText(), node), "reported twice: " + line);
    }
    JsonNode summary = JSON.readTree(lines.get(lines.size() - 1)).get("summary");
    assertNotNull(summary, "no summary line at the end");
    assertEquals(byInput.size(), summary.get("files").asInt(), "summary file count");
    return byInput;
  }

  public static JsonNode summary(Path report) throws IOException {
    List<String> lines = Files.readAllLines(report, StandardCharsets.UTF_8);
    return JSON.readTree(lines.get(lines.size() - 1)).get("summary");
  }

  /** A failure message a person can read: one line, no class names, no "null". */
  public static void assertReadable(String input, JsonNode line) {
    JsonNode error = line.get("error");
    assertNotNull(error, input + ": no error message: " + line);
    String message = error.asText();
    assertFalse(message.isBlank(), input + ": blank message");
    assertFalse(message.contains("\n"), input + ": message of several lines: " + message);
    assertFalse(NULL_WORD.matcher(message).find(), input + ": message says null: " + message);
    assertFalse(CLASS_NAME.matcher(message).find(), input + ": message shows a class name: " + message);
    assertTrue(message.length() >= 12, input + ": message too short to say anything: " + message);
  }

  /**
   * A digest of a tree: every path (files, folders, links with their targets) with the SHA-256 of
   * each file's bytes, one line each, sorted. Equal digests mean nothing was added, removed,
   * renamed or changed.
   */
  public static String treeDigest(Path root) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        String relative = root.relativize(path).toString();
        if (Files.isSymbolicLink(path)) {
          lines.add("L " + relative + " -> " + Files.readSymbolicLink(path));
        } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
          lines.add("D " + relative);
        } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
          lines.add("F " + relative + " " + sha256(Files.readAllBytes(path)) + " " + Files.getLastModifiedTime(path).toMillis());
        } else {
          lines.add("O " + relative);
        }
      }
    }
    lines.sort(null);
    return String.join("\n", lines);
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** True when this JVM runs as root, for whom permission bits do not stop reads or writes. */
  public static boolean isRoot() {
    try {
      return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    } catch (RuntimeException | LinkageError e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }
}
