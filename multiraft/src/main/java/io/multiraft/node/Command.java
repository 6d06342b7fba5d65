package io.multiraft.node;

import io.multiraft.core.ConfChange;
import io.multiraft.core.GroupStatus;
import io.multiraft.core.HardState;
import io.multiraft.core.Message;
import io.multiraft.core.Ready;
import io.multiraft.core.SnapshotMeta;
import io.multiraft.spi.StateMachine;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** What a worker's queues carry. External requests go through the bounded inbound queue. */
sealed interface Command {
  record Deliver(long fromNode, List<Message> messages) implements Command {}

  record Propose(long groupId, byte[] command, CompletableFuture<Object> future) implements Command {}

  record Read(long groupId, Function<StateMachine, Object> query, CompletableFuture<Object> future) implements Command {}

  record ChangeMembership(long groupId, ConfChange change, CompletableFuture<Object> future) implements Command {}

  record TransferLeader(long groupId, long target, CompletableFuture<Object> future) implements Command {}

  record Create(long groupId, SnapshotMeta initial, HardState hardState, CompletableFuture<Object> future) implements Command {}

  record Remove(long groupId, CompletableFuture<Object> future) implements Command {}

  record Status(long groupId, CompletableFuture<GroupStatus> future) implements Command {}

  record Campaign(long groupId, CompletableFuture<Object> future) implements Command {}

  // ---- internal completions (unbounded queue: they must never be lost)

  /** A log batch became durable (or failed): the Readies and creations it carried may proceed. */
  record Persisted(long seq, List<Replica> replicas, List<Ready> readies, List<Create> creates, List<Replica> created, Throwable error) implements Command {}

  /** The state machine was restored from the snapshot of {@code ready}: its Raft position may now be persisted. */
  record Restored(Replica replica, Ready ready) implements Command {}

  /** The apply stage deleted a removed group's state machine and log: its id may be created again. */
  record GroupRemoved(Replica replica) implements Command {}

  /** The apply stage applied {@code replicas[i]} up to {@code indexes[i]}, for i < count: one command per cycle and worker. */
  record Applied(Replica[] replicas, long[] indexes, int count) implements Command {}

  record NodeUnreachable(long node) implements Command {}

  record SnapshotStatus(long groupId, long toNode, boolean ok) implements Command {}
}
