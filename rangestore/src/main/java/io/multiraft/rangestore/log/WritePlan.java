package io.multiraft.rangestore.log;

import io.multiraft.core.ConfState;
import io.multiraft.core.Entry;
import io.multiraft.core.HardState;
import io.multiraft.core.SnapshotMeta;
import io.multiraft.spi.LogBatch;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the batches of one write into one serialized RocksDB WriteBatch and the per-group metadata it
 * leads to. Built against the groups' current state (an append at or below a group's last index
 * deletes the stale suffix in the same WriteBatch), then {@link #hide hidden} from readers where it
 * replaces entries, written, and only then {@link #commit committed} to memory.
 */
final class WritePlan {
  /** Cache action: forget the group's cached entries (its log was reset). */
  static final Object RESET = new Object();

  /** Cache action: cache entries [from, end) of an append (those before were at or below the compaction point). */
  record CachedAppend(RocksLogBatch.Append append, int from) {}

  /** The groups this write touches, in first-touch order; each also reachable as its log's writerChange. */
  private final ArrayList<GroupChange> changes = new ArrayList<>();
  private final RocksLogStore store;

  WritePlan(RocksLogStore store) {
    this.store = store;
  }

  /** One group's state before and after the write. */
  static final class GroupChange {
    final GroupLog log;
    final boolean existedBefore;
    final long lastBefore;

    boolean exists;
    long first;
    long last;
    long truncTerm;
    long lastTerm;
    HardState hardState;
    ConfState confState;
    SnapshotMeta snapshot;

    boolean reset;
    /** Stored entries above this are replaced by the write: readers must not see them meanwhile. */
    long keepUpTo = Long.MAX_VALUE;
    boolean hardStateChanged;
    boolean truncatedChanged;
    boolean confStateChanged;
    boolean snapshotChanged;
    /** Cache updates in write order: usually one, so the list is only made for a second. */
    Object cacheAction;
    ArrayList<Object> moreCacheActions;

    GroupChange(GroupLog log, boolean exists, long first, long last, long truncTerm, long lastTerm,
        HardState hardState, ConfState confState, SnapshotMeta snapshot) {
      this.log = log;
      this.existedBefore = exists;
      this.lastBefore = last;
      this.exists = exists;
      this.first = first;
      this.last = last;
      this.truncTerm = truncTerm;
      this.lastTerm = lastTerm;
      this.hardState = hardState;
      this.confState = confState;
      this.snapshot = snapshot;
    }

    void addCacheAction(Object action) {
      if (cacheAction == null) {
        cacheAction = action;
      } else {
        if (moreCacheActions == null) {
          moreCacheActions = new ArrayList<>(2);
        }
        moreCacheActions.add(action);
      }
    }
  }

  /**
   * Fills {@code wb} with every operation of {@code batches}, in order. The caller holds the write
   * lock and calls {@link #release} when done, whatever happened.
   *
   * @throws IllegalArgumentException if an append would leave a gap; nothing is hidden or committed
   *     then, and the caller discards {@code wb}
   */
  void build(List<LogBatch> batches, WriteBatchRep wb, int logCf, int stateCf) {
    ArrayList<RocksLogBatch.Op> ops = sortedByGroup(batches);
    for (int i = 0; i < ops.size(); i++) {
      RocksLogBatch.Op op = ops.get(i);
      {
        GroupLog log = op.log();
        if (op.incarnation() != log.incarnation()) {
          store.staleWrites.increment(); // the group was removed after this change was prepared
          continue;
        }
        GroupChange c = log.writerChange;
        if (c == null) {
          c = log.startChange();
          log.writerChange = c;
          changes.add(c);
        }
        if (op instanceof RocksLogBatch.Append a) {
          append(c, a, wb, logCf);
        } else if (op instanceof RocksLogBatch.SetHardState h) {
          c.hardState = h.hardState();
          c.hardStateChanged = true;
          c.exists = true;
        } else if (op instanceof RocksLogBatch.Reset r) {
          reset(c, r, wb, logCf);
        } else if (op instanceof RocksLogBatch.SetConfState s) {
          c.confState = s.confState();
          c.confStateChanged = true;
          c.exists = true;
        }
      }
    }
    for (int i = 0; i < changes.size(); i++) {
      putState(changes.get(i), wb, stateCf);
    }
  }

  /**
   * The operations of all batches, each group's in their order, groups by id. Keys start with the
   * group id, so the WriteBatch then inserts into the memtable in key order: RocksDB's skip list
   * reuses its last insert position, where scattered keys made every insert a full descent (40% of
   * the CPU of a 1,000-group write load).
   */
  private ArrayList<RocksLogBatch.Op> sortedByGroup(List<LogBatch> batches) {
    int n = 0;
    for (LogBatch b : batches) {
      if (!(b instanceof RocksLogBatch batch)) {
        throw new IllegalArgumentException("not a batch of a RocksLogStore: " + b.getClass().getName());
      }
      n += batch.ops.size();
    }
    ArrayList<RocksLogBatch.Op> ops = new ArrayList<>(n);
    for (LogBatch b : batches) {
      for (RocksLogBatch.Op op : ((RocksLogBatch) b).ops) {
        if (op.log().store != store) {
          throw new IllegalArgumentException("batch made by another log store (" + op.log().store.path() + ")");
        }
        ops.add(op);
      }
    }
    return sortPacked(ops) ? ops : sortWithComparator(ops);
  }

  private static ArrayList<RocksLogBatch.Op> sortWithComparator(ArrayList<RocksLogBatch.Op> ops) {
    ops.sort(BY_GROUP); // stable: one group's operations keep their order
    return ops;
  }

  private static final int POSITION_BITS = 24;

  /**
   * Sorts by (group id, position) packed into one long per operation: a primitive sort that never
   * follows an operation to its group while comparing (two dependent loads per comparison, most of
   * them cache misses with thousands of groups). The position keeps it stable. Returns false, sorting
   * nothing, when an id or the count does not fit; the comparator sort does those.
   */
  private static boolean sortPacked(ArrayList<RocksLogBatch.Op> ops) {
    int n = ops.size();
    if (n >= 1 << POSITION_BITS) {
      return false;
    }
    long[] keys = new long[n];
    long maxId = (1L << (63 - POSITION_BITS)) - 1;
    boolean sorted = true;
    for (int i = 0; i < n; i++) {
      long g = ops.get(i).log().groupId;
      if (g < 0 || g > maxId) {
        return false;
      }
      keys[i] = g << POSITION_BITS | i;
      sorted &= i == 0 || keys[i - 1] <= keys[i];
    }
    if (sorted) {
      return true;
    }
    java.util.Arrays.sort(keys);
    RocksLogBatch.Op[] in = ops.toArray(new RocksLogBatch.Op[0]);
    int mask = (1 << POSITION_BITS) - 1;
    for (int i = 0; i < n; i++) {
      ops.set(i, in[(int) (keys[i] & mask)]);
    }
    return true;
  }

  private static final java.util.Comparator<RocksLogBatch.Op> BY_GROUP =
      (a, b) -> Long.compareUnsigned(a.log().groupId, b.log().groupId);

  /** Detaches the plan from the groups' logs; after this the next write starts afresh. */
  void release() {
    for (int i = 0; i < changes.size(); i++) {
      changes.get(i).log.writerChange = null;
    }
  }

  private static void append(GroupChange c, RocksLogBatch.Append a, WriteBatchRep wb, int logCf) {
    List<Entry> es = a.entries();
    int n = es.size();
    long lo = es.get(0).index();
    int skip = lo < c.first ? (int) Math.min(n, c.first - lo) : 0; // at or below the compaction point
    if (skip == n) {
      return;
    }
    long from = lo + skip;
    long to = lo + n - 1;
    if (from > c.last + 1) {
      throw new IllegalArgumentException("group " + c.log.groupId + ": append at index " + from
          + " would leave a gap after last index " + c.last + "; nothing was written");
    }
    if (from <= c.last) {
      // an overwrite (a new leader's entries): stale entries past the new last go in this same batch
      if (to < c.last) {
        wb.deleteRange(logCf, LogKeys.log(c.log.groupId, to + 1), LogKeys.log(c.log.groupId, c.last + 1));
      }
      c.keepUpTo = Math.min(c.keepUpTo, from - 1);
    }
    wb.appendEncoded(a.records(), a.offsets()[skip], a.offsets()[n], n - skip);
    c.last = to;
    c.lastTerm = es.get(n - 1).term();
    c.exists = true;
    c.addCacheAction(new CachedAppend(a, skip));
  }

  private static void reset(GroupChange c, RocksLogBatch.Reset r, WriteBatchRep wb, int logCf) {
    long g = c.log.groupId;
    wb.deleteRange(logCf, LogKeys.logStart(g), LogKeys.logEnd(g));
    SnapshotMeta meta = r.meta();
    c.first = meta.index() + 1;
    c.last = meta.index();
    c.truncTerm = meta.term();
    c.lastTerm = meta.term();
    c.confState = meta.confState();
    c.snapshot = meta;
    c.reset = true;
    c.exists = true;
    c.truncatedChanged = true;
    c.confStateChanged = true;
    c.snapshotChanged = true;
    if (r.hardState() != null) {
      c.hardState = r.hardState();
      c.hardStateChanged = true;
    }
    c.addCacheAction(RESET);
  }

  private static void putState(GroupChange c, WriteBatchRep wb, int stateCf) {
    long g = c.log.groupId;
    if (c.exists && !c.existedBefore) {
      c.truncatedChanged = true; // a group's first write records it, so that recovery finds it
    }
    if (c.hardStateChanged) {
      wb.put(stateCf, LogKeys.state(g, StateCodec.HARD_STATE), StateCodec.hardState(c.hardState));
    }
    if (c.truncatedChanged) {
      wb.put(stateCf, LogKeys.state(g, StateCodec.TRUNCATED), StateCodec.truncated(c.first - 1, c.truncTerm));
    }
    if (c.confStateChanged) {
      wb.put(stateCf, LogKeys.state(g, StateCodec.CONF_STATE), StateCodec.confState(c.confState));
    }
    if (c.snapshotChanged) {
      wb.put(stateCf, LogKeys.state(g, StateCodec.SNAPSHOT), StateCodec.snapshot(c.snapshot));
    }
  }

  boolean isEmpty() {
    return changes.isEmpty();
  }

  /** Before the write: readers stop seeing entries the write replaces. */
  void hide() {
    for (int i = 0; i < changes.size(); i++) {
      GroupChange c = changes.get(i);
      if (c.reset) {
        c.log.hideAll();
      } else if (c.keepUpTo < c.lastBefore) {
        c.log.hideAbove(c.keepUpTo);
      }
    }
  }

  /** After the write succeeded. */
  void commit(EntryCache cache) {
    for (int i = 0; i < changes.size(); i++) {
      GroupChange c = changes.get(i);
      c.log.commit(c, cache);
    }
  }
}
