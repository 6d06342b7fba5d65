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
    int maxConcurrentSnapshotSends,
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
    private int maxConcurrentSnapshotSends = 4;
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
    public Builder maxConcurrentSnapshotSends(int v) { maxConcurrentSnapshotSends = v; return this; }
    /** Off: no threads are started and the caller drives the node with {@link MultiRaftNode#pump}. */
    public Builder threaded(boolean v) { threaded = v; return this; }
    public Builder seed(long v) { seed = v; return this; }
    public Builder raftTweaks(UnaryOperator<RaftConfig.Builder> v) { raftTweaks = v; return this; }

    public NodeConfig build() {
      return new NodeConfig(nodeId, workers, appliers, tickIntervalNs, electionTicks, heartbeatTicks,
          inboundQueueCapacity, applyQueueCapacity, snapshotEveryEntries, compactionMarginEntries,
          maxConcurrentSnapshotSends, threaded, seed, raftTweaks);
    }
  }
}
