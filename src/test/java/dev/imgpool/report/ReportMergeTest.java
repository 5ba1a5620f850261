package dev.imgpool.report;

import static dev.imgpool.testing.TestFiles.copyTree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imgpool.cli.Main;
import dev.imgpool.task.CancellationToken;
import dev.imgpool.task.OutputFile;
import dev.imgpool.task.Reason;
import dev.imgpool.task.Status;
import dev.imgpool.task.TaskResult;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Tests for {@code imgpool report}: {@link ReportReader}, {@link ReportMerge} and the command. */
@Timeout(120)
class ReportMergeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private ByteArrayOutputStream stderr = new ByteArrayOutputStream();

  private int imgpool(String... args) {
    stdout = new ByteArrayOutputStream();
    stderr = new ByteArrayOutputStream();
    Main main = new Main(new PrintStream(stdout, true, StandardCharsets.UTF_8),
        new PrintStream(stderr, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]), tmp,
        new CancellationToken(), false);
    return main.run(args);
  }

  private String err() {
    return stderr.toString(StandardCharsets.UTF_8);
  }

  private List<String> errLines() {
    return err().lines().toList();
  }


  private static List<JsonNode> lines(Path report) throws IOException {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(report, StandardCharsets.UTF_8)) {
      lines.add(JSON.readTree(line));
    }
    return lines;
  }

  private Path writeReport(String name, boolean withSummary, TaskResult... results) throws IOException {
    Path file = tmp.resolve(name);
    Summary.Builder counts = new Summary.Builder();
    try (OutputStream out = Files.newOutputStream(file); JsonLinesReport report = new JsonLinesReport(out)) {
      for (TaskResult result : results) {
        report.write(result);
        counts.add(result);
      }
      if (withSummary) {
        report.writeSummary(counts.build(1000, 0));
      }
    }
    return file;
  }

  private static TaskResult ok(String input) {
    return new TaskResult(input, Status.OK, null, null, 100, 50, 1000, List.of(new OutputFile(input, 50, 25, 300)),
        List.of(), 0, 5);
  }

  @Test
  void report_twoShardsOfARealRun_mergeToTheWholeRun() throws IOException {
    copyTree(Path.of("testdata/mixed"), tmp.resolve("in"));
    for (String shard : List.of("0/2", "1/2")) {
      String report = "s" + (char) (shard.charAt(0) + 1) + ".jsonl";
      int code = imgpool("in", "out", "-w", "2", "--resize", "200x200", "--shard", shard, "--report", report, "-q");
      assertTrue(code == 0 || code == 1, err());
    }

    int code = imgpool("report", "s1.jsonl", "s2.jsonl", "--report", "all.jsonl", "--html", "all.html");
    assertEquals(1, code, err());
    String last = errLines().get(errLines().size() - 1);
    assertTrue(last.startsWith("9 files: 7 ok, 2 failed in "), err());
    assertFalse(err().contains("duplicate"), err());

    List<JsonNode> merged = lines(tmp.resolve("all.jsonl"));
    assertEquals(10, merged.size());
    JsonNode summary = merged.get(9).get("summary");
    assertEquals(9, summary.get("files").asInt());
    assertEquals(7, summary.get("ok").asInt());
    assertEquals(2, summary.get("failed").asInt());
    assertEquals(1, summary.get("exitCode").asInt());
    Set<String> inputs = new HashSet<>();
    merged.subList(0, 9).forEach(line -> inputs.add(line.get("input").asText()));
    assertEquals(Set.of("a.jpg", "b.png", "c.gif", "d.bmp", "e.tiff", "sub/f.jpg", "noext", "broken.jpg", "fake.png"), inputs);
    long shardLines = lines(tmp.resolve("s1.jsonl")).size() + lines(tmp.resolve("s2.jsonl")).size();
    assertEquals(11, shardLines, "each shard has its lines and a summary");

    String page = Files.readString(tmp.resolve("all.html"), StandardCharsets.UTF_8);
    assertTrue(page.contains("id=\"count-files\">9<"));
    assertTrue(page.contains("Merged from 2 reports: s1.jsonl, s2.jsonl."));
    assertTrue(page.contains("imgpool report s1.jsonl s2.jsonl --report all.jsonl --html all.html"));
    HtmlReportTest.assertNoNetworkUrl(page);
  }

  @Test
  void report_withOutputFolder_putsABareHtmlNameUnderItAndLinksThumbnails() throws IOException {
    copyTree(Path.of("testdata/mixed"), tmp.resolve("in"));
    imgpool("in", "out", "-w", "2", "--resize", "200x200", "--report", "run.jsonl", "-q");
    assertEquals(1, imgpool("report", "run.jsonl", "--output", "out", "--html", "merged.html"), err());
    String page = Files.readString(tmp.resolve("out/merged.html"), StandardCharsets.UTF_8);
    assertTrue(page.contains("<img src=\"sub/f.jpg\""), "linked thumbnails");
  }

  @Test
  void report_overlappingShards_flagsEveryDuplicate() throws IOException {
    writeReport("s1.jsonl", true, ok("a.jpg"), ok("b.jpg"));
    writeReport("s2.jsonl", true, ok("c.jpg"), ok("a.jpg"));
    writeReport("s3.jsonl", true, ok("b.jpg"), ok("d.jpg"));

    int code = imgpool("report", "s1.jsonl", "s2.jsonl", "s3.jsonl", "--report", "all.jsonl", "--html", "all.html");
    assertEquals(0, code, err());
    assertTrue(err().contains("imgpool: duplicate input a.jpg in s2.jsonl, already in s1.jsonl"), err());
    assertTrue(err().contains("imgpool: duplicate input b.jpg in s3.jsonl, already in s1.jsonl"), err());
    assertTrue(err().contains("imgpool: 2 inputs appear in more than one report"), err());
    assertTrue(errLines().get(errLines().size() - 1).startsWith("6 files: 6 ok in "), err());
    assertEquals(7, lines(tmp.resolve("all.jsonl")).size(), "duplicates are kept");

    String page = Files.readString(tmp.resolve("all.html"), StandardCharsets.UTF_8);
    assertTrue(page.contains("id=\"count-duplicates\">2<"));
    assertEquals(2, page.split("<span class=\"dup\">duplicate</span>", -1).length - 1);
  }

  @Test
  void merge_manyDuplicates_printsTheFirstFewAndACount() throws IOException {
    TaskResult[] results = new TaskResult[50];
    for (int i = 0; i < results.length; i++) {
      results[i] = ok("img" + i + ".jpg");
    }
    writeReport("s1.jsonl", true, results);
    writeReport("s2.jsonl", true, results);
    assertEquals(0, imgpool("report", "s1.jsonl", "s2.jsonl"), err());
    assertEquals(ReportMerge.DUPLICATES_SHOWN, errLines().stream().filter(l -> l.startsWith("imgpool: duplicate input")).count());
    assertTrue(err().contains("imgpool: 30 more duplicate inputs not listed"), err());
    assertTrue(err().contains("imgpool: 50 inputs appear in more than one report"), err());
  }

  @Test
  void report_exitCodes_followTheStatuses() throws IOException {
    writeReport("ok.jsonl", true, ok("a.jpg"),
        new TaskResult("b.jpg", Status.SKIPPED, null, null, 0, 0, 10, List.of(new OutputFile("b.jpg", 0, 0, 5)), List.of(), 0, 0));
    writeReport("timeout.jsonl", true, ok("c.jpg"),
        TaskResult.failed("d.tif", Status.TIMEOUT, Reason.TIMEOUT, "aborted after --file-timeout 1.0 s", 1000));
    writeReport("failed.jsonl", true, TaskResult.failed("e.jpg", Status.FAILED, Reason.CORRUPT, "corrupt", 1));
    writeReport("cancelled.jsonl", true, TaskResult.cancelled("f.jpg"));

    assertEquals(0, imgpool("report", "ok.jsonl"), err());
    assertEquals("2 files: 1 ok, 1 skipped in 1.0 s", errLines().get(errLines().size() - 1));
    assertEquals(1, imgpool("report", "ok.jsonl", "timeout.jsonl"), err());
    assertEquals(1, imgpool("report", "ok.jsonl", "failed.jsonl"), err());
    assertEquals(1, imgpool("report", "ok.jsonl", "cancelled.jsonl"), err());
  }

  @Test
  void report_unreadableOrInvalidInput_isAUsageErrorNamingTheFile() throws IOException {
    writeReport("ok.jsonl", true, ok("a.jpg"));
    assertEquals(2, imgpool("report", "ok.jsonl", "missing.jsonl", "--report", "all.jsonl"));
    assertEquals(List.of("imgpool: cannot read report missing.jsonl: no such file"), errLines());
    assertFalse(Files.exists(tmp.resolve("all.jsonl")), "nothing written on a usage error");

    Files.createDirectories(tmp.resolve("folder"));
    assertEquals(2, imgpool("report", "folder"));
    assertEquals(List.of("imgpool: cannot read report folder: it is a folder"), errLines());

    Files.writeString(tmp.resolve("bad.jsonl"), "{\"input\":\"z.jpg\",\"status\":\"ok\",\"millis\":1}\nnot json at all\n");
    assertEquals(2, imgpool("report", "ok.jsonl", "bad.jsonl", "--report", "all.jsonl"));
    assertEquals(1, errLines().size(), err());
    assertTrue(err().startsWith("imgpool: bad.jsonl:2: not JSON"), err());
    assertFalse(Files.exists(tmp.resolve("all.jsonl")), "no half-merged report is left");

    Files.writeString(tmp.resolve("odd.jsonl"), "{\"input\":\"a.jpg\",\"status\":\"splendid\"}\n");
    assertEquals(2, imgpool("report", "odd.jsonl"));
    assertEquals(List.of("imgpool: odd.jsonl:1: not a report line: unknown status \"splendid\""), errLines());

    assertEquals(2, imgpool("report"));
    assertTrue(err().startsWith("imgpool: Missing required parameter: 'FILE'"), err());
  }

  @Test
  void report_toStdout_andAReportWithoutSummary_isWarnedAbout() throws IOException {
    writeReport("killed.jsonl", false, ok("a.jpg"), ok("b.jpg"));
    assertEquals(0, imgpool("report", "killed.jsonl", "--report", "-"));
    assertTrue(err().contains("imgpool: killed.jsonl has no summary line"), err());
    List<String> out = stdout.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(3, out.size());
    assertTrue(out.get(2).startsWith("{\"summary\":{\"files\":2,\"ok\":2,"), out.get(2));
  }

  @Test
  void report_folderNamedReportAsOutput_isStillARun() throws IOException {
    copyTree(Path.of("testdata/mixed/sub"), tmp.resolve("in"));
    assertEquals(0, imgpool("in", "report", "-q"), err());
    assertTrue(Files.exists(tmp.resolve("report/f.jpg")));
  }

  @Test
  void reader_turnsEveryLineBackIntoItsResult() throws IOException {
    List<TaskResult> results = List.of(
        ok("a.jpg"),
        new TaskResult("multi.png", Status.OK, null, null, 4000, 3000, 123_456,
            List.of(new OutputFile("multi-800.webp", 800, 600, 9_000), new OutputFile("multi-400.webp", 400, 300, 3_000)),
            List.of("CMYK without a profile", "first frame only"), 3, 41),
        new TaskResult("old.jpg", Status.SKIPPED, null, null, 0, 0, 77, List.of(new OutputFile("old.jpg", 0, 0, 66)), List.of(), 0, 0),
        TaskResult.failed("bad \"name\"\n.png", Status.FAILED, Reason.TRUNCATED, "truncated PNG: data ends early", 3),
        TaskResult.failed("slow.tif", Status.TIMEOUT, Reason.TIMEOUT, "aborted", 30_000),
        TaskResult.cancelled("late.jpg"));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JsonLinesReport report = new JsonLinesReport(bytes)) {
      for (TaskResult result : results) {
        report.write(result);
      }
      report.writeSummary(new Summary(6, 2, 1, 1, 1, 1, 123_456 + 1000, 12_300, 4210, 1));
    }
    List<TaskResult> read = new ArrayList<>();
    List<Summary> summaries = new ArrayList<>();
    ReportReader.read(new BufferedReader(new StringReader(bytes.toString(StandardCharsets.UTF_8))), "r.jsonl",
        new ReportReader.Handler() {
          @Override
          public void result(TaskResult result) {
            read.add(result);
          }

          @Override
          public void summary(Summary summary) {
            summaries.add(summary);
          }
        });
    assertEquals(results, read);
    assertEquals(List.of(new Summary(6, 2, 1, 1, 1, 1, 124_456, 12_300, 4210, 1)), summaries);
  }

  @Test
  void inputSet_findsTheEarlierReportAcrossGrowth() {
    InputSet set = new InputSet();
    for (int i = 0; i < 100_000; i++) {
      assertEquals(-1, set.add("folder/" + i + ".jpg", i % 7));
    }
    assertEquals(100_000, set.size());
    for (int i = 0; i < 100_000; i += 997) {
      assertEquals(i % 7, set.add("folder/" + i + ".jpg", 9));
    }
    assertEquals(100_000, set.size());
  }
}
