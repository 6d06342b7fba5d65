package io.multiraft.bench.peer;

import java.nio.file.Path;
import java.util.List;

/**
 * One run of the SOFAJRaft peer: the workload and its size, and the bounds it must keep.
 * Start from {@link #throughput(int)} or {@link #idle(int)}, which carry our scenarios' defaults,
 * and adjust with the {@code with...} methods.
 *
 * @param workload {@code throughput} or {@code idle}
 * @param nodes SOFAJRaft nodes, all in one child JVM
 * @param groups Raft groups, each replicated on every node
 * @param clients client threads (throughput)
 * @param outstanding writes in flight per client (throughput)
 * @param payloadBytes bytes per write (throughput)
 * @param warmupSec seconds of load before measuring (throughput)
 * @param seconds the measured window
 * @param settleSec seconds between all leaders elected and the window (idle)
 * @param leadersBoundMs every group must have a leader within this, or the status is {@code leaders_timeout}
 * @param hardBoundMs the child is killed after this, whatever it is doing; 0 derives it from the others
 * @param electionTimeoutMs SOFAJRaft's election timeout (heartbeats every tenth of it)
 * @param workDir the per-run directory (data, the child's java.io.tmpdir, logs) is made here and deleted after
 * @param jvmArgs extra flags for the child JVM, e.g. {@code -Xmx8g}
 * @param rssLimitBytes the child stops with status {@code rss_limit} when its resident memory passes
 *     this (SOFAJRaft's per-replica RocksDB costs some 30–40 MB resident: the machine must not swap
 *     or call the OOM killer on other processes)
 * @param logWriteBufferMb RocksDB write buffer of each replica's log in MB; 0 keeps SOFAJRaft's
 *     default (64). An opt-in deviation, reported in the result, for group counts the default cannot hold
 */
