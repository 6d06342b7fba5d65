package io.multiraft.rangestore.kv;

import io.multiraft.spi.SnapshotStreams;
import io.multiraft.core.ConfState;
import io.multiraft.core.Entry;
import io.multiraft.core.SnapshotData;
import io.multiraft.rangestore.codec.MalformedException;
import io.multiraft.rangestore.range.Keys;
import io.multiraft.rangestore.range.RangeDescriptor;
import io.multiraft.rangestore.range.RangeException;
import io.multiraft.spi.StateMachine;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;

/**
 * The key-value state machine of one range over the node's shared {@code data} family. Every
 * change is one WriteBatch holding the data and the range's {@link RangeState} (applied index,
 * membership, descriptor), so after a crash the range restarts at exactly what it applied.
 *
 * <p>Runs on the node's apply thread for this group; reads issued through
 * {@code MultiRaftNode.read} run there too, so they see a descriptor consistent with the data.
 */
public final class RangeStateMachine implements StateMachine {
  private final long rangeId;
  private final long nodeId;
  private final RangeData data;
  private final RangeEvents events;
  /** Null until this replica has state: a new replica waits for its first snapshot. */
  private volatile RangeState state;
  /** The index of the last split or merge applied here since start (apply thread only): see {@link #snapshotFloor()}. */
  private long spanChangedAt;

  public RangeStateMachine(long rangeId, long nodeId, RangeData data, RangeEvents events) {
    this.rangeId = rangeId;
    this.nodeId = nodeId;
    this.data = data;
    this.events = events;
    this.state = data.readState(rangeId);
  }

  /** Whether {@code child}, split off {@code parent}, should have a replica on {@code nodeId} and has none there. */
  public static boolean missingSplit(RangeData data, long nodeId, RangeDescriptor parent, RangeDescriptor child) {
    return RangeSnapshots.isMissing(data, nodeId, parent, child);
  }

  /** Whether this range was merged away here or this replica removed (until it is added again). */
  boolean goneHere() {
    return data.get(DataKeys.tombstone(rangeId)) != null;
  }

  /** The descriptor as of the last apply, or null if this replica holds no state yet. */
  public RangeDescriptor descriptor() {
    RangeState s = state;
    return s == null ? null : s.descriptor();
  }

  public RangeState state() {
    return state;
  }

  @Override
  public long lastApplied() {
    RangeState s = state;
    return s == null ? 0 : s.appliedIndex();
  }

  @Override
  public long lastAppliedTerm() {
    RangeState s = state;
    return s == null ? 0 : s.appliedTerm();
  }

  @Override
  public ConfState appliedConfState() {
    RangeState s = state;
    return s == null ? null : s.conf();
  }

  @Override
  public Object apply(Entry entry) {
    RangeState s = state;
    if (s == null) {
      // Raft hands entries only after a snapshot gave this replica its state; refuse loudly otherwise.
      return new KvResult.Refused("range " + rangeId + " has no state on node " + nodeId + " (entry " + entry.index() + ")");
    }
    KvCommand cmd;
    try {
      cmd = KvCommandCodec.decode(entry.data());
    } catch (MalformedException e) {
      return new KvResult.Refused("malformed command at index " + entry.index() + ": " + e.getMessage());
    }
    if (cmd instanceof KvCommand.Split sp) {
      return SplitTrigger.apply(this, s, sp, entry);
    }
    if (cmd instanceof KvCommand.Freeze f) {
      return MergeTrigger.freeze(this, s, f, entry);
    }
    if (cmd instanceof KvCommand.Unfreeze u) {
      return goneHere() ? new KvResult.Refused("range " + rangeId + " was merged away; it cannot be unfrozen")
          : MergeTrigger.unfreeze(this, s, u, entry);
    }
    if (cmd instanceof KvCommand.Merge m) {
      return MergeTrigger.merge(this, s, m, entry);
    }
    if (s.frozen()) {
      return new KvResult.Busy("range " + rangeId + " is frozen for a merge; retry after it completes");
    }
    return KvApply.apply(this, s, cmd, entry);
  }

  /** Writes {@code wb} (data changes) with the new state, then publishes the state. */
  void commit(WriteBatch wb, RangeState next) {
    try {
      wb.put(data.cf(), DataKeys.state(rangeId), next.encode());
    } catch (RocksDBException e) {
      throw new RangeData.DataException("building the write of range " + rangeId + " failed: " + e.getMessage(), e);
    }
    data.write(wb);
    state = next;
  }

  /**
   * A snapshot from before a split or a merge must not be sent. A follower restoring one from
   * before a merge replays the merge and takes the right range's keys from its own replica of it,
   * which it may no longer hold (dropped as merged away, or never held by a replica created after
   * the merge). One from before a split covers the right range's span too: restoring it overwrites
   * the keys of a newer replica of the right range on that node, and replaying the split resets
   * that replica's state to the split's (seed 47618).
   */
  @Override
  public long snapshotFloor() {
    return spanChangedAt;
  }

  /**
   * An empty replica votes only on a node that never held the range: a range split off while
   * this node lagged reaches it through a later snapshot of the left range, as an empty replica,
   * and if two of three voters are such replicas the range elects only with their votes (seed
   * 99844). One that lived here before may have acknowledged entries its dropped log forgot.
   */
  @Override
  public boolean mayVoteWithoutState() {
    return state == null && !data.heldBefore(rangeId);
  }

  void spanChanged(long index) {
    spanChangedAt = index;
  }

  RangeData data() {
    return data;
  }

  RangeEvents events() {
    return events;
  }

  long rangeId() {
    return rangeId;
  }

  long nodeId() {
    return nodeId;
  }

