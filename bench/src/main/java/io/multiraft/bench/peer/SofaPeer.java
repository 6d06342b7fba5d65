package io.multiraft.bench.peer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The SOFAJRaft peer of our benchmark, for the driver: {@link #run} runs one workload on
 * SOFAJRaft (jraft-core 1.3.15.bugfix) in a child JVM and returns its numbers as the map that goes
 * into our result JSON as {@code "peer"}.
 *
 * <p>The child JVM is needed, not chosen: jraft-core needs rocksdbjni 8.8.1 and protobuf-java 3.5.1,
 * our engine 11.8.1 and 4.36.2, and one classpath holds one version of a class. All N SOFAJRaft
 * nodes share that child, as in the setup the orientation figure was measured with, so per-node
 * CPU and RSS are the process's divided by N.
 *
 * <p>It never throws for a run that goes wrong: the map's {@code status} says what happened
 * ({@code ok}, {@code leaders_timeout}, {@code rss_limit}, {@code start_failed}, {@code timeout},
 * {@code child_failed}, {@code peer_missing}, ...) and {@code groups_started} / {@code groups_led} how far it got. The
 * child is gone and the per-run directory deleted when it returns.
 */
public final class SofaPeer {
  private SofaPeer() {}

  /**
   * Runs the request and returns, in this order where they apply: name, status, workload, nodes,
   * groups, groups_started, groups_led, leaders_ready_ms, writes_per_sec, failed_writes, p50_ms,
   * p99_ms, p999_ms, cpu_cores (the whole child), cpu_cores_per_node, heap_bytes_per_replica (idle),
   * heap_used_bytes (throughput), rss_bytes_per_node, wire_msgs_per_sec (idle), threads, error.
   */
  public static Map<String, Object> run(PeerRequest req) {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("name", "sofajraft");
    result.put("status", "not_run");
    Path lib = PeerRuntime.locate();
    if (lib == null) {
      result.put("status", "peer_missing");
      result.put("error", "no peer-lib beside bench (build with -pl bench -am) and no -D" + PeerRuntime.LIB_PROPERTY);
      return result;
    }
    Path runDir = null;
    try {
      runDir = Files.createTempDirectory(Files.createDirectories(req.workDir()), "sofajraft-peer-");
      Files.createDirectories(runDir.resolve("tmp"));
      Path dir = runDir;
      ChildJvm.Outcome o = ChildJvm.run(PeerRuntime.command(lib, runDir, req), runDir, req.effectiveHardBoundMs(),
          () -> deleteTree(dir, new LinkedHashMap<>()));
      report(req, o, result);
    } catch (IOException | RuntimeException e) {
      result.put("status", "driver_failed");
      result.put("error", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      result.put("status", "interrupted");
    } finally {
      if (runDir != null) {
        deleteTree(runDir, result);
      }
    }
    return result;
  }

  private static void report(PeerRequest req, ChildJvm.Outcome o, Map<String, Object> result) {
    Map<String, Object> child = null;
    if (o.jsonLine() != null) {
      try {
        child = FlatJson.parse(o.jsonLine());
      } catch (IllegalArgumentException e) {
        result.put("error", "unreadable peer output: " + e.getMessage());
      }
    }
    if (child != null && !o.killed()) {
      child.forEach(result::putIfAbsent);
      result.put("status", child.getOrDefault("status", "child_failed"));
      return;
    }
    // no report: it was killed at the hard bound or died (out of memory or threads, a crash)
    result.put("status", o.killed() ? "timeout" : "child_failed");
    result.put("workload", req.workload());
    result.put("nodes", req.nodes());
    result.put("groups", req.groups());
    result.put("groups_started", progress(o, "groups_started"));
    result.put("groups_led", progress(o, "groups_led"));
    result.put("leaders_ready_ms", null);
    result.putIfAbsent("error", o.killed()
        ? "killed after " + req.effectiveHardBoundMs() + " ms"
        : "exit code " + o.exitCode() + ": " + String.join(" | ", o.stderrTail().subList(
            Math.max(0, o.stderrTail().size() - 3), o.stderrTail().size())));
  }

  private static long progress(ChildJvm.Outcome o, String key) {
    try {
      return Long.parseLong(o.progress().getOrDefault(key, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static void deleteTree(Path dir, Map<String, Object> result) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      result.put("cleanup_error", dir + ": " + e);
    }
  }
}