public record PeerRequest(String workload, int nodes, int groups, int clients, int outstanding, int payloadBytes,
    int warmupSec, int seconds, int settleSec, long leadersBoundMs, long hardBoundMs, int electionTimeoutMs,
    Path workDir, List<String> jvmArgs, long rssLimitBytes, int logWriteBufferMb) {

  /** How long past its own bounds the child may take to start its JVM and report before it is killed. */
  static final long SLACK_MS = 60_000;

  /** Half of the 24 GiB the benchmark machines have. */
  public static final long DEFAULT_RSS_LIMIT_BYTES = 12L << 30;

  public PeerRequest {
    if (!workload.equals("throughput") && !workload.equals("idle")) {
      throw new IllegalArgumentException("workload must be throughput or idle: " + workload);
    }
    if (nodes < 1 || groups < 1 || clients < 1 || outstanding < 1 || payloadBytes < 0 || warmupSec < 0
        || seconds < 1 || settleSec < 0 || leadersBoundMs < 1 || hardBoundMs < 0 || electionTimeoutMs < 1
        || rssLimitBytes < 1 || logWriteBufferMb < 0) {
      throw new IllegalArgumentException("counts must be positive");
    }
    jvmArgs = List.copyOf(jvmArgs);
  }

  /** Our throughput scenario's shape: 3 nodes, 8 clients × 64 outstanding, 128 B, 3 s warm-up, 10 s. */
  public static PeerRequest throughput(int groups) {
    return new PeerRequest("throughput", 3, groups, 8, 64, 128, 3, 10, 0, 150_000, 0, 1000,
        Path.of(System.getProperty("java.io.tmpdir")), List.of(), DEFAULT_RSS_LIMIT_BYTES, 0);
  }

  /** Our idle scenario's shape: 3 nodes, 10 s settle, 10 s window. */
  public static PeerRequest idle(int groups) {
    return new PeerRequest("idle", 3, groups, 1, 1, 0, 0, 10, 10, 150_000, 0, 1000,
        Path.of(System.getProperty("java.io.tmpdir")), List.of(), DEFAULT_RSS_LIMIT_BYTES, 0);
  }

  public PeerRequest withNodes(int n) {
    return new PeerRequest(workload, n, groups, clients, outstanding, payloadBytes, warmupSec, seconds, settleSec,
        leadersBoundMs, hardBoundMs, electionTimeoutMs, workDir, jvmArgs, rssLimitBytes, logWriteBufferMb);
  }

  public PeerRequest withLoad(int clientThreads, int outstandingPerClient, int payload) {
    return new PeerRequest(workload, nodes, groups, clientThreads, outstandingPerClient, payload, warmupSec, seconds,
        settleSec, leadersBoundMs, hardBoundMs, electionTimeoutMs, workDir, jvmArgs, rssLimitBytes, logWriteBufferMb);
  }

  /** Warm-up (throughput) or settle (idle) seconds, then the measured seconds. */
  public PeerRequest withTimes(int warmupOrSettleSec, int measuredSec) {
    boolean idle = workload.equals("idle");
    return new PeerRequest(workload, nodes, groups, clients, outstanding, payloadBytes, idle ? 0 : warmupOrSettleSec,
        measuredSec, idle ? warmupOrSettleSec : 0, leadersBoundMs, hardBoundMs, electionTimeoutMs, workDir, jvmArgs,
        rssLimitBytes, logWriteBufferMb);
  }

  public PeerRequest withBounds(long leadersMs, long hardMs) {
    return new PeerRequest(workload, nodes, groups, clients, outstanding, payloadBytes, warmupSec, seconds, settleSec,
        leadersMs, hardMs, electionTimeoutMs, workDir, jvmArgs, rssLimitBytes, logWriteBufferMb);
  }

  public PeerRequest withWorkDir(Path dir) {
    return new PeerRequest(workload, nodes, groups, clients, outstanding, payloadBytes, warmupSec, seconds, settleSec,
        leadersBoundMs, hardBoundMs, electionTimeoutMs, dir, jvmArgs, rssLimitBytes, logWriteBufferMb);
  }

  public PeerRequest withJvmArgs(List<String> args) {
    return new PeerRequest(workload, nodes, groups, clients, outstanding, payloadBytes, warmupSec, seconds, settleSec,
        leadersBoundMs, hardBoundMs, electionTimeoutMs, workDir, args, rssLimitBytes, logWriteBufferMb);
  }

  public PeerRequest withRssLimit(long bytes) {
    return new PeerRequest(workload, nodes, groups, clients, outstanding, payloadBytes, warmupSec, seconds, settleSec,
        leadersBoundMs, hardBoundMs, electionTimeoutMs, workDir, jvmArgs, bytes, logWriteBufferMb);
  }

  public PeerRequest withLogWriteBufferMb(int mb) {
    return new PeerRequest(workload, nodes, groups, clients, outstanding, payloadBytes, warmupSec, seconds, settleSec,
        leadersBoundMs, hardBoundMs, electionTimeoutMs, workDir, jvmArgs, rssLimitBytes, mb);
  }

  /** The bound the driver enforces by killing the child. */
  long effectiveHardBoundMs() {
    return hardBoundMs > 0 ? hardBoundMs
        : leadersBoundMs + 1000L * (warmupSec + seconds + settleSec) + SLACK_MS;
  }

  /** The child's command-line arguments (see SofaPeerMain in bench-peer). */
  List<String> childArgs(Path dataDir) {
    return List.of("--workload=" + workload, "--nodes=" + nodes, "--groups=" + groups, "--clients=" + clients,
        "--outstanding=" + outstanding, "--payload=" + payloadBytes, "--warmup=" + warmupSec,
        "--seconds=" + seconds, "--settle=" + settleSec, "--leaders-bound-ms=" + leadersBoundMs,
        "--election-timeout-ms=" + electionTimeoutMs, "--rss-limit-bytes=" + rssLimitBytes,
        "--log-write-buffer-mb=" + logWriteBufferMb, "--data=" + dataDir);
  }
}
