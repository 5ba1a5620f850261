package dev.imgpool.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.imgpool.image.ImageFormat;
import dev.imgpool.image.OutputSpec;
import dev.imgpool.task.CancelCause;
import dev.imgpool.task.CancellationToken;
import dev.imgpool.task.ImageTask;
import dev.imgpool.task.Reason;
import dev.imgpool.task.Status;
import dev.imgpool.task.TaskResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tests for {@link Scanner} and {@link OutputPlanner}, on jimfs. */
class ScannerTest {
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
  private static final List<OutputSpec> SAME = List.of(new OutputSpec(Optional.empty(), Optional.empty()));

  private FileSystem fs;
  private Path in;
  private Path out;
  private final CancellationToken token = new CancellationToken();
  private final List<ImageTask> tasks = new ArrayList<>();
  private final List<TaskResult> settled = new ArrayList<>();

  private final TaskSink sink =
      new TaskSink() {
        @Override
        public void task(ImageTask task) {
          tasks.add(task);
        }

        @Override
        public void result(TaskResult result) {
          settled.add(result);
        }
      };

  @BeforeEach
  void setUp() throws IOException {
    fs = Jimfs.newFileSystem(Configuration.unix());
    in = fs.getPath("/in");
    out = fs.getPath("/out");
    Files.createDirectories(in);
  }

  @AfterEach
  void tearDown() throws IOException {
    fs.close();
  }

  private void file(String relative, byte[] content) throws IOException {
    Path path = in.resolve(relative);
    Files.createDirectories(path.getParent());
    Files.write(path, content);
  }

  private void image(String relative) throws IOException {
    file(relative, PNG_SIGNATURE);
  }

  private Scanner scanner(ScanOptions options, List<OutputSpec> specs, String template) {
    return new Scanner(options, new OutputPlanner(out, NameTemplate.parse(template), specs), token);
  }

  private Scanner scanner() {
    return scanner(options(List.of(), List.of(), Shard.ALL), SAME, NameTemplate.DEFAULT);
  }

  private ScanOptions options(List<String> includes, List<String> excludes, Shard shard) {
    return new ScanOptions(
        in, out, includes.stream().map(Glob::compile).toList(), excludes.stream().map(Glob::compile).toList(), shard, false);
  }

  private List<String> taskInputs() {
    return tasks.stream().map(ImageTask::relativeInput).toList();
  }

  @Test
  void scanTree_nestedFolders_stableOrderFilesBeforeFolders() throws Exception {
    for (String name : List.of("b.jpg", "a.png", "z/y.gif", "m/n/o.tif", "m/a.bmp", "c.webp")) {
      image(name);
    }
    scanner().scanTree(sink);
    List<String> first = taskInputs();
    assertEquals(List.of("a.png", "b.jpg", "c.webp", "m/a.bmp", "m/n/o.tif", "z/y.gif"), first);
    tasks.clear();
    scanner().scanTree(sink);
    assertEquals(first, taskInputs());
  }

  @Test
  void scanTree_outputMirrorsInputTree() throws Exception {
    image("x/y/photo.JPG");
    scanner().scanTree(sink);
    ImageTask task = tasks.get(0);
    assertEquals(out.resolve("x/y"), task.outputDir());
    assertEquals("x/y", task.relativeOutputDir());
    assertEquals(List.of("photo.JPG"), task.outputNames());
    assertEquals("x/y/photo.JPG", task.relativeOutput(task.outputNames().get(0)));
  }

  @Test
  void scanTree_outputInsideInput_isNeverScanned() throws Exception {
    out = in.resolve("thumbs");
    image("a.jpg");
    image("thumbs/a.jpg");
    image("thumbs/deep/b.jpg");
    scanner().scanTree(sink);
    assertEquals(List.of("a.jpg"), taskInputs());
  }

  @Test
  void scanTree_selectsImagesByExtensionOrSignature() throws Exception {
    file("notes.txt", "hello".getBytes());
    file("fake.jpg", "<html>not an image</html>".getBytes());
    file("noext", PNG_SIGNATURE);
    file("README", "text without extension".getBytes());
    image(".hidden.png");
    image(".git/x.png");
    image(".imgpool-tmp-123-a.png");
    scanner().scanTree(sink);
    assertEquals(List.of("fake.jpg", "noext"), taskInputs());
  }

  @Test
  void scanTree_includeAndExclude_matchRelativePaths() throws Exception {
    for (String name : List.of("a.jpg", "a.png", "raw/b.jpg", "raw/deep/c.jpg", "keep/d.jpg")) {
      image(name);
    }
    scanner(options(List.of("**/*.jpg"), List.of("raw/**"), Shard.ALL), SAME, NameTemplate.DEFAULT).scanTree(sink);
    assertEquals(List.of("a.jpg", "keep/d.jpg"), taskInputs());
  }

