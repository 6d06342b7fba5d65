package io.multiraft.node;

import io.multiraft.core.Message;
import java.util.ArrayList;
import java.util.List;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * A worker's outgoing messages of one duty cycle, grouped per destination node, so that each
 * destination gets one frame per cycle however many groups wrote to it. Messages are routed here as
 * Readies are collected and persisted, and all of them go out together at the end of the cycle.
 * Owned by the worker's thread, like the rest of the worker.
 */
final class Outbox {
  private final MultiRaftNode node;
  private final long nodeId;
  private final NodeCounters counters;
  private final CycleCounts cycleCounts;
  private final Long2ObjectHashMap<ArrayList<Message>> byNode = new Long2ObjectHashMap<>();

  Outbox(MultiRaftNode node, NodeCounters counters, CycleCounts cycleCounts) {
    this.node = node;
    this.nodeId = node.config().nodeId();
    this.counters = counters;
    this.cycleCounts = cycleCounts;
  }

  void route(List<Message> msgs) {
    for (int i = 0; i < msgs.size(); i++) {
      Message m = msgs.get(i);
      ArrayList<Message> out = byNode.get(m.to);
      if (out == null) {
        out = new ArrayList<>();
        byNode.put(m.to, out);
      }
      out.add(m);
      cycleCounts.sent(m.type);
    }
  }

  /** Sends each destination's messages as one frame; returns the number of frames. */
  int flush() {
    int frames = 0;
    for (var it = byNode.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      ArrayList<Message> msgs = e.getValue();
      if (msgs.isEmpty()) {
        continue;
      }
      node.transport().send(nodeId, e.getKey(), msgs);
      e.setValue(new ArrayList<>(Math.max(4, msgs.size())));
      frames++;
    }
    counters.framesSent.add(frames);
    return frames;
  }
}
