package io.multiraft.node;

import io.multiraft.core.RaftConfig;
import java.util.function.UnaryOperator;

/**
 * Settings of one node. Time is in ticks of {@code tickIntervalNs}: with the defaults a heartbeat
 * every 50 ms and an election after 0.5–1 s of silence.
 */
public record NodeConfig(
    long nodeId,
    int workers,
    int appliers,
    long tickIntervalNs,
    int electionTicks,
    int heartbeatTicks,
    int inboundQueueCapacity,
    int applyQueueCapacity,
    long snapshotEveryEntries,
    long compactionMarginEntries,
    long logBudgetBytes,
    int maxConcurrentSnapshotSends,
    int appendWindow,
    boolean threaded,
    long seed,
    UnaryOperator<RaftConfig.Builder> raftTweaks) {

  public NodeConfig {
    if (nodeId <= 0) {
      throw new IllegalArgumentException("nodeId must be > 0, got " + nodeId);
    }
    if (workers <= 0 || appliers <= 0) {
      throw new IllegalArgumentException("workers and appliers must be > 0");
    }
    if (tickIntervalNs <= 0) {
      throw new IllegalArgumentException("tickIntervalNs must be > 0");
    }
    if (electionTicks <= heartbeatTicks || heartbeatTicks <= 0) {
      throw new IllegalArgumentException("need electionTicks > heartbeatTicks > 0");
    }
    if (appendWindow <= 0) {
      throw new IllegalArgumentException("appendWindow must be > 0, got " + appendWindow);
    }
    if (snapshotEveryEntries < 0 || compactionMarginEntries < 0 || logBudgetBytes < 0) {
      throw new IllegalArgumentException("snapshotEveryEntries, compactionMarginEntries and logBudgetBytes must be >= 0 (0 turns the first and last off)");
    }
  }

  /** The smallest log a group snapshots for under {@link #logBudgetBytes}, however many groups share it. */
  public static final long MIN_GROUP_LOG_BYTES = 4 << 10;

  /**
   * Bytes of applied entries after which a group snapshots and compacts its log, besides every
   * {@link #snapshotEveryEntries}: the node's log budget shared among its {@code groups}, so the log
   * of a node stays near the budget however many groups it hosts. 0 when there is no budget.
   */
  public long groupLogBytes(int groups) {
    return logBudgetBytes == 0 ? 0 : Math.max(MIN_GROUP_LOG_BYTES, logBudgetBytes / Math.max(1, groups));
  }

  /**
   * Lesson 19: a request waits two election timeouts (a leader may have to be elected first) plus
   * a few heartbeats of slack, so the timeout scales with the network the timeouts were set for.
   */
  public long requestTimeoutNs() {
    return tickIntervalNs * (2L * 2 * electionTicks + 5L * heartbeatTicks);
  }

  public static Builder builder(long nodeId) {
    return new Builder(nodeId);
  }

  public static final class Builder {
    private final long nodeId;
    private int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
    private int appliers = 1;
    private long tickIntervalNs = 50_000_000L;
    private int electionTicks = 10;
    private int heartbeatTicks = 1;
    private int inboundQueueCapacity = 1 << 16;
    private int applyQueueCapacity = 1 << 14;
    private long snapshotEveryEntries = 10_000;
    private long compactionMarginEntries = 1_000;
    private long logBudgetBytes = 256L << 20;
    private int maxConcurrentSnapshotSends = 4;
    private int appendWindow = 1;
    private boolean threaded = true;
    private long seed = 1;
    private UnaryOperator<RaftConfig.Builder> raftTweaks = b -> b;

    private Builder(long nodeId) {
      this.nodeId = nodeId;
    }

    public Builder workers(int v) { workers = v; return this; }
    public Builder appliers(int v) { appliers = v; return this; }
    public Builder tickIntervalNs(long v) { tickIntervalNs = v; return this; }
    public Builder electionTicks(int v) { electionTicks = v; return this; }
    public Builder heartbeatTicks(int v) { heartbeatTicks = v; return this; }
    public Builder inboundQueueCapacity(int v) { inboundQueueCapacity = v; return this; }
    public Builder applyQueueCapacity(int v) { applyQueueCapacity = v; return this; }
    public Builder snapshotEveryEntries(long v) { snapshotEveryEntries = v; return this; }
    public Builder compactionMarginEntries(long v) { compactionMarginEntries = v; return this; }
    /**
     * Bytes of log entries the node's groups keep between snapshots, together: with many groups an
     * entry count per group alone would let the log grow with the number of groups (10,000 groups
     * of 10,000 entries are gigabytes). 0: only {@link #snapshotEveryEntries} counts.
     */
    public Builder logBudgetBytes(long v) { logBudgetBytes = v; return this; }
    public Builder maxConcurrentSnapshotSends(int v) { maxConcurrentSnapshotSends = v; return this; }
    /**
     * Appends a leader keeps in flight to one follower (Raft's inflight window). One: a group's
     * proposals that arrive while its append is on the way go together in the next one, so a busy
     * group sends one append per round trip whatever its write rate; at 100 groups under load that
     * halved the messages per write. Raise it where round trips are long against the rate of
     * proposals to one group (a WAN), so appends pipeline.
     */
    public Builder appendWindow(int v) { appendWindow = v; return this; }
    /** Off: no threads are started and the caller drives the node with {@link MultiRaftNode#pump}. */
    public Builder threaded(boolean v) { threaded = v; return this; }
    public Builder seed(long v) { seed = v; return this; }
    public Builder raftTweaks(UnaryOperator<RaftConfig.Builder> v) { raftTweaks = v; return this; }

    public NodeConfig build() {
      return new NodeConfig(nodeId, workers, appliers, tickIntervalNs, electionTicks, heartbeatTicks,
          inboundQueueCapacity, applyQueueCapacity, snapshotEveryEntries, compactionMarginEntries, logBudgetBytes,
          maxConcurrentSnapshotSends, appendWindow, threaded, seed, raftTweaks);
    }
  }
}
