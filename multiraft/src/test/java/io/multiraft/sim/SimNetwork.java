package io.multiraft.sim;

import io.multiraft.core.Message;
import io.multiraft.core.MessageType;
import io.multiraft.spi.Transport;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A simulated network between the nodes: every frame gets a random latency (so frames reorder), may
 * be dropped or duplicated, and does not cross a cut link. Links can be clogged (delayed until a
 * time). Like a real transport, it tells a node when a peer becomes unreachable or reachable, and
 * reports the outcome of snapshot sends.
 */
public final class SimNetwork implements Transport {
  private final EventLoop loop;
  private final SplittableRandom random;
  private final Trace trace;
  private final Map<Long, Inbound> nodes = new java.util.TreeMap<>();
  private final Set<Long> cut = new HashSet<>(); // directed links, packed from*1000+to
  private final Map<Long, Long> clogUntil = new HashMap<>();
  /**
   * {@code -Dsim.watch=G} prints every message of group G when it is sent and when it is delivered,
   * to see what the trace's last events do not (a replay's output is long; grep for WATCH).
   */
  private static final long WATCH = Long.getLong("sim.watch", -1);
  public long minLatencyNs = 500_000;
  public long maxLatencyNs = 5_000_000;
  public double dropRate;
  public double duplicateRate;
  public long frames;
  public long droppedFrames;

  public SimNetwork(EventLoop loop, SplittableRandom random, Trace trace) {
    this.loop = loop;
    this.random = random;
    this.trace = trace;
  }

  private static long link(long from, long to) {
    return from * 1000 + to;
  }

  @Override
  public void register(long nodeId, Inbound inbound) {
    nodes.put(nodeId, inbound);
  }

  public void unregister(long nodeId) {
    nodes.remove(nodeId);
  }

  public boolean connected(long from, long to) {
    return !cut.contains(link(from, to));
  }

  @Override
  public void send(long from, long to, List<Message> sent) {
    List<Message> msgs = SimSnapshots.detach(sent);
    frames++;
    watch("send", msgs);
    if (!connected(from, to) || random.nextDouble() < dropRate) {
      droppedFrames++;
      failSnapshots(from, to, msgs);
      return;
    }
    schedule(from, to, msgs);
    if (random.nextDouble() < duplicateRate) {
      schedule(from, to, msgs);
    }
  }

  private void schedule(long from, long to, List<Message> msgs) {
    long at = loop.now() + minLatencyNs + (long) (random.nextDouble() * (maxLatencyNs - minLatencyNs));
    Long clog = clogUntil.get(link(from, to));
    if (clog != null && clog > at) {
      at = clog + random.nextLong(minLatencyNs);
    }
    loop.at(at, () -> deliver(from, to, msgs));
  }

  private void deliver(long from, long to, List<Message> msgs) {
    Inbound in = nodes.get(to);
    if (in == null || !connected(from, to)) {
      droppedFrames++;
      failSnapshots(from, to, msgs);
      return;
    }
    watch("recv", msgs);
    List<Message> refused = new java.util.ArrayList<>(0);
    in.receive(from, SimSnapshots.deliver(in, from, msgs, refused));
    Inbound sender = nodes.get(from);
    if (sender != null) {
      for (Message m : msgs) {
        if (m.type == MessageType.SNAPSHOT) {
          sender.snapshotStatus(m.groupId, to, !refused.contains(m));
        }
      }
    }
  }

  private void failSnapshots(long from, long to, List<Message> msgs) {
    for (Message m : msgs) {
      if (m.type == MessageType.SNAPSHOT) {
        // The stream broke: the sender learns it after a while, as from a transport timeout.
        loop.after(50_000_000L, () -> {
          Inbound sender = nodes.get(from);
          if (sender != null) {
            sender.snapshotStatus(m.groupId, to, false);
          }
        });
      }
    }
  }

  private void watch(String what, List<Message> msgs) {
    if (WATCH < 0) {
      return;
    }
    for (Message m : msgs) {
      if (m.groupId == WATCH) {
        System.out.printf("WATCH %9.3fms %s %s%n", loop.now() / 1e6, what, m);
      }
    }
  }

  /** Cuts the links from {@code a} to {@code b} (one way), reporting it like a broken connection. */
  public void cut(long a, long b) {
    if (cut.add(link(a, b))) {
      trace.add(loop.now(), "cut " + a + "->" + b);
      loop.after(100_000_000L, () -> {
        if (!connected(a, b)) {
          Inbound in = nodes.get(a);
          if (in != null) {
            in.nodeUnreachable(b);
          }
        }
      });
    }
  }

  public void restore(long a, long b) {
    if (cut.remove(link(a, b))) {
      trace.add(loop.now(), "restore " + a + "->" + b);
      Inbound in = nodes.get(a);
      if (in != null) {
        in.nodeReachable(b);
      }
    }
  }

  /** Tells every other node that {@code node} cannot be reached (it crashed). */
  public void reportUnreachable(long node) {
    for (var e : new java.util.TreeMap<>(nodes).entrySet()) {
      if (e.getKey() != node) {
        e.getValue().nodeUnreachable(node);
      }
    }
  }

  public void clog(long a, long b, long untilNs) {
    clogUntil.put(link(a, b), untilNs);
    trace.add(loop.now(), "clog " + a + "->" + b + " until " + untilNs / 1_000_000 + "ms");
  }

  public void healAll() {
    for (long l : new HashSet<>(cut)) {
      restore(l / 1000, l % 1000);
    }
    clogUntil.clear();
    dropRate = 0;
    duplicateRate = 0;
  }

  @Override
  public void close() {
    nodes.clear();
  }
}
