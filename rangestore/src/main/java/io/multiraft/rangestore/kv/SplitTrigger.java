package io.multiraft.rangestore.kv;

import io.multiraft.core.ConfState;
import io.multiraft.core.Entry;
import io.multiraft.node.MultiRaftNode;
import io.multiraft.rangestore.range.Keys;
import io.multiraft.rangestore.range.RangeDescriptor;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Applies a split on one replica. Checks are deterministic (they read only the replicated state),
 * so every replica refuses or applies alike. Applying shrinks the left descriptor and writes the
 * right range's state at the known initial log position in the same WriteBatch; no data moves,
 * since both ranges keep their keys in the shared family.
 */
final class SplitTrigger {
  private SplitTrigger() {}

  static KvResult apply(RangeStateMachine sm, RangeState s, KvCommand.Split sp, Entry entry) {
    RangeDescriptor d = s.descriptor();
    String refusal = refusal(sm.rangeId(), s, sp);
    if (refusal != null) {
      return new KvResult.Refused(refusal, !s.frozen() && sp.expectedGeneration() != d.generation());
    }
    long gen = d.generation() + 1;
    RangeDescriptor left = d.withSpan(d.startKey(), sp.splitKey(), gen);
    RangeDescriptor right = d.withId(sp.rightId(), sp.splitKey(), d.endKey(), gen);
    ConfState conf = s.conf();
    RangeState rightState = new RangeState(MultiRaftNode.INITIAL_INDEX, MultiRaftNode.INITIAL_TERM, conf, right, false);
    try (WriteBatch wb = new WriteBatch()) {
      wb.put(sm.data().cf(), DataKeys.state(right.rangeId()), rightState.encode());
      sm.commit(wb, s.withSplit(left, right).withApplied(entry.index(), entry.term()));
    } catch (RocksDBException e) {
      throw new RangeData.DataException("applying a split of range " + sm.rangeId() + " failed: " + e.getMessage(), e);
    }
    sm.spanChanged(entry.index());
    sm.events().descriptorChanged(left);
    sm.events().splitApplied(left, right, conf);
    return new KvResult.SplitDone(left, right);
  }

  private static String refusal(long rangeId, RangeState s, KvCommand.Split sp) {
    RangeDescriptor d = s.descriptor();
    if (s.frozen()) {
      return "range " + rangeId + " is frozen for a merge and cannot split";
    }
    if (sp.expectedGeneration() != d.generation()) {
      return "split of range " + rangeId + " expected generation " + sp.expectedGeneration()
          + " but the range is at " + d.generation() + " (it split or merged meanwhile); re-read the descriptor";
    }
    if (!d.contains(sp.splitKey()) || Keys.compare(sp.splitKey(), d.startKey()) == 0) {
      return "split key " + Keys.show(sp.splitKey()) + " must lie strictly inside " + d + " (not at its start, not outside)";
    }
    if (sp.rightId() <= 0 || sp.rightId() == rangeId) {
      return "split of range " + rangeId + " names an invalid right range id " + sp.rightId();
    }
    if (s.conf().isJoint()) {
      return "range " + rangeId + " is changing membership (joint configuration); split after it completes";
    }
    return null;
  }
}
