package io.multiraft.node;

import io.multiraft.core.ConfState;
import io.multiraft.core.Entry;
import io.multiraft.core.HardState;
import io.multiraft.core.LogStorage;
import io.multiraft.core.Snapshot;
import io.multiraft.core.SnapshotMeta;
import io.multiraft.core.StorageException;
import io.multiraft.spi.CorruptLogException;
import io.multiraft.spi.LogBatch;
import io.multiraft.spi.LogStore;
import io.multiraft.spi.LogStoreException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.zip.CRC32C;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * A {@link LogStore} in memory, for runtime tests and the deterministic simulator. It models a disk:
 * what was synced is kept apart from what was written but not synced, and {@link #crash} loses the
 * latter (optionally tearing a write, see {@link #crash(SplittableRandom)}). Entries carry the same
 * CRC32C as the RocksDB store, so {@link #corrupt} shows how a damaged entry is refused.
 *
 * <p>Thread-safe with one lock, the store's monitor: the writer, the raft workers' reads and the
 * compactor never see each other's work half done (lesson 6).
 */
public final class MemoryLogStore implements LogStore {
  private static final String WHERE = "the in-memory log store";
  private static final byte[] NO_DATA = new byte[0];
  private static final GroupLog ABSENT = new GroupLog();

  /** The "disk": the state as of the last sync. */
  // Primitive-keyed maps: a boxed Long per operation was a visible share of a write's cost.
  private Long2ObjectHashMap<GroupLog> durable = new Long2ObjectHashMap<>();
  /** What readers see: the durable state with the unsynced writes applied, in order. */
  private Long2ObjectHashMap<GroupLog> visible = new Long2ObjectHashMap<>();
  /** Writes since the last sync, oldest first; each one a unit (one write() call or one compaction). */
  private final ArrayList<List<Op>> unsynced = new ArrayList<>();
  private final Long2ObjectHashMap<View> views = new Long2ObjectHashMap<>();
  /** checkNoGap's scratch, reused under the lock: each group's first and last index as of the write. */
  private final Long2LongHashMap gapFirst = new Long2LongHashMap(Long.MIN_VALUE);
  private final Long2LongHashMap gapLast = new Long2LongHashMap(Long.MIN_VALUE);
  /** Checksum scratch for reads, used under the lock. */
  private final Crc readCrc = new Crc();
  /** Bumped whenever a group's GroupLog object may be replaced, so views can cache theirs. */
  private long layout;
  private LogStoreException failure;
  private String failNextWrite;
  private boolean closed;
  private long syncs;
  private long crashes;
  private boolean lyingSync;

  // ---------------------------------------------------------------- LogStore

  @Override
  public synchronized Set<Long> groups() {
    checkUsable();
    return Collections.unmodifiableSet(new TreeSet<>(visible.keySet()));
  }

  @Override
  public synchronized LogStorage storage(long groupId) {
    checkGroupId(groupId);
    View v = views.get(groupId);
    if (v == null) {
      v = new View(groupId);
      views.put(groupId, v);
    }
    return v;
  }

  @Override
  public LogBatch newBatch() {
    return new Batch();
  }

  @Override
  public synchronized void write(List<LogBatch> batches, boolean sync) {
    checkUsable();
    List<Op> ops = new ArrayList<>();
    for (LogBatch b : batches) {
      if (!(b instanceof Batch batch)) {
        throw new IllegalArgumentException("not a batch of this store: " + b.getClass().getName());
      }
      ops.addAll(batch.ops);
    }
    if (failNextWrite != null) {
      failure = new LogStoreException("write failed in " + WHERE + ": " + failNextWrite + "; the store refuses further use until reopened");
      failNextWrite = null;
      throw failure;
    }
    checkNoGap(ops);
    applyAll(visible, ops);
    if (sync && !lyingSync) {
      syncUnsynced();
      applyAll(durable, ops);
    } else {
      unsynced.add(ops);
    }
  }

  @Override
  public synchronized void compact(long groupId, long index) {
    checkUsable();
    GroupLog g = visible.get(groupId);
    if (g == null || index <= g.truncIndex) {
      return;
    }
    long to = Math.min(index, g.last());
    if (to <= g.truncIndex) {
      return;
    }
    Op op = new Compact(groupId, to, g.termAt(groupId, to, readCrc));
    apply(visible, op);
    unsynced.add(List.of(op));
  }

  @Override
  public synchronized void removeGroup(long groupId) {
    checkUsable();
    syncUnsynced(); // the removal is durable, and a sync makes every earlier write durable too
    durable.remove(groupId);
    visible.remove(groupId);
    layout++;
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  // ---------------------------------------------------------------- the simulated disk

  /** Loses every unsynced write and reopens the store, as after a power failure; clears a failure. */
  public synchronized void crash() {
    unsynced.clear();
    visible = copyOf(durable);
    layout++;
    failure = null;
    failNextWrite = null;
    closed = false;
    crashes++;
  }

  /**
   * A crash on a disk that persisted part of what was not synced: a random prefix of the unsynced
   * writes survives whole (zero to all of them), and the first lost write is torn: a random subset
   * of its groups' changes survives, the rest is lost. Each group still sees a prefix of its own
   * writes, as a real log would after recovery; across groups that write is no longer atomic.
   *
   * @return how many unsynced writes survived whole
   */
  public synchronized int crash(SplittableRandom random) {
    int kept = random.nextInt(unsynced.size() + 1);
    for (int i = 0; i < kept; i++) {
      applyAll(durable, unsynced.get(i));
    }
    if (kept < unsynced.size()) {
      List<Op> torn = unsynced.get(kept);
      Set<Long> groups = new LinkedHashSet<>();
      for (Op op : torn) {
        groups.add(op.groupId());
      }
      Set<Long> survivors = new TreeSet<>();
      for (long g : groups) {
        if (random.nextBoolean()) {
          survivors.add(g);
        }
      }
      for (Op op : torn) {
        if (survivors.contains(op.groupId())) {
          apply(durable, op);
        }
      }
    }
    crash();
    return kept;
  }

  /** Flips one bit of a stored entry, on "disk" and in what readers see: reading it then fails. */
  public synchronized void corrupt(long groupId, long index) {
    boolean found = corruptIn(durable, groupId, index) | corruptIn(visible, groupId, index);
    if (!found) {
      throw new IllegalArgumentException("group " + groupId + " has no stored entry at index " + index);
    }
  }

  /** The next write throws (a full disk, an I/O error) and the store fails closed until {@link #crash()}. */
  public synchronized void failNextWrite(String cause) {
    failNextWrite = cause;
  }

  /**
   * A planted bug for the simulator's self-test: syncs report success but make nothing durable, as
   * a disk that lies about fsync does. A replica then acknowledges entries a crash will lose.
   */
  public synchronized void setLyingSync(boolean lying) {
    lyingSync = lying;
  }

  /** Writes with {@code sync = true} (and removals) so far. */
  public synchronized long syncs() {
    return syncs;
  }

  public synchronized long crashes() {
    return crashes;
  }

  /** Unsynced writes that a crash would lose. */
  public synchronized int unsyncedWrites() {
    return unsynced.size();
  }

  // ---------------------------------------------------------------- internals

  private void checkUsable() {
    if (closed) {
      throw new IllegalStateException(WHERE + " is closed");
    }
    if (failure != null) {
      throw new LogStoreException(WHERE + " failed earlier and refuses to serve: " + failure.getMessage(), failure);
    }
  }

  private static void checkGroupId(long groupId) {
    if (groupId <= 0) {
      throw new IllegalArgumentException("group ids are > 0, got " + groupId);
    }
  }

  private void syncUnsynced() {
    for (List<Op> ops : unsynced) {
      applyAll(durable, ops);
    }
    unsynced.clear();
    syncs++;
  }

  /** Refuses a write with an append beyond a group's last index + 1 before anything is applied. */
  private void checkNoGap(List<Op> ops) {
    gapFirst.clear();
    gapLast.clear();
    for (Op op : ops) {
      long g = op.groupId();
      long first = gapFirst.get(g);
      long last;
      if (first == Long.MIN_VALUE) {
        GroupLog log = visible.get(g);
        if (log == null) {
          log = ABSENT;
        }
        first = log.truncIndex + 1;
        last = log.last();
      } else {
        last = gapLast.get(g);
      }
      if (op instanceof Append a) {
        long lo = a.entries.get(0).entry.index();
        long hi = a.entries.get(a.entries.size() - 1).entry.index();
        if (hi >= first) {
          if (lo > last + 1) {
            throw new IllegalArgumentException("group " + a.groupId + ": append at index " + lo
                + " would leave a gap after last index " + last + "; nothing was written");
          }
          last = hi;
        }
      } else if (op instanceof Reset r) {
        first = r.meta.index() + 1;
        last = r.meta.index();
      }
      gapFirst.put(g, first);
      gapLast.put(g, last);
    }
  }

  private static void applyAll(Long2ObjectHashMap<GroupLog> state, List<Op> ops) {
    for (Op op : ops) {
      apply(state, op);
    }
  }

  private static void apply(Long2ObjectHashMap<GroupLog> state, Op op) {
    GroupLog g = state.get(op.groupId());
    if (g == null) {
      g = new GroupLog();
      state.put(op.groupId(), g);
    }
    if (op instanceof Append a) {
      g.append(a.entries);
    } else if (op instanceof HardStateOp h) {
      g.hardState = h.hardState;
    } else if (op instanceof Reset r) {
      g.reset(r.meta);
      if (r.hardState != null) {
        g.hardState = r.hardState;
      }
    } else if (op instanceof ConfStateOp c) {
      g.confState = c.confState.intern();
    } else if (op instanceof Compact c) {
      g.compact(c.index, c.term);
    }
  }

  private static Long2ObjectHashMap<GroupLog> copyOf(Long2ObjectHashMap<GroupLog> state) {
    Long2ObjectHashMap<GroupLog> copy = new Long2ObjectHashMap<>();
    state.forEachLong((g, log) -> copy.put(g, log.copy()));
    return copy;
  }

  private static boolean corruptIn(Long2ObjectHashMap<GroupLog> state, long groupId, long index) {
    GroupLog g = state.get(groupId);
    if (g == null || index <= g.truncIndex || index > g.last()) {
      return false;
    }
    int i = (int) (index - g.truncIndex - 1);
    StoredEntry s = g.entries.get(i);
    Entry e = s.entry;
    if (e.data().length == 0) {
      g.entries.set(i, new StoredEntry(e, s.crc ^ 1));
    } else {
      byte[] flipped = e.data().clone();
      flipped[0] ^= 1;
      g.entries.set(i, new StoredEntry(new Entry(e.term(), e.index(), e.type(), flipped), s.crc));
    }
    return true;
  }

  /**
   * The same CRC32C the RocksDB store keeps: over group id, index, term, type and data. Reusable:
   * one per batch or per store (under its lock), never shared between threads.
   */
  private static final class Crc {
    private final CRC32C crc = new CRC32C();
    private final byte[] header = new byte[25];

    int of(long groupId, Entry e) {
      crc.reset();
      putLong(header, 0, groupId);
      putLong(header, 8, e.index());
      putLong(header, 16, e.term());
      header[24] = (byte) e.type().ordinal();
      crc.update(header);
      crc.update(e.data());
      return (int) crc.getValue();
    }
  }

  private static void putLong(byte[] b, int at, long v) {
    for (int i = 7; i >= 0; i--) {
      b[at + i] = (byte) v;
      v >>>= 8;
    }
  }

  // ---------------------------------------------------------------- one group's state

  private record StoredEntry(Entry entry, int crc) {}

  /** Layout as in MemoryStorage: entries.get(0) has index truncIndex + 1. */
  private static final class GroupLog {
    long truncIndex;
    long truncTerm;
    final ArrayList<StoredEntry> entries;
    HardState hardState = HardState.EMPTY;
    ConfState confState = ConfState.EMPTY;
    SnapshotMeta snapshot = SnapshotMeta.EMPTY;

    GroupLog() {
      entries = new ArrayList<>();
    }

    private GroupLog(GroupLog o) {
      truncIndex = o.truncIndex;
      truncTerm = o.truncTerm;
      entries = new ArrayList<>(o.entries);
      hardState = o.hardState;
      confState = o.confState;
      snapshot = o.snapshot;
    }

    GroupLog copy() {
      return new GroupLog(this);
    }

    long last() {
      return truncIndex + entries.size();
    }

    StoredEntry at(long index) {
      return entries.get((int) (index - truncIndex - 1));
    }

    /** The verified term of a stored entry, or the compaction point's term. */
    long termAt(long groupId, long index, Crc crc) {
      if (index == truncIndex) {
        return truncTerm;
      }
      return verified(groupId, at(index), crc).term();
    }

    void append(List<StoredEntry> ents) {
      long lo = ents.get(0).entry.index();
      long skip = Math.max(0, truncIndex + 1 - lo);
      if (skip >= ents.size()) {
        return; // entirely at or below the compaction point
      }
      long from = lo + skip;
      // from <= last() + 1 was checked before anything was applied
      if (from <= last()) {
        entries.subList((int) (from - truncIndex - 1), entries.size()).clear();
      }
      for (int i = (int) skip; i < ents.size(); i++) { // no sublist nor array copy per append
        entries.add(ents.get(i));
      }
    }

    void reset(SnapshotMeta meta) {
      truncIndex = meta.index();
      truncTerm = meta.term();
      entries.clear();
      confState = meta.confState().intern(); // shared across groups: see ConfState.intern
      snapshot = new SnapshotMeta(meta.index(), meta.term(), confState);
    }

    void compact(long index, long term) {
      if (index <= truncIndex) {
        return;
      }
      int drop = (int) Math.min(entries.size(), index - truncIndex);
      entries.subList(0, drop).clear();
      truncIndex = index;
      truncTerm = term;
    }
  }

  private static Entry verified(long groupId, StoredEntry s, Crc crc) {
    if (crc.of(groupId, s.entry) != s.crc) {
      throw new CorruptLogException(groupId, s.entry.index(), WHERE);
    }
    return s.entry;
  }

  // ---------------------------------------------------------------- operations of a batch

  private sealed interface Op permits Append, HardStateOp, Reset, ConfStateOp, Compact {
    long groupId();
  }

  private record Append(long groupId, List<StoredEntry> entries) implements Op {}

  private record HardStateOp(long groupId, HardState hardState) implements Op {}

  /** A snapshot install (hardState null) or a bootstrap: the log restarts after meta.index(). */
  private record Reset(long groupId, SnapshotMeta meta, HardState hardState) implements Op {}

  private record ConfStateOp(long groupId, ConfState confState) implements Op {}

  private record Compact(long groupId, long index, long term) implements Op {}

  /** Checksums are computed when an entry is added, on the worker's thread, as the RocksDB store does. */
  private static final class Batch implements LogBatch {
    final ArrayList<Op> ops = new ArrayList<>();
    private final Crc crc = new Crc();
    int entryCount;
    long bytes;

    @Override
    public void append(long groupId, List<Entry> entries) {
      checkGroupId(groupId);
      if (entries.isEmpty()) {
        return;
      }
      List<StoredEntry> stored = new ArrayList<>(entries.size());
      long expect = entries.get(0).index();
      for (Entry e : entries) {
        if (e.index() != expect++) {
          throw new IllegalArgumentException("group " + groupId + ": entries not contiguous at index " + e.index());
        }
        stored.add(new StoredEntry(e, crc.of(groupId, e)));
        bytes += e.sizeBytes();
      }
      entryCount += entries.size();
      ops.add(new Append(groupId, stored));
    }

    @Override
    public void hardState(long groupId, HardState hardState) {
      checkGroupId(groupId);
      ops.add(new HardStateOp(groupId, hardState));
      bytes += 24;
    }

    @Override
    public void snapshot(long groupId, SnapshotMeta meta) {
      checkGroupId(groupId);
      ops.add(new Reset(groupId, meta, null));
      bytes += 64;
    }

    @Override
    public void bootstrap(long groupId, SnapshotMeta initial, HardState hardState) {
      checkGroupId(groupId);
      ops.add(new Reset(groupId, initial, hardState));
      bytes += 88;
    }

    @Override
    public void confState(long groupId, ConfState confState) {
      checkGroupId(groupId);
      ops.add(new ConfStateOp(groupId, confState));
      bytes += 48;
    }

    @Override
    public int entryCount() {
      return entryCount;
    }

    @Override
    public long bytes() {
      return bytes;
    }

    @Override
    public boolean isEmpty() {
      return ops.isEmpty();
    }
  }

  // ---------------------------------------------------------------- the read side of one group

  private final class View implements LogStorage {
    private final long groupId;

    View(long groupId) {
      this.groupId = groupId;
    }

    // The map lookup was a fifth of a worker's time at 1,000 active groups.
    private GroupLog cached;
    private long cachedLayout = -1;

    private GroupLog log() {
      checkUsable();
      if (cachedLayout == layout) {
        return cached;
      }
      GroupLog g = visible.get(groupId);
      if (g == null) {
        return ABSENT; // not cached: a later write creates the group's log
      }
      cached = g;
      cachedLayout = layout;
      return g;
    }

    @Override
    public InitialState initialState() {
      synchronized (MemoryLogStore.this) {
        GroupLog g = log();
        return new InitialState(g.hardState, g.confState);
      }
    }

    @Override
    public List<Entry> entries(long lo, long hi, long maxBytes) {
      synchronized (MemoryLogStore.this) {
        GroupLog g = log();
        if (lo <= g.truncIndex) {
          throw new StorageException.Compacted(lo, g.truncIndex + 1);
        }
        if (hi > g.last() + 1) {
          throw new StorageException.Unavailable(hi - 1, g.last());
        }
        if (lo > hi) {
          throw new IllegalArgumentException("entries(" + lo + ", " + hi + "): lo > hi");
        }
        List<Entry> out = new ArrayList<>((int) Math.min(hi - lo, 1024));
        long size = 0;
        for (long i = lo; i < hi; i++) {
          Entry e = verified(groupId, g.at(i), readCrc);
          size += e.sizeBytes();
          if (!out.isEmpty() && size > maxBytes) {
            break;
          }
          out.add(e);
        }
        return out;
      }
    }

    @Override
    public long term(long index) {
      synchronized (MemoryLogStore.this) {
        GroupLog g = log();
        if (index < g.truncIndex) {
          throw new StorageException.Compacted(index, g.truncIndex + 1);
        }
        if (index > g.last()) {
          throw new StorageException.Unavailable(index, g.last());
        }
        return g.termAt(groupId, index, readCrc);
      }
    }

    @Override
    public long firstIndex() {
      synchronized (MemoryLogStore.this) {
        return log().truncIndex + 1;
      }
    }

    @Override
    public long lastIndex() {
      synchronized (MemoryLogStore.this) {
        return log().last();
      }
    }

    @Override
    public Snapshot snapshot() {
      synchronized (MemoryLogStore.this) {
        GroupLog g = log();
        if (g.snapshot.index() < g.truncIndex) {
          throw new StorageException.SnapshotTemporarilyUnavailable(
              "group " + groupId + ": the log store holds no snapshot at or after its compaction point " + g.truncIndex);
        }
        return new Snapshot(g.snapshot, NO_DATA);
      }
    }
  }
}
