package io.multiraft.node;

import io.multiraft.core.ConfChange;
import io.multiraft.core.ConfState;
import io.multiraft.core.GroupStatus;
import io.multiraft.core.HardState;
import io.multiraft.core.Message;
import io.multiraft.core.RaftConfig;
import io.multiraft.core.SnapshotMeta;
import io.multiraft.spi.Clock;
import io.multiraft.spi.LogStore;
import io.multiraft.spi.StateMachine;
import io.multiraft.spi.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node hosting any number of Raft groups on a fixed set of threads: raft workers (each group
 * pinned to one by its id), apply threads, and one log writer that makes every worker's batch
 * durable with one sync. Groups that are idle quiesce and cost no CPU and no messages.
 *
 * <p>Every request returns a future completed when it takes effect (a proposal: when applied, with
 * the state machine's result) or with a {@link RaftException} saying why not.
 */
public final class MultiRaftNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MultiRaftNode.class);

  private final NodeConfig cfg;
  private final LogStore store;
  private final Transport transport;
  private final StateMachine.Factory stateMachines;
  private final Clock clock;
  private final NodeCounters counters = new NodeCounters();
  private final LogWriter logWriter;
  private final Worker[] workers;
  private final Applier[] appliers;
  private final AtomicInteger snapshotSends = new AtomicInteger();
  private final List<DutyCycleThread> threads = new ArrayList<>();
  private DutyCycleThread writerThread;
  private volatile Throwable failure;
  private volatile RaftObserver observer;
  private boolean logWritesHeld;
  private volatile boolean closed;

  public MultiRaftNode(NodeConfig cfg, LogStore store, Transport transport, StateMachine.Factory stateMachines, Clock clock) {
    this.cfg = cfg;
    this.store = store;
    this.transport = transport;
    this.stateMachines = stateMachines;
    this.clock = clock;
    this.logWriter = new LogWriter(store, LogWriter.Config.defaults(), clock);
    SplittableRandom seeds = new SplittableRandom(cfg.seed() * 31 + cfg.nodeId());
    this.appliers = new Applier[cfg.appliers()];
    for (int i = 0; i < appliers.length; i++) {
      appliers[i] = new Applier(i, this, cfg.applyQueueCapacity());
    }
    this.workers = new Worker[cfg.workers()];
    for (int i = 0; i < workers.length; i++) {
      workers[i] = new Worker(i, this, seeds.split());
    }
    for (long g : store.groups()) {
      workerFor(g).recover(g);
    }
    transport.register(cfg.nodeId(), new InboundRouter());
    if (cfg.threaded()) {
      startThreads();
    }
  }

  private void startThreads() {
    for (Applier a : appliers) {
      DutyCycleThread t = new DutyCycleThread(a, clock);
      a.thread = t;
      threads.add(t);
    }
    writerThread = new DutyCycleThread(new DutyCycle() {
      @Override
      public int doWork(long nowNs) {
        return logWriter.flush();
      }

      @Override
      public long idleParkNs(long nowNs) {
        return Long.MAX_VALUE;
      }

      @Override
      public String name() {
        return "raft-log-writer-" + cfg.nodeId();
      }
    }, clock);
    logWriter.onSubmit(writerThread::wake);
    for (Worker w : workers) {
      DutyCycleThread t = new DutyCycleThread(w, clock);
      w.thread = t;
      threads.add(t);
    }
    writerThread.start();
    for (DutyCycleThread t : threads) {
      t.start();
    }
  }

  // ---------------------------------------------------------------- the API

  /**
   * Where a new group's log starts. Not 0: a replica added later must be able to receive the
   * initial membership as a snapshot (the empty snapshot at index 0 cannot be sent), and a
   * non-zero start is the same path a split uses.
   */
  public static final long INITIAL_INDEX = 10;
  public static final long INITIAL_TERM = 5;

  /** Creates a new group with these voters. Completes when its initial state is durable. */
  public CompletableFuture<Void> createGroup(long groupId, Set<Long> voters) {
    return createGroup(groupId, new SnapshotMeta(INITIAL_INDEX, INITIAL_TERM, ConfState.of(voters, Set.of())));
  }

  /**
   * Creates a group at a known log position (range split): empty log after {@code initial.index()}
   * at {@code initial.term()}, with that membership, without an election race.
   */
  public CompletableFuture<Void> createGroup(long groupId, SnapshotMeta initial) {
    CompletableFuture<Object> f = new CompletableFuture<>();
    HardState hs = initial.index() == 0 ? HardState.EMPTY : new HardState(initial.term(), 0, initial.index());
    submit(groupId, new Command.Create(groupId, initial, hs, f), f);
    return f.thenApply(x -> null);
  }

  public CompletableFuture<Void> removeGroup(long groupId) {
    CompletableFuture<Object> f = new CompletableFuture<>();
    submit(groupId, new Command.Remove(groupId, f), f);
    return f.thenApply(x -> null);
  }

  /** Proposes a command; completes with the state machine's result once applied here. */
  public CompletableFuture<Object> propose(long groupId, byte[] command) {
    CompletableFuture<Object> f = new CompletableFuture<>();
    submit(groupId, new Command.Propose(groupId, command, f), f);
    return f;
  }

  /** A linearizable read: runs {@code query} on the state machine once it reflects every write acknowledged before. */
  @SuppressWarnings("unchecked")
  public <T> CompletableFuture<T> read(long groupId, Function<StateMachine, T> query) {
    CompletableFuture<Object> f = new CompletableFuture<>();
    submit(groupId, new Command.Read(groupId, (Function<StateMachine, Object>) query, f), f);
    return (CompletableFuture<T>) f;
  }

  /** Proposes a membership change; completes with the new membership once applied. */
  public CompletableFuture<ConfState> changeMembership(long groupId, ConfChange change) {
    CompletableFuture<Object> f = new CompletableFuture<>();
    submit(groupId, new Command.ChangeMembership(groupId, change, f), f);
    return f.thenApply(x -> (ConfState) x);
  }

  public CompletableFuture<Void> transferLeader(long groupId, long target) {
    CompletableFuture<Object> f = new CompletableFuture<>();
    submit(groupId, new Command.TransferLeader(groupId, target, f), f);
    return f.thenApply(x -> null);
  }

  public CompletableFuture<Void> campaign(long groupId) {
    CompletableFuture<Object> f = new CompletableFuture<>();
    submit(groupId, new Command.Campaign(groupId, f), f);
    return f.thenApply(x -> null);
  }

  public CompletableFuture<GroupStatus> status(long groupId) {
    CompletableFuture<GroupStatus> f = new CompletableFuture<>();
    Worker w = workerFor(groupId);
    if (closed) {
      f.completeExceptionally(new RaftException.NodeClosed());
    } else if (!w.offer(new Command.Status(groupId, f))) {
      f.completeExceptionally(new RaftException.Overloaded("worker inbound queue"));
    }
    return f;
  }

  private void submit(long groupId, Command c, CompletableFuture<Object> f) {
    if (closed) {
      f.completeExceptionally(new RaftException.NodeClosed());
      return;
    }
    if (failure != null) {
      f.completeExceptionally(failureException());
      return;
    }
    if (!workerFor(groupId).offer(c)) {
      // Never block a caller on a full queue: tell it to back off.
      f.completeExceptionally(new RaftException.Overloaded("worker inbound queue"));
    }
  }

  /** Installs an observer of leadership and commit changes (set it before the node does work). */
  public void setObserver(RaftObserver observer) {
    this.observer = observer;
  }

  RaftObserver observer() {
    return observer;
  }

  public NodeCounters counters() {
    return counters;
  }

  public long nodeId() {
    return cfg.nodeId();
  }

  /** Groups hosted here (as last seen by the workers). */
  public int groupCount() {
    int n = 0;
    for (Worker w : workers) {
      n += w.groups();
    }
    return n;
  }

  /** Groups whose replica here is the leader, as last seen by the workers. */
  public int leaderCount() {
    int n = 0;
    for (Worker w : workers) {
      n += w.leaders();
    }
    return n;
  }

  /** Groups that tick (not quiesced), as last seen by the workers. */
  public int activeGroups() {
    int n = 0;
    for (Worker w : workers) {
      n += w.activeGroups();
    }
    return n;
  }

  public long logSyncs() {
    return logWriter.flushes();
  }

  /** Log writes that took 300 ms or longer (each is also logged, at most once in 10 s). */
  public long slowLogWrites() {
    return logWriter.slowWrites();
  }

  /** Entries made durable by the log writer. */
  public long logEntries() {
    return logWriter.entries();
  }

  /**
   * Without threads ({@code threaded=false}), for tests and the simulator: a disk that stops
   * answering. Writes queue up and none completes until released, as in a sync that takes seconds.
   */
  public void holdLogWrites(boolean held) {
    logWritesHeld = held;
  }

  /**
   * Without threads ({@code threaded=false}): runs one duty cycle of everything at {@code nowNs}.
   * The deterministic simulator drives the node this way.
   */
  public int pump(long nowNs) {
    int work = 0;
    for (Worker w : workers) {
      work += w.doWork(nowNs);
    }
    if (!logWritesHeld) {
      work += logWriter.flush();
    }
    for (Applier a : appliers) {
      work += a.doWork(nowNs);
    }
    return work;
  }

  /**
   * Stops in order (lesson 22): raft workers first, so nothing new is written; then the log writer
   * finishes what was submitted; the apply threads stop without draining. Pending requests fail
   * with {@link RaftException.NodeClosed}. The log store and transport belong to the caller.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (DutyCycleThread t : threads) {
      if (isWorkerThread(t)) {
        t.stop();
      }
    }
    if (writerThread != null) {
      writerThread.stop();
    }
    logWriter.flush();
    for (DutyCycleThread t : threads) {
      if (!isWorkerThread(t)) {
        t.stop();
      }
    }
    RaftException e = new RaftException.NodeClosed();
    for (Worker w : workers) {
      w.failAll(e);
    }
  }

  private boolean isWorkerThread(DutyCycleThread t) {
    for (Worker w : workers) {
      if (w.thread == t) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- internals

  NodeConfig config() {
    return cfg;
  }

  LogStore store() {
    return store;
  }

  Transport transport() {
    return transport;
  }

  StateMachine.Factory stateMachines() {
    return stateMachines;
  }

  Clock clock() {
    return clock;
  }

  LogWriter logWriter() {
    return logWriter;
  }

  Worker workerFor(long groupId) {
    return workers[(int) Long.remainderUnsigned(mix(groupId), workers.length)];
  }

  Applier applierFor(long groupId) {
    return appliers[(int) Long.remainderUnsigned(mix(groupId) >>> 17, appliers.length)];
  }

  private static long mix(long x) {
    x ^= x >>> 33;
    x *= 0xff51afd7ed558ccdL;
    x ^= x >>> 33;
    return x;
  }

  /**
   * {@code voters}: the group's voters as stored. Only the first of them in {@link CampaignOrder}
   * takes the fast first election (lesson 16); the others wait a whole election timeout. With every
   * replica campaigning within the same two ticks, the node whose workers happened to tick first
   * (or that created its groups first) won nearly every group: 87 / 905 / 8 of 1,000 in a run of
   * three node JVMs. The order spreads the first leaders evenly, with no extra election or
   * leadership transfer; if the chosen replica is down, another is elected after a timeout.
   */
  RaftConfig raftConfig(long groupId, long applied, java.util.Collection<Long> voters, boolean emptyReplicaVotes) {
    boolean first = voters.contains(cfg.nodeId()) && CampaignOrder.rank(groupId, cfg.nodeId(), voters, 0) == 0;
    RaftConfig.Builder b = RaftConfig.builder(groupId, cfg.nodeId())
        .electionTicks(cfg.electionTicks())
        .heartbeatTicks(cfg.heartbeatTicks())
        .appliedIndex(applied)
        .maxInflightMsgs(cfg.appendWindow())
        .fastFirstElection(first)
        .lazyCommitBroadcast(true)
        .heartbeatIdleFollowersOnly(true)
        .emptyReplicaVotes(emptyReplicaVotes);
    return cfg.raftTweaks().apply(b).build();
  }

  boolean tryAcquireSnapshotSend() {
    while (true) {
      int n = snapshotSends.get();
      if (n >= cfg.maxConcurrentSnapshotSends()) {
        return false;
      }
      if (snapshotSends.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  void releaseSnapshotSend() {
    snapshotSends.updateAndGet(n -> Math.max(0, n - 1));
  }

  void fail(Throwable t) {
    if (failure == null) {
      failure = t;
      LOG.error("node {}: the log store failed; the node stops serving rather than risk a log it cannot trust", cfg.nodeId(), t);
      RaftException e = failureException();
      for (Worker w : workers) {
        w.failAll(e);
      }
    }
  }

  Throwable failure() {
    return failure;
  }

  RaftException failureException() {
    return new RaftException("node " + cfg.nodeId() + " stopped serving: log store failed: " + failure);
  }

  /** Routes what the transport delivers to the workers that own the groups. */
  private final class InboundRouter implements Transport.Inbound {
    @Override
    public void receive(long fromNode, List<Message> messages) {
      if (workers.length == 1) {
        deliver(workers[0], fromNode, messages);
        return;
      }
      @SuppressWarnings("unchecked")
      List<Message>[] split = new List[workers.length];
      for (Message m : messages) {
        int w = (int) Long.remainderUnsigned(mix(m.groupId), workers.length);
        if (split[w] == null) {
          split[w] = new ArrayList<>();
        }
        split[w].add(m);
      }
      for (int i = 0; i < split.length; i++) {
        if (split[i] != null) {
          deliver(workers[i], fromNode, split[i]);
        }
      }
    }

    private void deliver(Worker w, long fromNode, List<Message> msgs) {
      if (!w.offer(new Command.Deliver(fromNode, msgs))) {
        counters.droppedInboundOverload.add(msgs.size()); // Raft retransmits what is lost
        SnapshotRelease.unhandled(msgs); // and sends its snapshot again: this one's staged data goes
      }
    }

    @Override
    public void nodeUnreachable(long node) {
      LOG.info("node {}: node {} reported unreachable", cfg.nodeId(), node);
      for (Worker w : workers) {
        w.postInternal(new Command.NodeUnreachable(node));
      }
    }

    @Override
    public void nodeReachable(long node) {
      // Nothing to do: groups resume on the next message from that node.
    }

    @Override
    public void snapshotStatus(long groupId, long toNode, boolean ok) {
      workerFor(groupId).postInternal(new Command.SnapshotStatus(groupId, toNode, ok));
    }

    @Override
    public io.multiraft.spi.SnapshotSink snapshotSink() {
      return stateMachines.snapshotSink();
    }
  }
}
