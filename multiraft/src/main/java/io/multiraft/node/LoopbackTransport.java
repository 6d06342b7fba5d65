package io.multiraft.node;

import io.multiraft.core.Message;
import io.multiraft.core.MessageType;
import io.multiraft.core.Snapshot;
import io.multiraft.core.SnapshotData;
import java.util.ArrayList;
import io.multiraft.spi.Transport;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Nodes of one process connected directly: a send hands the message list to the receiving node's
 * queue on the sender's thread. For tests and the in-process benchmark. Links can be cut to make
 * partitions; cutting a node off reports it unreachable to the others, as a real transport would.
 */
public final class LoopbackTransport implements Transport {
  private final ConcurrentHashMap<Long, Inbound> nodes = new ConcurrentHashMap<>();
  private final Set<Long> isolated = ConcurrentHashMap.newKeySet();
  public final LongAdder frames = new LongAdder();
  public final LongAdder messages = new LongAdder();
  public final LongAdder dropped = new LongAdder();
  /** A test's fault that drops chosen messages; null (the default) drops none. */
  private volatile Filter filter;

  /** Decides, message by message, what a test's fault drops. Called on the sender's thread. */
  @FunctionalInterface
  public interface Filter {
    boolean drops(long fromNode, long toNode, Message m);
  }

  @Override
  public void register(long nodeId, Inbound inbound) {
    nodes.put(nodeId, inbound);
  }

  /** Forgets a node (it was closed); messages to it are dropped until it registers again. */
  public void unregister(long nodeId) {
    nodes.remove(nodeId);
  }

  @Override
  public void send(long fromNode, long toNode, List<Message> msgs) {
    Inbound to = nodes.get(toNode);
    if (to == null || isolated.contains(fromNode) || isolated.contains(toNode)) {
      dropped.add(msgs.size());
      reportSnapshots(fromNode, toNode, msgs, false);
      SnapshotRelease.unhandled(msgs);
      return;
    }
    Filter f = filter;
    if (f != null) {
      msgs = kept(f, fromNode, toNode, msgs);
      if (msgs.isEmpty()) {
        return;
      }
    }
    frames.increment();
    messages.add(msgs.size());
    to.receive(fromNode, inMemory(msgs));
    reportSnapshots(fromNode, toNode, msgs, true);
  }

  /** Drops chosen messages from now on (a test's fault); null delivers everything again. */
  public void filter(Filter f) {
    filter = f;
  }

  private List<Message> kept(Filter f, long fromNode, long toNode, List<Message> msgs) {
    List<Message> out = new ArrayList<>(msgs.size());
    List<Message> gone = new ArrayList<>();
    for (Message m : msgs) {
      (f.drops(fromNode, toNode, m) ? gone : out).add(m);
    }
    if (!gone.isEmpty()) {
      dropped.add(gone.size());
      reportSnapshots(fromNode, toNode, gone, false);
      SnapshotRelease.unhandled(gone);
    }
    return out;
  }

  /**
   * The receiver gets its own copy of a chunked snapshot, read whole here, and the send's reference
   * to the sender's data is given back: a view of another node's database must not outlive the
   * send. (A network transport streams it instead; this one is for tests and small states.)
   */
  private static List<Message> inMemory(List<Message> msgs) {
    List<Message> out = msgs;
    for (int i = 0; i < msgs.size(); i++) {
      Message m = msgs.get(i);
      if (m.type == MessageType.SNAPSHOT && m.snapshot != null && !(m.snapshot.payload() instanceof SnapshotData.Bytes)) {
        if (out == msgs) {
          out = new ArrayList<>(msgs);
        }
        byte[] data;
        try {
          data = io.multiraft.spi.SnapshotStreams.readAll(m.snapshot.payload());
        } finally {
          m.snapshot.payload().release();
        }
        out.set(i, new Message(m.groupId, m.type, m.from, m.to, m.term, m.logTerm, m.index, m.entries, m.commit,
            m.reject, m.rejectHint, new Snapshot(m.snapshot.meta(), data), m.context));
      }
    }
    return out;
  }

  private void reportSnapshots(long fromNode, long toNode, List<Message> msgs, boolean ok) {
    Inbound from = nodes.get(fromNode);
    if (from == null) {
      return;
    }
    for (Message m : msgs) {
      if (m.type == MessageType.SNAPSHOT) {
        from.snapshotStatus(m.groupId, toNode, ok);
      }
    }
  }

  /** Cuts every link of {@code node} and tells the other nodes it is unreachable. */
  public void isolate(long node) {
    cut(node);
    for (var e : nodes.entrySet()) {
      if (e.getKey() != node) {
        e.getValue().nodeUnreachable(node);
      }
    }
  }

  /**
   * Cuts every link of {@code node} without telling anyone: with {@link #reportUnreachable} a test
   * makes nodes learn of the loss at different times, as real failure detectors do.
   */
  public void cut(long node) {
    isolated.add(node);
  }

  /** Tells {@code observer} that {@code node} is unreachable. */
  public void reportUnreachable(long observer, long node) {
    Inbound in = nodes.get(observer);
    if (in != null) {
      in.nodeUnreachable(node);
    }
  }

  public void heal(long node) {
    isolated.remove(node);
    for (var e : nodes.entrySet()) {
      if (e.getKey() != node) {
        e.getValue().nodeReachable(node);
      }
    }
  }

  @Override
  public void close() {
    nodes.clear();
  }
}
