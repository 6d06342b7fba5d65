package io.multiraft.node;

import io.multiraft.core.MessageType;

/**
 * A worker's per-message counts of one duty cycle, added to the node's {@link NodeCounters} once at
 * the end of the cycle: the workers of a node share those adders, and an atomic add per message
 * and per Ready (several per write when each group has one write in flight) cost more than the
 * plain increments here.
 */
final class CycleCounts {
  private static final MessageType[] TYPES = MessageType.values();
  private final int[] sent = new int[TYPES.length];
  private final int[] received = new int[TYPES.length];
  private boolean anyMessages;
  int readies;

  void sent(MessageType t) {
    sent[t.ordinal()]++;
    anyMessages = true;
  }

  void received(MessageType t) {
    received[t.ordinal()]++;
    anyMessages = true;
  }

  void flushTo(NodeCounters c) {
    if (readies != 0) {
      c.readies.add(readies);
      readies = 0;
    }
    if (!anyMessages) {
      return;
    }
    anyMessages = false;
    for (int i = 0; i < TYPES.length; i++) {
      if (sent[i] != 0) {
        c.sent(TYPES[i], sent[i]);
        sent[i] = 0;
      }
      if (received[i] != 0) {
        c.received(TYPES[i], received[i]);
        received[i] = 0;
      }
    }
  }
}
