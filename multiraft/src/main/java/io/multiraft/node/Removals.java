package io.multiraft.node;

import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * A worker's groups being removed, until their log is deleted: the deletion waits for the group's
 * writes already batched (or the writer would append to a deleted log), and a creation of the same
 * id waits for the deletion (or deleting the old log would delete the new group's). The deletion
 * itself runs on the apply stage, which reports back with {@link Command.GroupRemoved}. Owned by
 * the worker's thread.
 */
final class Removals {
  private final ApplyHandOff applies;
  private final Long2ObjectHashMap<Removal> byGroup = new Long2ObjectHashMap<>();

  private static final class Removal {
    final Replica replica;
    final CompletableFuture<Object> future;
    /** The log is deleted once the batch with this sequence is durable. */
    final long afterSeq;
    boolean started;
    ArrayList<Command.Create> creates;

    Removal(Replica replica, CompletableFuture<Object> future, long afterSeq) {
      this.replica = replica;
      this.future = future;
      this.afterSeq = afterSeq;
    }
  }

  Removals(ApplyHandOff applies) {
    this.applies = applies;
  }

  boolean isEmpty() {
    return byGroup.isEmpty();
  }

  /** Deletes the log of removed {@code r} once the log batch {@code afterSeq} is durable. */
  void add(Replica r, CompletableFuture<Object> future, long afterSeq) {
    byGroup.put(r.groupId, new Removal(r, future, afterSeq));
  }

  /** Starts the deletions that waited for batches up to {@code persistedSeq}. */
  void start(long persistedSeq) {
    for (Removal rm : byGroup.values()) {
      if (!rm.started && rm.afterSeq <= persistedSeq) {
        rm.started = true;
        applies.enqueue(rm.replica, ApplyTask.remove(rm.replica, rm.future));
      }
    }
  }

  /** Holds back a creation while an old group of its id is being removed; false if there is none. */
  boolean deferCreate(Command.Create c) {
    Removal pending = byGroup.get(c.groupId());
    if (pending == null) {
      return false;
    }
    if (pending.creates == null) {
      pending.creates = new ArrayList<>(1);
    }
    pending.creates.add(c);
    return true;
  }

  /**
   * The removed group's log is gone: returns the creations of its id that waited and may proceed
   * (null if none).
   */
  ArrayList<Command.Create> removed(Replica r) {
    Removal rm = byGroup.get(r.groupId);
    if (rm == null || rm.replica != r) {
      return null;
    }
    byGroup.remove(r.groupId);
    return rm.creates;
  }

  /** Fails the removals not started and every creation waiting for one. */
  void failAll(RaftException e) {
    for (Removal rm : byGroup.values()) {
      if (!rm.started) {
        rm.future.completeExceptionally(e);
      }
      if (rm.creates != null) {
        for (Command.Create cr : rm.creates) {
          cr.future().completeExceptionally(e);
        }
        rm.creates.clear();
      }
    }
  }
}
