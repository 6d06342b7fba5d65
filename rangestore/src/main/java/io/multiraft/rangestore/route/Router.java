package io.multiraft.rangestore.route;

import io.multiraft.rangestore.range.Keys;
import io.multiraft.rangestore.range.RangeDescriptor;
import io.multiraft.rangestore.range.RangeException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Maps a key to the range that owns it and that range's last known leader. Fed by the state
 * machines (split, merge, membership, snapshot) and by NotLeader hints. A descriptor replaces the
 * ones it overlaps only if it is newer (higher generation), so a late, stale update cannot undo a
 * split. Thread-safe.
 */
public final class Router {
  /** Start key to descriptor; spans never overlap. */
  private final TreeMap<byte[], RangeDescriptor> byStart = new TreeMap<>(Keys::compare);
  private final Map<Long, RangeDescriptor> byId = new HashMap<>();
  private final Map<Long, Long> leaders = new HashMap<>();

  /** A range and where to send its requests (0: leader unknown). */
  public record Route(RangeDescriptor descriptor, long leaderHint) {
    public long rangeId() {
      return descriptor.rangeId();
    }
  }

  /** Records {@code d} unless a newer descriptor of the same keys is known. Returns whether it was taken. */
  public synchronized boolean update(RangeDescriptor d) {
    RangeDescriptor same = byId.get(d.rangeId());
    if (same != null && same.generation() > d.generation()) {
      return false;
    }
    List<RangeDescriptor> overlapping = overlapping(d);
    for (RangeDescriptor o : overlapping) {
      if (o.rangeId() != d.rangeId() && o.generation() >= d.generation()) {
        return false; // another range owns part of these keys as of a later split or merge
      }
    }
    for (RangeDescriptor o : overlapping) {
      byStart.remove(o.startKey());
      byId.remove(o.rangeId());
    }
    if (same != null) {
      byStart.remove(same.startKey());
    }
    byStart.put(d.startKey(), d);
    byId.put(d.rangeId(), d);
    return true;
  }

  private List<RangeDescriptor> overlapping(RangeDescriptor d) {
    List<RangeDescriptor> out = new ArrayList<>();
    Map.Entry<byte[], RangeDescriptor> floor = byStart.floorEntry(d.startKey());
    Iterator<RangeDescriptor> it = (floor == null ? byStart : byStart.tailMap(floor.getKey(), true)).values().iterator();
    while (it.hasNext()) {
      RangeDescriptor o = it.next();
      if (d.endKey() != null && Keys.compare(o.startKey(), d.endKey()) >= 0) {
        break;
      }
      if (Keys.compareEnd(o.endKey(), null) != 0 && Keys.compare(o.endKey(), d.startKey()) <= 0) {
        continue;
      }
      out.add(o);
    }
    return out;
  }

  public synchronized void remove(long rangeId) {
    RangeDescriptor d = byId.remove(rangeId);
    if (d != null) {
      byStart.remove(d.startKey());
    }
    leaders.remove(rangeId);
  }

  public synchronized void noteLeader(long rangeId, long nodeId) {
    if (nodeId > 0) {
      leaders.put(rangeId, nodeId);
    }
  }

  /** @throws RangeException.RangeNotFound if no known range covers {@code key} (refresh, then retry) */
  public synchronized Route lookup(byte[] key) {
    Map.Entry<byte[], RangeDescriptor> e = byStart.floorEntry(key);
    if (e == null || !e.getValue().contains(key)) {
      throw new RangeException.RangeNotFound(0, "no known range covers key " + Keys.show(key) + "; the routing table may be"
          + " behind a split or merge, retry shortly");
    }
    RangeDescriptor d = e.getValue();
    return new Route(d, leaders.getOrDefault(d.rangeId(), 0L));
  }

  /** @throws RangeException.RangeNotFound if the range is unknown here */
  public synchronized Route route(long rangeId) {
    RangeDescriptor d = byId.get(rangeId);
    if (d == null) {
      throw new RangeException.RangeNotFound(rangeId, "not in this node's routing table (wrong id, merged away, or not replicated here)");
    }
    return new Route(d, leaders.getOrDefault(rangeId, 0L));
  }

  /** The range that starts where {@code d} ends, if known. */
  public synchronized RangeDescriptor rightNeighbour(RangeDescriptor d) {
    return d.endKey() == null ? null : byStart.get(d.endKey());
  }

  /** Every known range in key order. */
  public synchronized List<RangeDescriptor> ranges() {
    return new ArrayList<>(byStart.values());
  }

  public synchronized int size() {
    return byStart.size();
  }
}
