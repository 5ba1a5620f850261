package dev.imgpool.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class TempFilesTest {
  private static final long PID = ProcessHandle.current().pid();

  @Test
  void writeAtomically_namesItsTemporaryAfterThisProcess_andLeavesOnlyTheTarget() throws IOException {
    try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
      Path target = fs.getPath("/out/sub/a.jpg");
      List<String> during = new ArrayList<>();
      long size = new TempFiles().writeAtomically(target, out -> {
        try (Stream<Path> files = Files.list(target.getParent())) {
          files.forEach(file -> during.add(file.getFileName().toString()));
        }
        out.write("image".getBytes(StandardCharsets.US_ASCII));
      }, () -> true);
      assertEquals(5, size);
      assertEquals(1, during.size(), during.toString());
      assertTrue(during.get(0).startsWith(TempFiles.PREFIX + "p" + PID + "@"), during.get(0));
      assertTrue(during.get(0).startsWith(TempFiles.PREFIX + TempFiles.owner() + "-"), during.get(0));
      assertTrue(during.get(0).endsWith("-a.jpg"), during.get(0));
      assertEquals("image", Files.readString(target));
      assertFalse(TempFiles.containsTemporaries(fs.getPath("/out")));
    }
  }

  @Test
  void sweep_removesWhatEndedRunsLeft_andKeepsTheTemporariesOfARunStillGoing() throws Exception {
    long alive = ProcessHandle.current().parent().orElseThrow().pid(); // the build running this test
    Process finished = new ProcessBuilder("true").start();
    assertTrue(finished.waitFor(10, TimeUnit.SECONDS));
    long dead = finished.pid();
    try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
      Path out = Files.createDirectories(fs.getPath("/out/sub"));
      String host = TempFiles.owner().substring(TempFiles.owner().indexOf('@'));
      String elsewhere = host.equals("@00000000") ? "@00000001" : "@00000000";
      Instant now = Instant.now();
      Instant twoDaysAgo = now.minus(Duration.ofDays(2));
      Path running = write(out.resolve(TempFiles.PREFIX + "p" + alive + host + "-1f-a.jpg"), now);
      Path stale = write(out.resolve(TempFiles.PREFIX + "p" + alive + host + "-2e-b.jpg"), twoDaysAgo);
      Path ended = write(out.resolve(TempFiles.PREFIX + "p" + dead + host + "-3d-c.jpg"), now);
      Path ours = write(out.resolve(TempFiles.PREFIX + "p" + PID + host + "-4c-d.jpg"), now);
      // another machine's: its ids mean nothing here, even this process's own
      Path remote = write(out.resolve(TempFiles.PREFIX + "p" + PID + elsewhere + "-5b-e.jpg"), now);
      Path remoteStale = write(out.resolve(TempFiles.PREFIX + "p" + dead + elsewhere + "-6a-f.jpg"), twoDaysAgo);
      Path olderBuild = write(out.resolve(TempFiles.PREFIX + "0123456789abcdef-g.jpg"), now);
      Path noId = write(out.resolve(TempFiles.PREFIX + "p@" + host.substring(1) + "-79-h.jpg"), now);
      Path output = write(out.resolve("z.jpg"), now);

      assertEquals(6, TempFiles.sweepOrphans(fs.getPath("/out")));
      assertTrue(Files.exists(running), "a run still going keeps its temporary");
      assertTrue(Files.exists(remote), "another machine's temporary of today is kept");
      assertTrue(Files.exists(output));
      for (Path gone : List.of(stale, ended, ours, remoteStale, olderBuild, noId)) {
        assertFalse(Files.exists(gone), gone.toString());
      }
    }
  }

  private static Path write(Path file, Instant modified) throws IOException {
    Files.writeString(file, "x");
    Files.setLastModifiedTime(file, FileTime.from(modified));
    return file;
  }
}
