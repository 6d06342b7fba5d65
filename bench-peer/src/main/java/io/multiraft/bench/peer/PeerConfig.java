package io.multiraft.bench.peer;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What the driver asked the child JVM to run, parsed from {@code --key=value} arguments.
 *
 * @param workload {@code throughput} or {@code idle}
 * @param nodes SOFAJRaft nodes (endpoints) in this JVM
 * @param groups Raft groups, each with one replica on every node
 * @param clients client threads (throughput)
 * @param outstanding writes in flight per client (throughput)
 * @param payloadBytes bytes per write (throughput)
 * @param warmupSec seconds of load before the measured window (throughput)
 * @param seconds measured window
 * @param settleSec seconds between all leaders elected and the idle window (idle)
 * @param leadersBoundMs every group must have a leader within this, counted from the first group's start
 * @param electionTimeoutMs SOFAJRaft's election timeout; heartbeats go out every tenth of it
 * @param dataDir where the replicas' RocksDB logs and metadata go
 * @param rssLimitBytes the run stops with status {@code rss_limit} when resident memory passes this
 * @param logWriteBufferMb RocksDB write buffer per replica log, in MB; 0 keeps SOFAJRaft's default
 */
record PeerConfig(String workload, int nodes, int groups, int clients, int outstanding, int payloadBytes,
    int warmupSec, int seconds, int settleSec, long leadersBoundMs, int electionTimeoutMs, Path dataDir,
    long rssLimitBytes, int logWriteBufferMb) {

  static PeerConfig parse(String[] args) {
    Map<String, String> kv = new HashMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      if (!a.startsWith("--") || eq < 0) {
        throw new IllegalArgumentException("expected --key=value, got " + a);
      }
      kv.put(a.substring(2, eq), a.substring(eq + 1));
    }
    PeerConfig c = new PeerConfig(
        kv.getOrDefault("workload", "throughput"),
        intArg(kv, "nodes", 3),
        intArg(kv, "groups", 1),
        intArg(kv, "clients", 8),
        intArg(kv, "outstanding", 64),
        intArg(kv, "payload", 128),
        intArg(kv, "warmup", 3),
        intArg(kv, "seconds", 10),
        intArg(kv, "settle", 10),
        Long.parseLong(kv.getOrDefault("leaders-bound-ms", "150000")),
        intArg(kv, "election-timeout-ms", 1000),
        Path.of(required(kv, "data")),
        Long.parseLong(kv.getOrDefault("rss-limit-bytes", String.valueOf(12L << 30))),
        intArg(kv, "log-write-buffer-mb", 0));
    if (!c.workload.equals("throughput") && !c.workload.equals("idle")) {
      throw new IllegalArgumentException("workload must be throughput or idle: " + c.workload);
    }
    if (c.nodes < 1 || c.groups < 1 || c.clients < 1 || c.outstanding < 1 || c.payloadBytes < 0
        || c.seconds < 1 || c.warmupSec < 0 || c.settleSec < 0 || c.leadersBoundMs < 1 || c.rssLimitBytes < 1
        || c.logWriteBufferMb < 0) {
      throw new IllegalArgumentException("counts must be positive: " + c);
    }
    return c;
  }

  private static int intArg(Map<String, String> kv, String key, int dflt) {
    return Integer.parseInt(kv.getOrDefault(key, String.valueOf(dflt)));
  }

  private static String required(Map<String, String> kv, String key) {
    String v = kv.get(key);
    if (v == null) {
      throw new IllegalArgumentException("--" + key + "= is required");
    }
    return v;
  }
}
