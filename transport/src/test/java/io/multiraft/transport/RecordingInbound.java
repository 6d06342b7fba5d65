package io.multiraft.transport;

import io.multiraft.core.Message;
import io.multiraft.core.MessageType;
import io.multiraft.spi.SnapshotSink;
import io.multiraft.spi.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/** A node stand-in that records what its transport delivers, optionally answering messages. */
final class RecordingInbound implements Transport.Inbound {
  record Status(long groupId, long toNode, boolean ok) {}

  final ConcurrentLinkedQueue<Message> messages = new ConcurrentLinkedQueue<>();
  /** The size of each receive call, in order. */
  final CopyOnWriteArrayList<Integer> receiveCalls = new CopyOnWriteArrayList<>();
  final CopyOnWriteArrayList<Long> unreachable = new CopyOnWriteArrayList<>();
  final CopyOnWriteArrayList<Long> reachable = new CopyOnWriteArrayList<>();
  final CopyOnWriteArrayList<Status> snapshotStatuses = new CopyOnWriteArrayList<>();
  final AtomicInteger received = new AtomicInteger();
  private volatile BiConsumer<Long, List<Message>> onReceive;
  /** Where received snapshots are staged; null: the transport assembles them as bytes. */
  volatile SnapshotSink sink;

  @Override
  public SnapshotSink snapshotSink() {
    return sink;
  }

  /** Runs on the transport's thread for every delivered batch (after recording it). */
  void onReceive(BiConsumer<Long, List<Message>> hook) {
    this.onReceive = hook;
  }

  @Override
  public void receive(long fromNode, List<Message> batch) {
    messages.addAll(batch);
    receiveCalls.add(batch.size());
    received.addAndGet(batch.size());
    BiConsumer<Long, List<Message>> hook = onReceive;
    if (hook != null) {
      hook.accept(fromNode, batch);
    }
  }

  @Override
  public void nodeUnreachable(long node) {
    unreachable.add(node);
  }

  @Override
  public void nodeReachable(long node) {
    reachable.add(node);
  }

  @Override
  public void snapshotStatus(long groupId, long toNode, boolean ok) {
    snapshotStatuses.add(new Status(groupId, toNode, ok));
  }

  List<Message> snapshotMessages() {
    List<Message> out = new ArrayList<>();
    for (Message m : messages) {
      if (m.type == MessageType.SNAPSHOT) {
        out.add(m);
      }
    }
    return out;
  }
}
