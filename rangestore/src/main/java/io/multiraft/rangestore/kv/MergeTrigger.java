package io.multiraft.rangestore.kv;

import io.multiraft.core.Entry;
import io.multiraft.rangestore.range.RangeDescriptor;
import java.util.Arrays;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the three merge commands. Freeze and Unfreeze run in the right range's log, Merge in the
 * left's. Every check reads only replicated state (the range's own state and the command), so all
 * replicas decide alike; the generation in each command makes a retried or overtaken step a no-op
 * refusal instead of a second application (the failure TiKV #6460 is about).
 */
final class MergeTrigger {
  private static final Logger LOG = LoggerFactory.getLogger(MergeTrigger.class);

  private MergeTrigger() {}

  static KvResult freeze(RangeStateMachine sm, RangeState s, KvCommand.Freeze f, Entry e) {
    RangeDescriptor d = s.descriptor();
    if (f.expectedGeneration() != d.generation()) {
      return new KvResult.Refused("freeze of range " + d.rangeId() + " expected generation " + f.expectedGeneration()
          + " but it is at " + d.generation() + "; re-read the descriptors and retry the merge");
    }
    if (s.conf().isJoint() || !s.conf().learners().isEmpty()) {
      return new KvResult.Refused("range " + d.rangeId() + " is changing membership; merge after it settles");
    }
    if (s.frozen()) {
      // Frozen already (a merge run again to finish an abandoned one): the recorded state stays
      // at the first freeze, and since a frozen range refuses writes it never moves past it, so
      // that is the index every replica must reach, not this entry's.
      return new KvResult.Frozen(s.appliedIndex(), d);
    }
    try (WriteBatch wb = new WriteBatch()) {
      sm.commit(wb, s.withFrozen(true).withApplied(e.index(), e.term()));
    }
    return new KvResult.Frozen(e.index(), d);
  }

  static KvResult unfreeze(RangeStateMachine sm, RangeState s, KvCommand.Unfreeze u, Entry e) {
    RangeDescriptor d = s.descriptor();
    if (u.expectedGeneration() != d.generation()) {
      return new KvResult.Refused("unfreeze of range " + d.rangeId() + " expected generation " + u.expectedGeneration()
          + " but it is at " + d.generation());
    }
    if (s.frozen()) {
      try (WriteBatch wb = new WriteBatch()) {
        sm.commit(wb, s.withFrozen(false).withApplied(e.index(), e.term()));
      }
    }
    return KvResult.WRITTEN;
  }

  static KvResult merge(RangeStateMachine sm, RangeState s, KvCommand.Merge m, Entry e) {
    RangeDescriptor left = s.descriptor();
    RangeDescriptor right = m.right();
    String refusal = refusal(s, m);
    if (refusal != null) {
      return new KvResult.Refused(refusal);
    }
    RangeState local = sm.data().readState(right.rangeId());
    if (local == null || !local.frozen()) {
      // The admin path waits for every replica of the right range to apply its freeze before it
      // proposes the merge, so this means a replica was moved meanwhile: say so loudly.
      LOG.error("range {} on node {}: merging range {} whose replica here is {}; its data may not be at the frozen point",
          left.rangeId(), sm.nodeId(), right.rangeId(), local == null ? "absent" : "not frozen");
    }
    long gen = Math.max(left.generation(), right.generation()) + 1;
    RangeDescriptor merged = left.withSpan(left.startKey(), right.endKey(), gen);
    try (WriteBatch wb = new WriteBatch()) {
      wb.delete(sm.data().cf(), DataKeys.state(right.rangeId()));
      wb.put(sm.data().cf(), DataKeys.tombstone(right.rangeId()), new byte[] {1});
      sm.commit(wb, s.withDescriptor(merged).withApplied(e.index(), e.term()));
    } catch (RocksDBException ex) {
      throw new RangeData.DataException("applying a merge into range " + left.rangeId() + " failed: " + ex.getMessage(), ex);
    }
    sm.spanChanged(e.index());
    sm.events().descriptorChanged(merged);
    sm.events().rangeMerged(merged, right.rangeId());
    return new KvResult.Merged(merged, right.rangeId());
  }

  private static String refusal(RangeState s, KvCommand.Merge m) {
    RangeDescriptor left = s.descriptor();
    RangeDescriptor right = m.right();
    if (s.frozen()) {
      return "range " + left.rangeId() + " is itself frozen for another merge";
    }
    if (m.expectedGeneration() != left.generation()) {
      return "merge into range " + left.rangeId() + " expected generation " + m.expectedGeneration() + " but it is at "
          + left.generation() + " (it split, merged or the merge already applied); nothing changed";
    }
    if (left.endKey() == null || !Arrays.equals(left.endKey(), right.startKey())) {
      return "ranges " + left + " and " + right + " are not adjacent; only a range and its right neighbour can merge";
    }
    if (!left.nodeIds().equals(right.nodeIds()) || s.conf().isJoint() || !s.conf().learners().isEmpty()) {
      return "ranges " + left.rangeId() + " and " + right.rangeId() + " have different replicas (" + left.replicas()
          + " vs " + right.replicas() + "); align them first";
    }
    return null;
  }
}
