package io.multiraft.rangestore.admin;

import io.multiraft.rangestore.api.AbandonedMerges;
import io.multiraft.rangestore.api.NodeHandle;
import io.multiraft.rangestore.api.NodeRuntime;
import io.multiraft.rangestore.api.RangeMerger;
import io.multiraft.rangestore.api.RangeStore;
import io.multiraft.rangestore.api.ReplicaCollector;
import io.multiraft.rangestore.api.ReplicaSource;
import io.multiraft.transport.TlsConfig;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's replica collector: every interval, one sweep that reads every node's replica report
 * (one admin call per peer) and repairs this node's own replicas only: drops a replica the range's
 * leader no longer lists (removed while this node was away) and re-creates an empty one the leader
 * lists but this node lost. Then it finishes merges nobody is finishing, for the frozen ranges this
 * node leads ({@link AbandonedMerges}). Each node repairs itself, so no two nodes act on one replica. One
 * thread per node; nothing per range.
 */
public final class ReplicaGc implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaGc.class);
  private final ScheduledExecutorService timer;
  /**
   * A range frozen this long was frozen by a merge nobody is finishing: three times the longest a
   * merge coordinated anywhere may run.
   */
  static final long ABANDONED_AFTER_MS = 3 * CoordinatorMethods.TIMEOUT_MS;
  private final ReplicaCollector collector;
  private final AbandonedMerges abandonedMerges;
  private final long nodeId;
  private final java.util.concurrent.atomic.AtomicLong sweeps = new java.util.concurrent.atomic.AtomicLong();

  private ReplicaGc(RangeStore store, Map<Long, InetSocketAddress> peers, TlsConfig tls, long intervalMs) {
    this.nodeId = store.nodeId();
    List<ReplicaSource> sources = new ArrayList<>();
    sources.add(ReplicaSource.of(store, NodeRuntime.SYSTEM));
    Map<Long, NodeHandle> handles = new TreeMap<>();
    handles.put(nodeId, store);
    peers.forEach((id, address) -> {
      if (id != store.nodeId()) {
        AdminClient client = new AdminClient(address, tls);
        sources.add(new RemoteReplicaSource(id, client));
        handles.put(id, new RemoteNode(id, client));
      }
    });
    this.collector = new ReplicaCollector(sources, id -> id == nodeId);
    this.abandonedMerges = new AbandonedMerges(store, new RangeMerger(handles, CoordinatorMethods.TIMEOUT_MS),
        NodeRuntime.SYSTEM, TimeUnit.MILLISECONDS.toNanos(ABANDONED_AFTER_MS));
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "replica-gc-n" + nodeId);
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(this::sweep, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
  }

  /** Starts sweeping every {@code intervalMs}; returns null for 0 (collection off). */
  public static ReplicaGc start(RangeStore store, Map<Long, InetSocketAddress> peers, TlsConfig tls, long intervalMs) {
    if (intervalMs < 0) {
      throw new IllegalArgumentException("replica GC interval must be 0 (off) or positive, not " + intervalMs);
    }
    return intervalMs == 0 ? null : new ReplicaGc(store, peers, tls, intervalMs);
  }

  /** Replicas dropped and created so far. */
  public long dropped() {
    return collector.dropped();
  }

  public long created() {
    return collector.created();
  }

  /** Ranges left frozen by an abandoned merge that were merged or unfrozen here so far. */
  public long abandonedMergesResolved() {
    return abandonedMerges.resolved();
  }

  /** Sweeps completed so far. */
  public long sweeps() {
    return sweeps.get();
  }

  private void sweep() {
    try {
      long before = collector.dropped() + collector.created();
      collector.sweep();
      if (collector.dropped() + collector.created() > before) {
        LOG.info("node {}: replica collector has dropped {} stale and created {} missing replicas so far", nodeId,
            collector.dropped(), collector.created());
      }
    } catch (RuntimeException e) {
      LOG.warn("node {}: replica collector sweep failed; trying again next interval", nodeId, e);
    }
    try {
      abandonedMerges.sweep();
    } catch (RuntimeException e) {
      LOG.warn("node {}: looking for abandoned merges failed; trying again next interval", nodeId, e);
    } finally {
      sweeps.incrementAndGet();
    }
  }

  /** Stops sweeping and waits for a sweep in progress, so the store can close after. */
  @Override
  public void close() {
    timer.shutdownNow();
    try {
      if (!timer.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("node {}: a replica collector sweep did not stop within 30 s", nodeId);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