  @Test
  void scanTree_shards_areDisjointAndCoverEveryFile() throws Exception {
    Set<String> all = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      String name = "d" + (i % 7) + "/img" + i + ".jpg";
      image(name);
      all.add(name);
    }
    Set<String> union = new HashSet<>();
    int sum = 0;
    for (int k = 0; k < 4; k++) {
      tasks.clear();
      scanner(options(List.of(), List.of(), new Shard(k, 4)), SAME, NameTemplate.DEFAULT).scanTree(sink);
      sum += tasks.size();
      union.addAll(taskInputs());
      assertTrue(tasks.size() > 20, "shard " + k + " has only " + tasks.size());
    }
    assertEquals(all, union);
    assertEquals(200, sum, "a file landed in two shards");
  }

  @Test
  void shard_assignment_isStable() {
    // Fixed values: a change here moves files between machines of a running fleet.
    assertEquals(0xaf63dc4c8601ec8cL, Shard.hash("a")); // the published FNV-1a test vector
    assertTrue(new Shard(1, 4).contains("photos/2024/img0001.jpg") == (Long.remainderUnsigned(Shard.hash("photos/2024/img0001.jpg"), 4) == 1));
  }

  @Test
  void plan_sameOutputNameFromTwoInputs_secondFailsNamingFirst() throws Exception {
    image("a.jpg");
    image("a.png");
    List<OutputSpec> toJpg = List.of(new OutputSpec(Optional.empty(), Optional.of(ImageFormat.JPG)));
    scanner(options(List.of(), List.of(), Shard.ALL), toJpg, NameTemplate.DEFAULT).scanTree(sink);
    assertEquals(List.of("a.jpg"), taskInputs());
    assertEquals(1, settled.size());
    TaskResult collision = settled.get(0);
    assertEquals("a.png", collision.input());
    assertEquals(Reason.COLLISION, collision.reason());
    assertTrue(collision.error().contains("a.jpg is already planned for a.jpg"), collision.error());
  }

  @Test
  void plan_namesDifferingInCaseOrNormalisation_collide() throws Exception {
    image("Photo.jpg");
    image("photo.jpg");
    image("caf\u00e9.png"); // precomposed
    image("cafe\u0301.png"); // decomposed
    scanner().scanTree(sink);
    assertEquals(2, tasks.size());
    assertEquals(2, settled.size());
    assertTrue(settled.stream().allMatch(r -> r.reason().equals(Reason.COLLISION)));
  }

  @Test
  void plan_forgetsFinishedFolders() throws Exception {
    for (int i = 0; i < 50; i++) {
      image("d" + i + "/a.jpg");
    }
    OutputPlanner planner = new OutputPlanner(out, NameTemplate.parse(NameTemplate.DEFAULT), SAME);
    new Scanner(options(List.of(), List.of(), Shard.ALL), planner, token).scanTree(sink);
    assertEquals(50, tasks.size());
    assertEquals(0, planner.rememberedFolders());
  }

  @Test
  void scanTree_afterCancel_listsRemainingImagesAsCancelledWithoutReading() throws Exception {
    image("a.jpg");
    image("b.jpg");
    file("c.txt", "x".getBytes());
    file("noext", PNG_SIGNATURE);
    token.cancel(CancelCause.SIGINT);
    scanner().scanTree(sink);
    assertEquals(List.of(), tasks);
    assertEquals(List.of("a.jpg", "b.jpg"), settled.stream().map(TaskResult::input).toList());
    assertTrue(settled.stream().allMatch(r -> r.status() == Status.CANCELLED));
  }

  @Test
  void scanList_pathsOutsideBase_failWithOutsideBase() throws Exception {
    image("a.jpg");
    image("sub/b.png");
    Scanner scanner = scanner();
    scanner.scanList(new BufferedReader(new StringReader("a.jpg\n\n/in/sub/b.png\n../etc/passwd\nmissing.jpg\n")), sink);
    assertEquals(List.of("a.jpg", "sub/b.png"), taskInputs());
    assertEquals(Reason.OUTSIDE_BASE, settled.get(0).reason());
    assertEquals("missing.jpg", settled.get(1).input());
    assertEquals(Reason.IO_ERROR, settled.get(1).reason());
  }

  @Test
  void nameTemplate_sizesAndExtension_arePlannedWithPlaceholders() {
    NameTemplate template = NameTemplate.parse("{name}-{w}.{ext}");
    String planned = template.plan("photo.jpeg", new OutputSpec(Optional.empty(), Optional.of(ImageFormat.WEBP)));
    assertEquals("photo-" + ImageTask.WIDTH + ".webp", planned);
    assertEquals("photo-800.webp", ImageTask.finishName(planned, 800, 600, "webp"));
  }
}
