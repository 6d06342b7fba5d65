package io.multiraft.rangestore.log;

import io.multiraft.core.ConfState;
import io.multiraft.core.Entry;
import io.multiraft.core.HardState;
import io.multiraft.core.LogStorage;
import io.multiraft.core.Snapshot;
import io.multiraft.core.SnapshotMeta;
import io.multiraft.core.StorageException;
import io.multiraft.spi.CorruptLogException;
import java.util.List;

/**
 * One group's log metadata in memory, and the read side its Raft uses. The fields change only
 * under this object's monitor, by the store's writer (after a write succeeds) or its compactor;
 * readers check them before and after reading RocksDB, outside the monitor, so a read racing a
 * compaction answers {@link StorageException.Compacted} and one racing an overwrite reads again:
 * never a mix of old and new entries (lessons 5 and 6).
 *
 * <p>Invariants: first >= 1; first - 1 <= last; truncTerm is the term at first - 1; lastTerm is the
 * term at last, or -1 when not known in memory; the entry cache holds a suffix of [first, last].
 */
final class GroupLog implements LogStorage {
  private static final byte[] NO_DATA = new byte[0];
  /** A read retried this often while overwrites keep racing it reports the livelock instead of spinning. */
  private static final int MAX_READ_ATTEMPTS = 1_000;

  final long groupId;
  final RocksLogStore store;
  /** This group's place in the node's entry cache. */
  private final EntryCache.Slot cacheSlot;
  /** The change the current write makes to this group; only the writer touches it, under the write lock. */
  WritePlan.GroupChange writerChange;

  // guarded by this
  private boolean exists;
  private long first = 1;
  private long last;
  private long truncTerm;
  private long lastTerm;
  /** Bumped whenever stored entries at or below {@code last} may change (overwrite, reset, removal). */
  private long epoch;
  /** Bumped by every removal: changes prepared for an earlier incarnation are dropped at write time. */
  private long incarnation;
  private HardState hardState = HardState.EMPTY;
  private ConfState confState = ConfState.EMPTY;
  private SnapshotMeta snapshot = SnapshotMeta.EMPTY;

  GroupLog(long groupId, RocksLogStore store) {
    this.groupId = groupId;
    this.store = store;
    this.cacheSlot = store.cache.slot(groupId);
  }

  // ---------------------------------------------------------------- LogStorage

  @Override
  public synchronized InitialState initialState() {
    store.checkUsable();
    return new InitialState(hardState, confState);
  }

  @Override
  public List<Entry> entries(long lo, long hi, long maxBytes) {
    store.checkUsable();
    for (int attempt = 0; attempt < MAX_READ_ATTEMPTS; attempt++) {
      long seen;
      synchronized (this) {
        if (lo < first) {
          throw new StorageException.Compacted(lo, first);
        }
        if (hi > last + 1) {
          throw new StorageException.Unavailable(hi - 1, last);
        }
        if (lo > hi) {
          throw new IllegalArgumentException("entries(" + lo + ", " + hi + "): lo > hi");
        }
        if (lo == hi) {
          return List.of();
        }
        List<Entry> cached = store.cache.get(cacheSlot, lo, hi, maxBytes, store.where());
        if (cached != null) {
          return cached;
        }
        seen = epoch;
      }
      RocksLogStore.RangeRead read = store.readRange(groupId, lo, hi, maxBytes);
      synchronized (this) {
        if (lo < first) {
          throw new StorageException.Compacted(lo, first); // compacted while we read
        }
        if (epoch == seen) {
          if (read.missingIndex() >= 0) {
            throw new CorruptLogException(groupId, read.missingIndex(), store.where(),
                "is missing (the group's log should hold [" + first + ", " + last + "])");
          }
          return read.entries();
        }
      }
      // an overwrite or reset touched this group while we read: what we read may mix old and new
    }
    throw new IllegalStateException("group " + groupId + ": entries(" + lo + ", " + hi + ") raced "
        + MAX_READ_ATTEMPTS + " overwrites in a row");
  }

  @Override
  public long term(long index) {
    store.checkUsable();
    for (int attempt = 0; attempt < MAX_READ_ATTEMPTS; attempt++) {
      long seen;
      synchronized (this) {
        if (index < first - 1) {
          throw new StorageException.Compacted(index, first);
        }
        if (index > last) {
          throw new StorageException.Unavailable(index, last);
        }
        if (index == first - 1) {
          return truncTerm;
        }
        if (index == last && lastTerm >= 0) {
          return lastTerm;
        }
        long cached = store.cache.term(cacheSlot, index, store.where());
        if (cached >= 0) {
          return cached;
        }
        seen = epoch;
      }
      long term = store.readTerm(groupId, index);
      synchronized (this) {
        if (index < first - 1) {
          throw new StorageException.Compacted(index, first);
        }
        if (index == first - 1) {
          return truncTerm; // compacted exactly to it while we read
        }
        if (epoch == seen) {
          if (term < 0) {
            throw new CorruptLogException(groupId, index, store.where(),
                "is missing (the group's log should hold [" + first + ", " + last + "])");
          }
          return term;
        }
      }
    }
    throw new IllegalStateException("group " + groupId + ": term(" + index + ") raced " + MAX_READ_ATTEMPTS + " overwrites in a row");
  }

