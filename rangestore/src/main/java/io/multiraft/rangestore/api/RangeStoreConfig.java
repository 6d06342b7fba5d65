package io.multiraft.rangestore.api;

import io.multiraft.rangestore.split.AutoSplitConfig;
import io.multiraft.transport.TlsConfig;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a range store node needs to start. {@link #validate()} checks it without touching the
 * disk beyond looking (lesson 21: the data directory is created only after this passes, because
 * its existence means "this node is a member").
 *
 * @param peers the other nodes: id to host:port of their transport listener
 * @param tickIntervalMs Raft's tick; heartbeats every tick, elections after 10-20 ticks
 * @param snapshotEveryEntries a range snapshots (and compacts its log) after this many applied entries
 * @param compactionMarginEntries entries kept behind a snapshot, so a slightly slow follower needs no snapshot
 * @param logBudgetBytes the node's log, all ranges together: a range also snapshots when its entries
 *     since its last snapshot pass its share (4 KB floor per range); 0 turns this off
 * @param appendWindow appends a leader has in flight to each follower (1 by default: what arrives
 *     meanwhile goes together in the next one, which suits a few busy ranges among many idle ones;
 *     an even load over many busy ranges may gain from more)
 * @param leaseReads a leader answers reads on its lease (a quorum answered it within an election
 *     timeout less a drift margin) instead of a heartbeat round per read batch; off by default
 *     because it trusts the nodes' clocks to tick at about the same rate
 * @param autoSplit when this node splits the ranges it leads by itself; {@link AutoSplitConfig#OFF} by default
 * @param tls mutual TLS for the node's listener (Raft traffic and admin requests) and its outgoing
 *     connections; null (the default) for plaintext
 */
public record RangeStoreConfig(
    long nodeId,
    Path dataDir,
    InetSocketAddress listenAddress,
    Map<Long, InetSocketAddress> peers,
    String clusterId,
    int raftWorkers,
    long tickIntervalMs,
    int maxKeyBytes,
    int maxValueBytes,
    int maxBatchOps,
    long snapshotEveryEntries,
    long compactionMarginEntries,
    long logBudgetBytes,
    int appendWindow,
    boolean leaseReads,
    AutoSplitConfig autoSplit,
    TlsConfig tls) {

  /** Above this a node id no longer fits the range id allocator's node field. */
  public static final long MAX_NODE_ID = (1L << 22) - 1;

  public RangeStoreConfig {
    peers = peers == null ? Map.of() : Map.copyOf(peers);
    autoSplit = autoSplit == null ? AutoSplitConfig.OFF : autoSplit;
  }

  /** @throws ConfigException naming the first bad setting and what to put there instead */
  public RangeStoreConfig validate() {
    if (nodeId <= 0 || nodeId > MAX_NODE_ID) {
      throw new ConfigException("node id " + nodeId + " is invalid: give each node a distinct id between 1 and " + MAX_NODE_ID);
    }
    if (dataDir == null) {
      throw new ConfigException("node " + nodeId + ": no data directory set; set dataDir to a path this node may create");
    }
    if (Files.exists(dataDir) && !Files.isDirectory(dataDir)) {
      throw new ConfigException("data directory " + dataDir + " is a file; point dataDir at a directory or remove the file");
    }
    Path parent = dataDir.toAbsolutePath().getParent();
    if (!Files.exists(dataDir) && (parent == null || !Files.isDirectory(parent))) {
      throw new ConfigException("the parent of data directory " + dataDir + " does not exist; create " + parent + " first");
    }
    if (Files.isDirectory(dataDir) && !Files.isWritable(dataDir)) {
      throw new ConfigException("data directory " + dataDir + " is not writable by this user; fix its permissions");
    }
    if (listenAddress == null) {
      throw new ConfigException("node " + nodeId + ": no listen address; set it to host:port (port 0 picks a free one)");
    }
    for (var e : peers.entrySet()) {
      if (e.getKey() <= 0 || e.getKey() > MAX_NODE_ID) {
        throw new ConfigException("peer id " + e.getKey() + " is invalid: peer ids are between 1 and " + MAX_NODE_ID);
      }
      if (e.getKey() == nodeId) {
        throw new ConfigException("peer " + e.getKey() + " has this node's own id; list only the other nodes under peers");
      }
      if (e.getValue() == null || e.getValue().getPort() <= 0) {
        throw new ConfigException("peer " + e.getKey() + " needs a host:port with a real port, got " + e.getValue());
      }
    }
    if (clusterId == null || clusterId.isBlank()) {
      throw new ConfigException("cluster id is empty; give every node of one cluster the same non-empty cluster id");
    }
    positive("raftWorkers", raftWorkers);
    positive("tickIntervalMs", tickIntervalMs);
    positive("maxKeyBytes", maxKeyBytes);
    positive("maxValueBytes", maxValueBytes);
    positive("maxBatchOps", maxBatchOps);
    if (compactionMarginEntries < 0) {
      throw new ConfigException("compactionMarginEntries must be >= 0, got " + compactionMarginEntries);
    }
    if (logBudgetBytes < 0) {
      throw new ConfigException("logBudgetBytes must be >= 0 (0 turns the log budget off), got " + logBudgetBytes);
    }
    positive("appendWindow", appendWindow);
    if (snapshotEveryEntries < 0) {
      throw new ConfigException("snapshotEveryEntries must be >= 0 (0 turns periodic snapshots off), got " + snapshotEveryEntries);
    }
    return this;
  }

  private static void positive(String name, long v) {
    if (v <= 0) {
      throw new ConfigException(name + " must be > 0, got " + v);
    }
  }

  public static Builder builder(long nodeId, Path dataDir) {
    return new Builder(nodeId, dataDir);
  }

  /** Defaults suit a small cluster on one network: 50 ms ticks, 1 KiB keys, 1 MiB values. */
  public static final class Builder {
    private final long nodeId;
    private final Path dataDir;
    private InetSocketAddress listenAddress = new InetSocketAddress("127.0.0.1", 0);
    private final Map<Long, InetSocketAddress> peers = new TreeMap<>();
    private String clusterId = "rangestore";
    private int raftWorkers = Math.max(1, Runtime.getRuntime().availableProcessors());
    private long tickIntervalMs = 50;
    private int maxKeyBytes = 1024;
    private int maxValueBytes = 1 << 20;
    private int maxBatchOps = 10_000;
    private long snapshotEveryEntries = 10_000;
    private long compactionMarginEntries = 1_000;
    private long logBudgetBytes = 256L << 20;
    private int appendWindow = 1;
    private boolean leaseReads;
    private AutoSplitConfig autoSplit = AutoSplitConfig.OFF;
    private TlsConfig tls;

    private Builder(long nodeId, Path dataDir) {
      this.nodeId = nodeId;
      this.dataDir = dataDir;
    }

    public Builder listenAddress(InetSocketAddress v) { listenAddress = v; return this; }
    public Builder peer(long id, InetSocketAddress address) { peers.put(id, address); return this; }
    public Builder clusterId(String v) { clusterId = v; return this; }
    public Builder raftWorkers(int v) { raftWorkers = v; return this; }
    public Builder tickIntervalMs(long v) { tickIntervalMs = v; return this; }
    public Builder maxKeyBytes(int v) { maxKeyBytes = v; return this; }
    public Builder maxValueBytes(int v) { maxValueBytes = v; return this; }
    public Builder maxBatchOps(int v) { maxBatchOps = v; return this; }
    public Builder snapshotEveryEntries(long v) { snapshotEveryEntries = v; return this; }
    public Builder compactionMarginEntries(long v) { compactionMarginEntries = v; return this; }
    public Builder logBudgetBytes(long v) { logBudgetBytes = v; return this; }
    public Builder appendWindow(int v) { appendWindow = v; return this; }
    public Builder leaseReads(boolean v) { leaseReads = v; return this; }
    public Builder autoSplit(AutoSplitConfig v) { autoSplit = v; return this; }
    public Builder tls(TlsConfig v) { tls = v; return this; }

    public RangeStoreConfig build() {
      return new RangeStoreConfig(nodeId, dataDir, listenAddress, peers, clusterId, raftWorkers, tickIntervalMs,
          maxKeyBytes, maxValueBytes, maxBatchOps, snapshotEveryEntries, compactionMarginEntries,
          logBudgetBytes, appendWindow, leaseReads, autoSplit, tls);
    }
  }
}
