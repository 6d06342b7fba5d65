package io.multiraft.node;

import io.multiraft.core.MessageType;
import java.util.concurrent.atomic.LongAdder;

/** What the node did, for tests, metrics and the benchmark. Written by many threads. */
public final class NodeCounters {
  private final LongAdder[] sentByType = adders(MessageType.values().length);
  private final LongAdder[] receivedByType = adders(MessageType.values().length);
  /** Calls to Transport.send: one per destination node per duty cycle at most. */
  public final LongAdder framesSent = new LongAdder();
  public final LongAdder ticks = new LongAdder();
  public final LongAdder dutyCycles = new LongAdder();
  public final LongAdder readies = new LongAdder();
  public final LongAdder logBatches = new LongAdder();
  public final LongAdder proposals = new LongAdder();
  public final LongAdder applied = new LongAdder();
  public final LongAdder quiesced = new LongAdder();
  public final LongAdder woken = new LongAdder();
  /** Of {@link #quiesced}: sparse groups' leaders quiesced as their write was done, not a tick later. */
  public final LongAdder quiescedEarly = new LongAdder();
  /** Times a replica here became its group's leader: elections won and transfers received. */
  public final LongAdder leadershipsGained = new LongAdder();
  public final LongAdder unknownGroupMessages = new LongAdder();
  public final LongAdder droppedInboundOverload = new LongAdder();
  public final LongAdder snapshotsCreated = new LongAdder();
  public final LongAdder snapshotsRestored = new LongAdder();
  /** Snapshots the state machine failed to restore: each leaves its group waiting (see the node's log). */
  public final LongAdder snapshotRestoresFailed = new LongAdder();
  public final LongAdder compactions = new LongAdder();
  public final LongAdder timeouts = new LongAdder();
  /** Reads asked of this node that its leading group answered on its lease, without a heartbeat round. */
  public final LongAdder leaseReads = new LongAdder();
  /** Heartbeat rounds started to confirm reads asked of this node that no lease covered. */
  public final LongAdder readConfirmHeartbeats = new LongAdder();

  private static LongAdder[] adders(int n) {
    LongAdder[] a = new LongAdder[n];
    for (int i = 0; i < n; i++) {
      a[i] = new LongAdder();
    }
    return a;
  }

  void sent(MessageType t) {
    sentByType[t.ordinal()].increment();
  }

  void received(MessageType t) {
    receivedByType[t.ordinal()].increment();
  }

  void sent(MessageType t, int n) {
    sentByType[t.ordinal()].add(n);
  }

  void received(MessageType t, int n) {
    receivedByType[t.ordinal()].add(n);
  }


  public long sentOf(MessageType t) {
    return sentByType[t.ordinal()].sum();
  }

  public long receivedOf(MessageType t) {
    return receivedByType[t.ordinal()].sum();
  }

  public long messagesSent() {
    long n = 0;
    for (LongAdder a : sentByType) {
      n += a.sum();
    }
    return n;
  }

  public long messagesReceived() {
    long n = 0;
    for (LongAdder a : receivedByType) {
      n += a.sum();
    }
    return n;
  }
}
