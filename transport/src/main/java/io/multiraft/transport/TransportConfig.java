package io.multiraft.transport;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Settings of one node's transport. Sizes in bytes, times in milliseconds. Peers may also be added
 * later with {@link NettyTransport#addPeer} (a node joining the cluster, or ephemeral test ports).
 *
 * @param bindAddress where the message stream listener binds (port 0: any free port)
 * @param snapshotPort where the snapshot listener binds on the same host (0: any free port); peers
 *     learn it in the stream handshake, so only the stream address needs configuring
 * @param snapshotDir where received snapshots are written (a temporary file each, renamed into
 *     place as {@code group-<id>.snapshot}); null: a temporary directory removed on close
 * @param maxFrameBytes the largest frame accepted; frames of every peer must fit it
 * @param maxBatchBytes a frame is closed once it reaches this size, so one peer's backlog is cut
 *     into frames that do not hold the event loop for long
 */
public record TransportConfig(
    long nodeId,
    String clusterId,
    InetSocketAddress bindAddress,
    int snapshotPort,
    Map<Long, InetSocketAddress> peers,
    int ioThreads,
    boolean preferEpoll,
    int maxFrameBytes,
    int maxBatchBytes,
    int sendQueueCapacity,
    long maxQueuedBytesPerPeer,
    long connectTimeoutMs,
    long handshakeTimeoutMs,
    long reconnectBackoffMinMs,
    long reconnectBackoffMaxMs,
    long keepaliveIntervalMs,
    long deadPeerTimeoutMs,
    Path snapshotDir,
    int snapshotChunkBytes,
    int maxConcurrentSnapshotSends,
    int maxConcurrentSnapshotReceives,
    long maxSnapshotBytes,
    long snapshotIdleTimeoutMs,
    long snapshotAckTimeoutMs,
    TlsConfig tls,
    FaultInjector faults) {

  public TransportConfig {
    if (nodeId <= 0) {
      throw new IllegalArgumentException("nodeId must be > 0, got " + nodeId);
    }
    if (clusterId == null || clusterId.isEmpty()) {
      throw new IllegalArgumentException("clusterId must be set: nodes of different clusters must not talk");
    }
    if (bindAddress == null) {
      throw new IllegalArgumentException("bindAddress must be set (port 0 picks a free port)");
    }
    peers = Map.copyOf(peers);
    if (peers.containsKey(nodeId)) {
      throw new IllegalArgumentException("peers must not list this node itself (" + nodeId + ")");
    }
    if (maxFrameBytes < 1024 || maxBatchBytes <= 0 || maxBatchBytes > maxFrameBytes) {
      throw new IllegalArgumentException("need 1024 <= maxFrameBytes and 0 < maxBatchBytes <= maxFrameBytes");
    }
    if (snapshotChunkBytes <= 0 || snapshotChunkBytes > maxFrameBytes - 64) {
      throw new IllegalArgumentException("snapshotChunkBytes must be > 0 and leave room for its header in a frame");
    }
    if (maxConcurrentSnapshotSends <= 0 || maxConcurrentSnapshotReceives <= 0) {
      throw new IllegalArgumentException("snapshot concurrency limits must be > 0");
    }
    if (maxSnapshotBytes <= 0 || maxSnapshotBytes > Integer.MAX_VALUE - 8) {
      // a snapshot received without the node's SnapshotSink is handed to the runtime as one byte[];
      // one received through the sink is staged by the node and has no such limit
      throw new IllegalArgumentException("maxSnapshotBytes must be in (0, 2^31-9]");
    }
    if (reconnectBackoffMinMs <= 0 || reconnectBackoffMaxMs < reconnectBackoffMinMs) {
      throw new IllegalArgumentException("need 0 < reconnectBackoffMinMs <= reconnectBackoffMaxMs");
    }
    if (keepaliveIntervalMs <= 0 || deadPeerTimeoutMs <= keepaliveIntervalMs) {
      throw new IllegalArgumentException("need 0 < keepaliveIntervalMs < deadPeerTimeoutMs");
    }
    if (ioThreads <= 0 || sendQueueCapacity <= 0 || maxQueuedBytesPerPeer <= 0) {
      throw new IllegalArgumentException("ioThreads, sendQueueCapacity and maxQueuedBytesPerPeer must be > 0");
    }
    if (faults == null) {
      faults = FaultInjector.NONE;
    }
  }

  public static Builder builder(long nodeId, String clusterId, InetSocketAddress bindAddress) {
    return new Builder(nodeId, clusterId, bindAddress);
  }

  public static final class Builder {
    private final long nodeId;
    private final String clusterId;
    private final InetSocketAddress bindAddress;
    private int snapshotPort;
    private final Map<Long, InetSocketAddress> peers = new TreeMap<>();
    private int ioThreads = Math.min(2, Runtime.getRuntime().availableProcessors());
    private boolean preferEpoll = true;
    private int maxFrameBytes = 16 << 20;
    private int maxBatchBytes = 1 << 20;
    private int sendQueueCapacity = 4096;
    private long maxQueuedBytesPerPeer = 64L << 20;
    private long connectTimeoutMs = 2_000;
    private long handshakeTimeoutMs = 5_000;
    private long reconnectBackoffMinMs = 20;
    private long reconnectBackoffMaxMs = 1_000;
    private long keepaliveIntervalMs = 1_000;
    private long deadPeerTimeoutMs = 5_000;
    private Path snapshotDir;
    private int snapshotChunkBytes = 1 << 20;
    private int maxConcurrentSnapshotSends = 4;
    private int maxConcurrentSnapshotReceives = 8;
    private long maxSnapshotBytes = Integer.MAX_VALUE - 8;
    private long snapshotIdleTimeoutMs = 10_000;
    private long snapshotAckTimeoutMs = 60_000;
    private TlsConfig tls;
    private FaultInjector faults = FaultInjector.NONE;

    private Builder(long nodeId, String clusterId, InetSocketAddress bindAddress) {
      this.nodeId = nodeId;
      this.clusterId = clusterId;
      this.bindAddress = bindAddress;
    }

    public Builder snapshotPort(int v) { snapshotPort = v; return this; }
    public Builder peer(long id, InetSocketAddress address) { peers.put(id, address); return this; }
    public Builder peers(Map<Long, InetSocketAddress> v) { peers.putAll(v); return this; }
    public Builder ioThreads(int v) { ioThreads = v; return this; }
    public Builder preferEpoll(boolean v) { preferEpoll = v; return this; }
    public Builder maxFrameBytes(int v) { maxFrameBytes = v; return this; }
    public Builder maxBatchBytes(int v) { maxBatchBytes = v; return this; }
    public Builder sendQueueCapacity(int v) { sendQueueCapacity = v; return this; }
    public Builder maxQueuedBytesPerPeer(long v) { maxQueuedBytesPerPeer = v; return this; }
    public Builder connectTimeoutMs(long v) { connectTimeoutMs = v; return this; }
    public Builder handshakeTimeoutMs(long v) { handshakeTimeoutMs = v; return this; }
    public Builder reconnectBackoffMs(long min, long max) { reconnectBackoffMinMs = min; reconnectBackoffMaxMs = max; return this; }
    public Builder keepaliveIntervalMs(long v) { keepaliveIntervalMs = v; return this; }
    public Builder deadPeerTimeoutMs(long v) { deadPeerTimeoutMs = v; return this; }
    public Builder snapshotDir(Path v) { snapshotDir = v; return this; }
    public Builder snapshotChunkBytes(int v) { snapshotChunkBytes = v; return this; }
    public Builder maxConcurrentSnapshotSends(int v) { maxConcurrentSnapshotSends = v; return this; }
    public Builder maxConcurrentSnapshotReceives(int v) { maxConcurrentSnapshotReceives = v; return this; }
    public Builder maxSnapshotBytes(long v) { maxSnapshotBytes = v; return this; }
    public Builder snapshotIdleTimeoutMs(long v) { snapshotIdleTimeoutMs = v; return this; }
    public Builder snapshotAckTimeoutMs(long v) { snapshotAckTimeoutMs = v; return this; }
    /** Mutual TLS; null (the default) keeps plaintext. */
    public Builder tls(TlsConfig v) { tls = v; return this; }
    /** Test faults shared by the transports of a test cluster; off by default. */
    public Builder faults(FaultInjector v) { faults = v; return this; }

    public TransportConfig build() {
      return new TransportConfig(nodeId, clusterId, bindAddress, snapshotPort, peers, ioThreads, preferEpoll,
          maxFrameBytes, maxBatchBytes, sendQueueCapacity, maxQueuedBytesPerPeer, connectTimeoutMs,
          handshakeTimeoutMs, reconnectBackoffMinMs, reconnectBackoffMaxMs, keepaliveIntervalMs,
          deadPeerTimeoutMs, snapshotDir, snapshotChunkBytes, maxConcurrentSnapshotSends,
          maxConcurrentSnapshotReceives, maxSnapshotBytes, snapshotIdleTimeoutMs, snapshotAckTimeoutMs, tls, faults);
    }
  }
}
