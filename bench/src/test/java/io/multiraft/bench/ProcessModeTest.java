package io.multiraft.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The scenarios end to end in processes mode: three node JVMs over the Netty transport with
 * RocksDB logs. Checks that the figures are there and sane, not how good they are.
 */
class ProcessModeTest {
  @TempDir
  Path runParent;

  @TempDir
  Path out;

  @AfterEach
  void noChildOutlivesARun() {
    assertEquals(List.of(), liveChildren(), "node processes left running");
  }

  @Test
  void throughputQuickReportsFiguresOfAllNodesAndThePeerBeside() throws Exception {
    Path json = out.resolve("throughput.json");
    assertEquals(0, run("throughput", "--quick", "--peer", "sofajraft", "--run-dir", runParent.toString(),
        "--json", json.toString()));
    String s = Files.readString(json);
    // The peer's figures are its own business here: only that it ran and said how it went.
    assertTrue(s.contains("\"peer\": {") && s.contains("\"name\": \"sofajraft\""), s);
    assertTrue(Pattern.compile("\"status\": \"[a-z_]+\"").matcher(s).find(), s);
    assertTrue(s.contains("\"ratio\": {"), s);
    assertReport(out.resolve("throughput.html"));
    assertTrue(s.contains("\"scenario\": \"throughput\"") && s.contains("\"mode\": \"processes\""), s);
    assertEquals(3, (int) figure(s, "nodes"), s);
    assertEquals(128, (int) figure(s, "payload_bytes"), s);
    for (String k : List.of("writes_per_sec", "p50_ms", "p99_ms", "p999_ms", "cpu_cores_per_node", "syncs_per_sec",
        "entries_per_sync", "wire_msgs_per_sec", "rss_bytes_per_node", "leaders_ready_ms")) {
      assertTrue(figure(s, k) > 0, k + " must be > 0 in " + s);
    }
    assertTrue(figure(s, "p50_ms") <= figure(s, "p99_ms") && figure(s, "p99_ms") <= figure(s, "p999_ms"), s);
    assertTrue(figure(s, "entries_per_sync") >= 1, s);
    // Leadership is spread over the nodes (it was 87 / 905 / 8 of 1,000 when every replica took the
    // fast first election and groups were created before the links were up).
    Matcher led = Pattern.compile("\"groups_led_per_node\": \"\\[([0-9, ]+)]\"").matcher(s);
    assertTrue(led.find(), s);
    int groups = (int) figure(s, "groups");
    for (String n : led.group(1).split(",\\s*")) {
      int k = Integer.parseInt(n.trim());
      assertTrue(k >= groups / 5 && k <= groups / 2, "a node leads " + k + " of " + groups + ": " + s);
    }
    assertRunDirGone();
  }

  @Test
  void idleQuickReportsFiguresOfAllNodes() throws Exception {
    Path json = out.resolve("idle.json");
    assertEquals(0, run("idle", "--quick", "--run-dir", runParent.toString(), "--json", json.toString()));
    String s = Files.readString(json);
    assertTrue(s.contains("\"scenario\": \"idle\"") && s.contains("\"mode\": \"processes\""), s);
    assertEquals(100, (int) figure(s, "groups"), s);
    for (String k : List.of("leaders_ready_ms", "cpu_cores_per_node", "heap_bytes_per_replica", "rss_bytes_per_node",
        "threads_per_node")) {
      assertTrue(figure(s, k) > 0, k + " must be > 0 in " + s);
    }
    assertTrue(figure(s, "wire_msgs_per_sec") >= 0, s);
    assertEquals(0, (int) figure(s, "active_groups"), "every group quiesced: " + s);
    assertReport(out.resolve("idle.html"));
    assertRunDirGone();
  }

