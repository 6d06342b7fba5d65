package io.multiraft.node;

import io.multiraft.core.ConfState;
import io.multiraft.core.Entry;
import io.multiraft.core.Ready;
import io.multiraft.core.Snapshot;
import io.multiraft.spi.StateMachine;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** Work for the apply stage; one kind per instance, for one group. */
final class ApplyTask {
  enum Kind { ENTRIES, RESTORE, QUERY, CREATE_SNAPSHOT, OPEN, REMOVE }

  final Kind kind;
  final Replica replica;
  List<Entry> entries;
  CompletableFuture<Object>[] futures;
  ConfState[] confStates;
  Snapshot snapshot;
  Function<StateMachine, Object> query;
  CompletableFuture<Object> future;
  Ready ready;
  long skipThrough;

  private ApplyTask(Kind kind, Replica replica) {
    this.kind = kind;
    this.replica = replica;
  }

  static ApplyTask entries(Replica r, List<Entry> entries, CompletableFuture<Object>[] futures, ConfState[] confStates) {
    ApplyTask t = new ApplyTask(Kind.ENTRIES, r);
    t.entries = entries;
    t.futures = futures;
    t.confStates = confStates;
    return t;
  }

  /** Restores the state machine from the snapshot of {@code rd}, then hands {@code rd} back to the worker to persist. */
  static ApplyTask restore(Replica r, Ready rd) {
    ApplyTask t = new ApplyTask(Kind.RESTORE, r);
    t.snapshot = rd.snapshot();
    t.ready = rd;
    return t;
  }

  static ApplyTask query(Replica r, Function<StateMachine, Object> q, CompletableFuture<Object> f) {
    ApplyTask t = new ApplyTask(Kind.QUERY, r);
    t.query = q;
    t.future = f;
    return t;
  }

  static ApplyTask createSnapshot(Replica r) {
    return new ApplyTask(Kind.CREATE_SNAPSHOT, r);
  }

  /** Creates the group's state machine on the apply thread. */
  static ApplyTask open(Replica r, long appliedIndex, long appliedTerm, ConfState conf, long skipThrough) {
    ApplyTask t = new ApplyTask(Kind.OPEN, r);
    t.snapshot = new Snapshot(new io.multiraft.core.SnapshotMeta(appliedIndex, appliedTerm, conf), io.multiraft.core.SnapshotData.EMPTY);
    t.skipThrough = skipThrough;
    return t;
  }

  static ApplyTask remove(Replica r, CompletableFuture<Object> f) {
    ApplyTask t = new ApplyTask(Kind.REMOVE, r);
    t.future = f;
    return t;
  }
}
