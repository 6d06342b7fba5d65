package io.multiraft.bench.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A driver killed outright (SIGKILL) leaves no child and no run directory behind. */
class ParentWatchTest {
  @TempDir
  Path work;

  @Test
  @Timeout(60)
  void childEndsAndCleansUpWhenItsStdinCloses() throws Exception {
    Path lib = PeerRuntime.locate();
    assertNotNull(lib, "peer-lib missing: build with -pl bench -am");
    Path runDir = Files.createDirectories(work.resolve("run"));
    Files.createDirectories(runDir.resolve("tmp"));
    Process p = new ProcessBuilder(PeerRuntime.command(lib, runDir, PeerRequest.idle(1).withWorkDir(work)))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
      // the first progress line: the child is running, its replicas writing into the run directory
      String line = err.readLine();
      while (line != null && !line.startsWith("peer-progress")) {
        line = err.readLine();
      }
      assertNotNull(line, "the child ended before reporting progress");
      p.getOutputStream().close(); // what the kernel does when the driver dies by SIGKILL

      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the child outlived its driver");
      assertEquals(3, p.exitValue());
      assertFalse(Files.exists(runDir), "the child left the run directory behind");
    } finally {
      ChildJvm.kill(p);
    }
  }
}