  @Override
  public void applyConfChange(long index, long term, ConfState conf) {
    RangeState s = state;
    if (s == null || (s.frozen() && goneHere())) {
      // No state to attach the membership to (the snapshot that brings it carries its own), or
      // the range was merged away here and writing its state would bring it back.
      if (s == null && !conf.isMember(nodeId) && conf != ConfState.EMPTY && !conf.voters().isEmpty()) {
        events.replicaRemoved(rangeId, term);
      }
      return;
    }
    if (index < s.appliedIndex()) {
      // Already applied, or superseded by what was applied since: recording it again would pair
      // the applied index with an older membership and term (or remove a replica added since).
      return;
    }
    try (WriteBatch wb = new WriteBatch()) {
      if (!conf.isMember(nodeId)) {
        // Removed here: the range's data and state go in one write, so a restart does not revive it.
        RangeDescriptor d = s.descriptor();
        wb.deleteRange(data.cf(), DataKeys.user(d.startKey()), DataKeys.userEnd(d.endKey()));
        wb.delete(data.cf(), DataKeys.state(rangeId));
        // The term goes with the tombstone: a restart before the group goes decides as replicaRemoved does.
        wb.put(data.cf(), DataKeys.tombstone(rangeId), RangeData.removalTombstone(term));
        data.write(wb);
        state = null;
        events.replicaRemoved(rangeId, term);
        return;
      }
      RangeState next = s.withConf(conf).withApplied(index, term);
      RangeDescriptor d = next.descriptor();
      if (index > s.appliedIndex() && !d.replicas().equals(s.descriptor().replicas())) {
        // A new replica set is a new descriptor: routing and coordinators holding the old one must
        // see it as stale (a split or freeze proposed against it is refused and re-read). Only a
        // change applied for the first time counts: a configuration this state already holds (a
        // replay after restart, the one a restored snapshot carries) must not bump it again, or
        // replicas would disagree on the generation.
        next = next.withDescriptor(d.withSpan(d.startKey(), d.endKey(), d.generation() + 1));
      }
      commit(wb, next);
      events.descriptorChanged(next.descriptor());
    } catch (RocksDBException e) {
      throw new RangeData.DataException("recording membership of range " + rangeId + " failed: " + e.getMessage(), e);
    }
  }

  /** The whole snapshot in memory: for small ranges and tests; the runtime uses {@link #openSnapshot()}. */
  @Override
  public byte[] snapshot() {
    SnapshotData view = openSnapshot();
    try {
      return SnapshotStreams.readAll(view);
    } finally {
      view.release();
    }
  }

  /** A view of the range as of the last applied entry (a RocksDB snapshot), read in chunks when sent. */
  @Override
  public SnapshotData openSnapshot() {
    RangeState s = state;
    if (s == null) {
      throw new IllegalStateException("range " + rangeId + " has no state on node " + nodeId + " to snapshot");
    }
    return RangeSnapshotView.open(data, s);
  }

  @Override
  public void restore(byte[] snapshot) {
    restore(SnapshotData.of(snapshot));
  }

  @Override
  public void restore(SnapshotData snapshot) {
    if (goneHere()) {
      throw new IllegalStateException("range " + rangeId + " was merged away or removed on node " + nodeId + "; refusing its snapshot");
    }
    RangeSnapshots.Restored r = RangeSnapshots.restore(data, nodeId, rangeId, snapshot);
    state = r.state();
    events.descriptorChanged(state.descriptor());
    for (long id : r.subsumed()) {
      events.rangeMerged(state.descriptor(), id);
    }
    for (RangeDescriptor child : r.missedSplits()) {
      events.splitMissed(child);
    }
  }

  /** The replica is removed from this node: snapshots staged for it will never be installed. */
  @Override
  public void close() {
    RangeSnapshotSink sink = data.snapshotSink();
    if (sink != null) {
      sink.rangeRemoved(rangeId);
    }
  }

  // ---------------------------------------------------------------- reads (on the apply thread)

  private RangeDescriptor requireKey(byte[] key) {
    RangeState s = state;
    if (s == null) {
      throw new RangeException.RangeNotFound(rangeId, "node " + nodeId + " holds no state of it yet");
    }
    if (!s.descriptor().contains(key)) {
      throw new RangeException.KeyNotInRange(key, s.descriptor());
    }
    return s.descriptor();
  }

  /** The value of {@code key}, or null. */
  public byte[] get(byte[] key) {
    requireKey(key);
    return data.get(DataKeys.user(key));
  }

  /**
   * Up to {@code limit} pairs of [start, end) that lie in this range, in key order, with where to
   * resume: in this range if the limit was hit, at this range's end if the scan goes beyond it.
   */
  public ScanResult scan(byte[] start, byte[] end, int limit) {
    RangeDescriptor d = requireKey(start);
    byte[] stop = Keys.compareEnd(end, d.endKey()) <= 0 ? end : d.endKey();
    List<KeyValue> out = new ArrayList<>();
    try (Slice upper = new Slice(DataKeys.userEnd(stop));
        ReadOptions ro = new ReadOptions().setIterateUpperBound(upper);
        RocksIterator it = data.db().newIterator(data.cf(), ro)) {
      for (it.seek(DataKeys.user(start)); it.isValid(); it.next()) {
        byte[] key = DataKeys.userKeyOf(it.key());
        if (out.size() >= limit) {
          return new ScanResult(out, key);
        }
        out.add(new KeyValue(key, it.value()));
      }
      it.status();
    } catch (RocksDBException e) {
      throw new RangeData.DataException("scanning range " + rangeId + " failed: " + e.getMessage(), e);
    }
    boolean beyond = stop != null && Keys.compareEnd(end, stop) > 0;
    return new ScanResult(out, beyond ? stop : null);
  }
}