  @Override
  public synchronized long firstIndex() {
    store.checkUsable();
    return first;
  }

  @Override
  public synchronized long lastIndex() {
    store.checkUsable();
    return last;
  }

  @Override
  public synchronized Snapshot snapshot() {
    store.checkUsable();
    if (snapshot.index() < first - 1) {
      throw new StorageException.SnapshotTemporarilyUnavailable(
          "group " + groupId + ": the log store holds no snapshot at or after its compaction point " + (first - 1));
    }
    return new Snapshot(snapshot, NO_DATA);
  }

  // ---------------------------------------------------------------- the store's side

  synchronized boolean exists() {
    return exists;
  }

  /** The state a write plan starts from. */
  synchronized WritePlan.GroupChange startChange() {
    return new WritePlan.GroupChange(this, exists, first, last, truncTerm, lastTerm, hardState, confState, snapshot);
  }

  /**
   * Before a write that replaces stored entries above {@code keepUpTo} (or the whole log, with
   * {@code keepUpTo = first - 1}): readers stop seeing them until {@link #commit}.
   */
  synchronized void hideAbove(long keepUpTo) {
    if (keepUpTo < last) {
      last = Math.max(first - 1, keepUpTo);
      lastTerm = last == first - 1 ? truncTerm : -1;
      epoch++;
    }
  }

  synchronized void hideAll() {
    hideAbove(first - 1);
    epoch++;
  }

  /** After the write succeeded: the new state, and the cache updated in the write's order. */
  synchronized void commit(WritePlan.GroupChange c, EntryCache cache) {
    exists = c.exists;
    first = c.first;
    last = c.last;
    truncTerm = c.truncTerm;
    lastTerm = c.lastTerm;
    hardState = c.hardState;
    // Interning hashes every member set under a global lock: only a new membership needs it (an
    // unchanged one is the instance already held).
    if (c.confState != confState) {
      confState = c.confState == null ? null : c.confState.intern();
    }
    snapshot = c.snapshot;
    epoch++;
    if (c.cacheAction != null) {
      applyToCache(c.cacheAction, cache);
    }
    if (c.moreCacheActions != null) {
      for (Object action : c.moreCacheActions) {
        applyToCache(action, cache);
      }
    }
  }

  private void applyToCache(Object action, EntryCache cache) {
    if (action == WritePlan.RESET) {
      cache.clear(cacheSlot);
    } else {
      WritePlan.CachedAppend a = (WritePlan.CachedAppend) action;
      List<Entry> es = a.append().entries();
      cache.append(cacheSlot, es.get(a.from()).index(), a.append().records(), a.append().offsets(), a.from(), es.size());
    }
  }

  /** The index a compaction to {@code index} really goes to, or -1 if there is nothing to do. */
  synchronized long compactionTarget(long index) {
    if (!exists || index < first) {
      return -1;
    }
    long to = Math.min(index, last);
    return to < first ? -1 : to;
  }

  /** Before the compaction's delete: from now on reads below {@code index + 1} answer Compacted. */
  synchronized void compactTo(long index, long term, EntryCache cache) {
    first = index + 1;
    truncTerm = term;
    if (last == index) {
      lastTerm = term;
    }
    cache.dropUpTo(cacheSlot, index);
  }

  /** Before the removal's delete: the group reads as never written. */
  synchronized void remove(EntryCache cache) {
    exists = false;
    first = 1;
    last = 0;
    truncTerm = 0;
    lastTerm = 0;
    hardState = HardState.EMPTY;
    confState = ConfState.EMPTY;
    snapshot = SnapshotMeta.EMPTY;
    epoch++;
    incarnation++;
    cache.clear(cacheSlot);
  }

  synchronized long incarnation() {
    return incarnation;
  }

  /** State found on disk at open. */
  synchronized void recovered(long first, long last, long truncTerm, long lastTerm, HardState hs, ConfState cs, SnapshotMeta snap) {
    this.exists = true;
    this.first = first;
    this.last = last;
    this.truncTerm = truncTerm;
    this.lastTerm = lastTerm;
    this.hardState = hs;
    this.confState = cs == null ? null : cs.intern();
    this.snapshot = snap;
  }
}
