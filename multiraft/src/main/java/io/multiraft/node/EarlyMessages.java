package io.multiraft.node;

import io.multiraft.core.Message;
import io.multiraft.core.MessageType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * Vote requests for groups this worker does not host yet, held for a short while. A split creates
 * the right range on each replica when that replica applies it; the left leader applies first and
 * campaigns for the right range at once, so its vote requests reach followers that will create
 * the group a moment later (they learn the commit on the next heartbeat). Dropped, they would
 * cost the new range a whole election timeout; held, they are stepped as soon as the group starts,
 * as if they had arrived late, which Raft allows. Only vote requests are held: they are small, and
 * what else a leader sends it sends again.
 */
final class EarlyMessages {
  private static final int MAX_HELD = 4096;
  private static final int MAX_PER_GROUP = 8;

  private record Held(long groupId, long expiresNs) {}

  private final Long2ObjectHashMap<ArrayList<Message>> byGroup = new Long2ObjectHashMap<>();
  private final ArrayDeque<Held> order = new ArrayDeque<>();
  private final long ttlNs;
  private int held;

  EarlyMessages(long ttlNs) {
    this.ttlNs = ttlNs;
  }

  static boolean worthHolding(Message m) {
    return m.type == MessageType.VOTE || m.type == MessageType.PRE_VOTE;
  }

  /** Holds {@code m} until its group starts or the time to live passes; false if it was not held. */
  boolean hold(Message m, long nowNs) {
    expire(nowNs);
    if (!worthHolding(m) || held >= MAX_HELD) {
      return false;
    }
    ArrayList<Message> list = byGroup.get(m.groupId);
    if (list == null) {
      list = new ArrayList<>(2);
      byGroup.put(m.groupId, list);
      order.add(new Held(m.groupId, nowNs + ttlNs));
    } else if (list.size() >= MAX_PER_GROUP) {
      return false;
    }
    list.add(m);
    held++;
    return true;
  }

  /** The messages held for {@code groupId}, in arrival order, now handed over (empty if none). */
  List<Message> take(long groupId) {
    ArrayList<Message> list = byGroup.remove(groupId);
    if (list == null) {
      return List.of();
    }
    held -= list.size();
    return list;
  }

  int size() {
    return held;
  }

  private void expire(long nowNs) {
    while (!order.isEmpty() && order.peekFirst().expiresNs() - nowNs <= 0) {
      // a group whose messages were taken and held again is expired with its newer ones: they are a time to live late at most
      take(order.pollFirst().groupId());
    }
  }
}