  @Test
  void aNodeThatDiesFailsTheRunNamingItAndLeavesNothingBehind() throws Exception {
    StringWriter err = new StringWriter();
    CommandLine cmd = BenchMain.commandLine().setErr(new PrintWriter(err, true));
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cmd.execute(
        "throughput", "--quick", "--seconds", "60", "--run-dir", runParent.toString(),
        "--report", out.toString()));
    // Kill a node once the nodes have connected to each other: mid-run, not at start-up.
    ProcessStats.await("a node to connect to its peers", () -> logsMention("connected to node"), 60_000);
    ProcessHandle victim = liveChildren().get(0);
    victim.destroyForcibly();
    int code = exit.get(60, TimeUnit.SECONDS);
    assertEquals(1, code, err.toString());
    String message = err.toString();
    assertTrue(message.contains("(pid " + victim.pid() + ") died (exit code 137)"), message);
    assertTrue(message.contains("last lines of its log"), message);
    assertRunDirGone();
  }

  @Test
  void splitMergeQuickTimesEveryOperationAndLosesNoWrite() throws Exception {
    Path json = out.resolve("splitmerge.json");
    assertEquals(0, run("splitmerge", "--quick", "--run-dir", runParent.toString(), "--json", json.toString()));
    String s = Files.readString(json);
    assertTrue(s.contains("\"scenario\": \"splitmerge\"") && s.contains("\"mode\": \"processes\""), s);
    assertEquals(20, (int) figure(s, "split_count"), s);
    assertEquals(3, (int) figure(s, "merge_aligned_count"), s);
    assertEquals(1, (int) figure(s, "merge_with_move_count"), s);
    for (String k : List.of("splits_per_sec", "split_p50_ms", "merge_aligned_mean_ms", "merge_with_move_mean_ms",
        "writes_per_sec", "writes_acked")) {
      assertTrue(figure(s, k) > 0, k + " must be > 0 in " + s);
    }
    assertEquals(0, (int) figure(s, "writes_missing"), "an acknowledged write was not read back: " + s);
    // 10 ranges + 20 splits - 3 aligned merges; each move-merge first splits off the range it merges.
    assertEquals(27, (int) figure(s, "ranges_final"), s);
    String page = Files.readString(out.resolve("splitmerge.html"));
    assertTrue(page.contains("<table>") && page.contains("splits_per_sec"), page);
    assertRunDirGone();
  }

  @Test
  void badModeIsAUsageError() {
    CommandLine cmd = BenchMain.commandLine().setErr(new PrintWriter(new StringWriter()));
    assertEquals(2, cmd.execute("idle", "--mode", "threads"));
    assertEquals(2, cmd.execute("failover", "--nodes", "2"));
  }

  @Test
  void scaleSweepsBothScenariosIntoOneListOfPoints() throws Exception {
    Path json = out.resolve("scale.json");
    assertEquals(0, run("scale", "--groups", "10", "--warmup", "0", "--settle", "0", "--seconds", "1",
        "--run-dir", runParent.toString(), "--json", json.toString()));
    String s = Files.readString(json);
    assertTrue(s.startsWith("{\n  \"scenario\": \"scale\"") && s.contains("\"points\": ["), s);
    assertTrue(s.contains("\"scenario\": \"throughput\"") && s.contains("\"scenario\": \"idle\""), s);
    assertTrue(figure(s, "writes_per_sec") > 0 && figure(s, "cpu_cores_per_node") > 0, s);
    assertReport(out.resolve("scale.html"));
    assertRunDirGone();
  }

  private static void assertReport(Path html) throws java.io.IOException {
    assertTrue(Files.isRegularFile(html), "no report at " + html);
    String page = Files.readString(html);
    assertTrue(page.contains("<svg") && page.contains("<table>"), page);
  }

  private static int run(String... args) {
    return BenchMain.commandLine().execute(args);
  }

  private static List<ProcessHandle> liveChildren() {
    return ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList();
  }

  private boolean logsMention(String text) {
    // Only run-dir/node-N.log: deeper, RocksDB and Netty create and delete files all the time.
    try (Stream<Path> files = Files.find(runParent, 2, (f, a) -> f.getFileName().toString().endsWith(".log"))) {
      for (Path p : files.toList()) {
        if (Files.readString(p).contains(text)) {
          return true;
        }
      }
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return false; // the run directory is still being created
    }
    return false;
  }

  private void assertRunDirGone() throws java.io.IOException {
    try (Stream<Path> s = Files.list(runParent)) {
      assertEquals(List.of(), s.toList(), "run directory left behind");
    }
  }

  private static double figure(String json, String key) {
    Matcher m = Pattern.compile("\"" + key + "\": (-?[0-9.]+)").matcher(json);
    assertTrue(m.find(), "no figure " + key + " in " + json);
    return Double.parseDouble(m.group(1));
  }
}
