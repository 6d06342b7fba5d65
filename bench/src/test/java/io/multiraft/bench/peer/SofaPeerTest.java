package io.multiraft.bench.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs the SOFAJRaft peer for real, tiny: 3 nodes in one child JVM. */
class SofaPeerTest {
  @TempDir
  Path work;

  @Test
  @Timeout(60)
  void tinyThroughputRunReportsWrites() throws IOException {
    Map<String, Object> r = SofaPeer.run(PeerRequest.throughput(2).withLoad(2, 16, 128).withTimes(1, 2)
        .withBounds(20_000, 45_000).withWorkDir(work));

    assertEquals("sofajraft", r.get("name"));
    assertEquals("ok", r.get("status"), () -> "result: " + r);
    assertTrue(((Number) r.get("writes_per_sec")).doubleValue() > 0, () -> "result: " + r);
    assertEquals(2L, r.get("groups_led"));
    assertTrue(((Number) r.get("threads")).longValue() > 0);
    assertTrue(((Number) r.get("rss_bytes_per_node")).doubleValue() > 0);
    assertNothingLeft();
  }

  @Test
  @Timeout(60)
  void leadersBoundTooShortIsAStatusNotAnException() throws IOException {
    // 1 ms: no group can elect a leader in time, so the child itself reports the timeout
    Map<String, Object> r = SofaPeer.run(PeerRequest.throughput(2).withBounds(1, 45_000).withWorkDir(work));

    assertEquals("leaders_timeout", r.get("status"), () -> "result: " + r);
    assertTrue(((Number) r.get("groups_led")).longValue() < 2);
    assertNothingLeft();
  }

  @Test
  @Timeout(60)
  void hardBoundKillsTheChild() throws IOException {
    // the child cannot even start its JVM and three endpoints in 300 ms: the driver must kill it
    Map<String, Object> r = SofaPeer.run(PeerRequest.throughput(2).withBounds(20_000, 300).withWorkDir(work));

    assertEquals("timeout", r.get("status"), () -> "result: " + r);
    assertNotEquals(null, r.get("error"));
    assertNothingLeft();
  }

  @Test
  @Timeout(60)
  void residentMemoryLimitStopsTheRun() throws IOException {
    // no JVM fits in 1 MB: the child's guard ends the run and says how far it got
    Map<String, Object> r = SofaPeer.run(PeerRequest.throughput(2).withRssLimit(1 << 20).withWorkDir(work));

    assertEquals("rss_limit", r.get("status"), () -> "result: " + r);
    assertTrue(r.containsKey("groups_started"));
    assertNothingLeft();
  }

  private void assertNothingLeft() throws IOException {
    assertEquals(0, ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count(),
        "a child process outlived its run");
    try (Stream<Path> s = Files.list(work)) {
      assertEquals(0, s.count(), "the per-run directory was not deleted");
    }
  }
}
