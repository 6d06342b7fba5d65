package io.multiraft.rangestore.api;

import io.multiraft.core.ConfChange;
import io.multiraft.core.ConfState;
import io.multiraft.core.GroupStatus;
import io.multiraft.core.ReadOnlyOption;
import io.multiraft.node.MultiRaftNode;
import io.multiraft.node.NodeConfig;
import io.multiraft.node.RaftObserver;
import io.multiraft.rangestore.kv.KvCommand;
import io.multiraft.rangestore.kv.KvCommandCodec;
import io.multiraft.rangestore.kv.KvResult;
import io.multiraft.rangestore.kv.RangeData;
import io.multiraft.rangestore.kv.RangeSizes;
import io.multiraft.rangestore.kv.RangeState;
import io.multiraft.rangestore.kv.RangeStateMachine;
import io.multiraft.rangestore.kv.RangeStateMachines;
import io.multiraft.rangestore.kv.ScanResult;
import io.multiraft.rangestore.log.RocksLogStore;
import io.multiraft.rangestore.range.Keys;
import io.multiraft.rangestore.range.RangeDescriptor;
import io.multiraft.rangestore.range.RangeException;
import io.multiraft.rangestore.route.Router;
import io.multiraft.rangestore.split.AutoSplitter;
import io.multiraft.spi.LogStore;
import io.multiraft.spi.Transport;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One node of the range store, for embedding: a sorted key space cut into ranges, each range a
 * Raft group replicated on a few nodes. Requests go to the range that owns the key on this node;
 * a typed {@link RangeException} says when to go elsewhere ({@code NotLeader} with a hint,
 * {@code KeyNotInRange} with the newer descriptor, {@code RangeNotFound}). Every operation
 * returns a future; none blocks the caller.
 *
 * <p>Built by {@link RangeStoreNode#open} from a validated {@link RangeStoreConfig}.
 */
public final class RangeStore implements NodeHandle, AutoCloseable {
  /** How often {@link #splitAt} re-reads the descriptor after losing a race with another split of the range. */
  private static final int STALE_SPLIT_RETRIES = 8;
  private final RangeStoreConfig cfg;
  private final LogStore store;
  private final RangeData data;
  private final Router router = new Router();
  private final ReplicaLifecycle lifecycle;
  private final Outcomes outcomes = new Outcomes(router);
  private final MultiRaftNode node;
  private final RangeIds ids;
  private final Transport transport;
  private final AutoCloseable ownedTransport;
  private final LocalReplicas replicas;
  /** The node's one split-check timer thread; null when automatic splits are off. */
  private final ScheduledExecutorService splitTimer;
  private final AutoSplitter autoSplitter;

  RangeStore(RangeStoreConfig cfg, RocksLogStore store, Transport transport, AutoCloseable ownedTransport) {
    this(cfg, store, new RangeData(store.db(), store.dataColumnFamily(), store.path().resolve("ingest")), transport,
        ownedTransport, NodeRuntime.SYSTEM);
  }

  /** A store over any log store and range data (the simulator: a memory log, data on an in-memory RocksDB). */
  RangeStore(RangeStoreConfig cfg, LogStore store, RangeData data, Transport transport, AutoCloseable ownedTransport,
      NodeRuntime runtime) {
    this.cfg = cfg;
    this.store = store;
    this.data = data;
    this.lifecycle = new ReplicaLifecycle(router, runtime.scheduler(), cfg.tickIntervalMs());
    this.ids = new RangeIds(cfg.nodeId(), data, data.columnFamily());
    this.transport = transport;
    this.ownedTransport = ownedTransport;
    List<RangeState> states = data.allStates();
    Set<Long> logged = store.groups();
    NodeConfig nodeCfg = NodeConfig.builder(cfg.nodeId())
        .workers(cfg.raftWorkers())
        .tickIntervalNs(cfg.tickIntervalMs() * 1_000_000L)
        .snapshotEveryEntries(cfg.snapshotEveryEntries())
        .compactionMarginEntries(cfg.compactionMarginEntries())
        .logBudgetBytes(cfg.logBudgetBytes())
        .appendWindow(cfg.appendWindow())
        .threaded(runtime.threaded())
        .seed(runtime.seedFor(cfg.nodeId()))
        .raftTweaks(b -> cfg.leaseReads() ? b.readOnlyOption(ReadOnlyOption.LEASE_BASED) : b)
        .build();
    this.node = new MultiRaftNode(nodeCfg, store, transport,
        new RangeStateMachines(cfg.nodeId(), data, lifecycle), runtime.clock());
    node.setObserver(new RaftObserver() {
      @Override
      public void onLeader(long n, long group, long term) {
        router.noteLeader(group, n);
      }
    });
    lifecycle.attach(node);
    this.replicas = new LocalReplicas(cfg.nodeId(), data, node, router, lifecycle, outcomes);
    replicas.reconcile(states, logged);
    this.autoSplitter = new AutoSplitter(cfg.autoSplit(), runtime.clock(), new AutoSplitRanges(this, router, data));
    this.splitTimer = cfg.autoSplit().enabled() ? Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "auto-split-" + cfg.nodeId());
      t.setDaemon(true);
      return t;
    }) : null;
    if (splitTimer != null) {
      autoSplitter.start(splitTimer);
    }
  }

  /** The transport this node's Raft traffic (and, over Netty, its admin requests) runs on. */
  public Transport transport() {
    return transport;
  }

  /** Size estimates of the ranges stored on this node (what the split trigger looks at). */
  public RangeSizes sizes() {
    return new RangeSizes(data);
  }

  /** The automatic split trigger (counters, or a check on demand in tests). */
  public AutoSplitter autoSplitter() {
    return autoSplitter;
  }

  @Override
  public long nodeId() {
    return cfg.nodeId();
  }

  public RangeStoreConfig config() {
    return cfg;
  }

  /** The routing table of this node: the ranges it knows of and their last known leaders. */
  public Router router() {
    return router;
  }

  /** The Raft runtime under the store (status, counters). */
  public MultiRaftNode raft() {
    return node;
  }

  /**
   * Creates a range on this node at the initial log position, with the descriptor's replicas as
   * voters. Call it on every node of the descriptor (cluster bootstrap); they elect a leader.
   */
  public CompletableFuture<Void> bootstrapRange(RangeDescriptor d) {
    return replicas.bootstrap(d);
  }

  // ---------------------------------------------------------------- data

  public CompletableFuture<Void> put(byte[] key, byte[] value) {
    checkKey(key);
    checkValue(value);
    return write(key, new KvCommand.Put(key, value), r -> null);
  }

  public CompletableFuture<Void> delete(byte[] key) {
    checkKey(key);
    return write(key, new KvCommand.Delete(key), r -> null);
  }

  /** Sets {@code key} to {@code newValue} (null: delete) if it holds {@code expected} (null: absent); true if it did. */
  public CompletableFuture<Boolean> compareAndSet(byte[] key, byte[] expected, byte[] newValue) {
    checkKey(key);
    if (newValue != null) {
      checkValue(newValue);
    }
    return write(key, new KvCommand.Cas(key, expected, newValue), r -> ((KvResult.CasOutcome) r).succeeded());
  }

  /** Applies puts and deletes (null value) atomically; all keys must lie in one range. */
  public CompletableFuture<Void> batch(List<KvCommand.Op> ops) {
    if (ops.isEmpty() || ops.size() > cfg.maxBatchOps()) {
      throw new RangeException.Rejected("a batch holds 1 to " + cfg.maxBatchOps() + " operations, got " + ops.size());
    }
    for (KvCommand.Op op : ops) {
      checkKey(op.key());
      if (op.value() != null) {
        checkValue(op.value());
      }
    }
    return write(ops.get(0).key(), new KvCommand.Batch(ops), r -> null);
  }

  /** A linearizable read of {@code key}; null if absent. */
  public CompletableFuture<byte[]> get(byte[] key) {
    checkKey(key);
    long id = route(key);
    return outcomes.plain(id, node.read(id, sm -> ((RangeStateMachine) sm).get(key)));
  }

  /** A linearizable scan of [start, end) within the range owning {@code start}; continue at the result's resume key. */
  public CompletableFuture<ScanResult> scan(byte[] start, byte[] end, int limit) {
    checkKey(start);
    if (limit <= 0) {
      throw new RangeException.Rejected("scan limit must be > 0, got " + limit);
    }
    long id = route(start);
    return outcomes.plain(id, node.read(id, sm -> ((RangeStateMachine) sm).scan(start, end, limit)));
  }

  private <T> CompletableFuture<T> write(byte[] routeKey, KvCommand cmd, java.util.function.Function<KvResult, T> onResult) {
    long id = route(routeKey);
    return outcomes.write(id, node.propose(id, KvCommandCodec.encode(cmd)), onResult);
  }

  private long route(byte[] key) {
    return router.lookup(key).rangeId();
  }

  private void checkKey(byte[] key) {
    if (key == null || key.length > cfg.maxKeyBytes()) {
      throw new RangeException.Rejected("keys are 0 to " + cfg.maxKeyBytes() + " bytes (maxKeyBytes), got "
          + (key == null ? "null" : key.length + " bytes"));
    }
  }

  private void checkValue(byte[] value) {
    if (value == null || value.length > cfg.maxValueBytes()) {
      throw new RangeException.Rejected("values are 0 to " + cfg.maxValueBytes() + " bytes (maxValueBytes), got "
          + (value == null ? "null (use delete)" : value.length + " bytes"));
    }
  }

  // ---------------------------------------------------------------- admin

  /** The range's descriptor, read linearizably through its leader. */
  @Override
  public CompletableFuture<RangeDescriptor> descriptor(long rangeId) {
    return outcomes.plain(rangeId, node.read(rangeId, sm -> {
      RangeDescriptor d = ((RangeStateMachine) sm).descriptor();
      if (d == null) {
        throw new RangeException.RangeNotFound(rangeId, "its replica on node " + nodeId() + " holds no state yet");
      }
      return d;
    }));
  }

  /**
   * Splits the range at {@code splitKey}: it keeps [start, splitKey), a new range gets the rest.
   * Fails with {@link RangeException.Rejected} (nothing applied) if the key is not strictly inside.
   */
  public CompletableFuture<SplitResult> split(long rangeId, byte[] splitKey) {
    checkKey(splitKey);
    return descriptor(rangeId).thenCompose(d -> proposeSplit(d, splitKey));
  }

  /** Proposes a split of the range as {@code d} describes it; the apply refuses it if the range changed since. */
  private CompletableFuture<SplitResult> proposeSplit(RangeDescriptor d, byte[] splitKey) {
    if (!d.contains(splitKey) || Keys.compare(splitKey, d.startKey()) == 0) {
      throw new RangeException.Rejected("split key " + Keys.show(splitKey) + " must lie strictly inside " + d
          + " (not at its start, not outside)");
    }
    KvCommand.Split cmd = new KvCommand.Split(splitKey, ids.next(), d.generation());
    return outcomes.write(d.rangeId(), node.propose(d.rangeId(), KvCommandCodec.encode(cmd)), r -> {
      KvResult.SplitDone s = (KvResult.SplitDone) r;
      return new SplitResult(s.left(), s.right());
    });
  }

  /**
   * Splits whichever range owns {@code key} at {@code key}. If this node's routing is behind (the
   * range it names no longer holds the key), fails with {@link RangeException.KeyNotInRange}, which
   * a client retries after the routing catches up.
   */
  public CompletableFuture<SplitResult> splitAt(byte[] key) {
    checkKey(key);
    return splitAt(key, STALE_SPLIT_RETRIES);
  }

  private CompletableFuture<SplitResult> splitAt(byte[] key, int retries) {
    long id = route(key);
    return descriptor(id).thenCompose(d -> {
      if (!d.contains(key)) {
        router.update(d);
        throw new RangeException.KeyNotInRange(key, d);
      }
      return proposeSplit(d, key);
    }).exceptionallyCompose(e -> {
      Throwable c = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
      // a concurrent split of the same range won the race: the key still names a split to make, in whichever range owns it now
      return c instanceof RangeException.StaleGeneration && retries > 0 ? splitAt(key, retries - 1)
          : CompletableFuture.failedFuture(c);
    });
  }

  /** Proposes a range command (split, freeze, merge, unfreeze) here; a refusal fails as {@link RangeException.Rejected}. */
  @Override
  public CompletableFuture<KvResult> propose(long rangeId, KvCommand cmd) {
    return outcomes.write(rangeId, node.propose(rangeId, KvCommandCodec.encode(cmd)), r -> r);
  }

  /**
   * Proposes a membership change of a range this node leads; completes with the new membership.
   * Refused for a range frozen for a merge: the merge takes the right range's data from the
   * replicas on the left range's nodes, so a replica moved now loses data there or outlives the
   * merge as a zombie that no leader will remove (sim seed 51187).
   */
  @Override
  public CompletableFuture<ConfState> changeReplicas(long rangeId, ConfChange change) {
    RangeState st = data.readState(rangeId);
    if (st != null && st.frozen()) {
      return CompletableFuture.failedFuture(new RangeException.Rejected("range " + rangeId
          + " is frozen for a merge; change its replicas after the merge completes or is rolled back"));
    }
    return outcomes.plain(rangeId, node.changeMembership(rangeId, change));
  }

  /**
   * Creates an empty replica of {@code rangeId} here, to be added by its leader: it holds no state
   * until the leader's snapshot arrives. Idempotent.
   */
  @Override
  public CompletableFuture<Void> prepareReplica(long rangeId) {
    return replicas.prepare(rangeId);
  }

  /**
   * Drops this node's replica of a range it was removed from (the removal committed, but this node
   * may never apply it): removes the group, then the range's data and state here.
   */
  @Override
  public CompletableFuture<Void> dropReplica(long rangeId) {
    return replicas.drop(rangeId);
  }

  @Override
  public CompletableFuture<Void> transferLeader(long rangeId, long targetNode) {
    return outcomes.plain(rangeId, node.transferLeader(rangeId, targetNode));
  }

  @Override
  public CompletableFuture<GroupStatus> status(long rangeId) {
    return outcomes.plain(rangeId, node.status(rangeId));
  }

  @Override
  public RangeDescriptor routeOf(byte[] key) {
    try {
      return router.lookup(key).descriptor();
    } catch (RangeException.RangeNotFound e) {
      return null;
    }
  }

  /** The ranges this node holds a replica state of (the replica collector's starting point). */
  @Override
  public List<Long> localRangeIds() {
    return data.allStates().stream().map(st -> st.descriptor().rangeId()).toList();
  }

  /** Whether this node's replica of the range was removed or merged away (and not added again since). */
  public boolean isTombstoned(long rangeId) {
    return data.isTombstoned(rangeId);
  }

  /** Whether this node keeps the group of a replica removed while it led, until another leads (tests). */
  boolean removalDeferred(long rangeId) {
    return lifecycle.removalDeferred(rangeId);
  }

  /** The state of this node's replica of a range (tests, tools), or null. */
  @Override
  public RangeState localState(long rangeId) {
    return data.readState(rangeId);
  }

  /** Stops Raft first, then the transport (if owned), then the database (lesson 22). */
  @Override
  public void close() {
    autoSplitter.close();
    if (splitTimer != null) {
      splitTimer.shutdownNow();
    }
    node.close();
    if (ownedTransport != null) {
      try {
        ownedTransport.close();
      } catch (Exception e) {
        // closing anyway: the database lock must be released for a restart
      }
    }
    data.close();
    store.close();
  }
}
