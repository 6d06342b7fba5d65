package io.multiraft.rangestore.api;

import io.multiraft.core.GroupStatus;
import io.multiraft.core.Role;
import io.multiraft.rangestore.kv.RangeState;
import io.multiraft.rangestore.range.RangeDescriptor;
import io.multiraft.rangestore.range.RangeException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes merges nobody is finishing. A merge freezes its right range, then commits in the left
 * range's log; a coordinator that dies in between, or gives up with the outcome unknown, leaves the
 * right range frozen and refusing writes for ever. Each {@link #sweep} looks at the frozen ranges
 * this node leads; one seen frozen for longer than any merge may take is resolved through
 * {@link RangeMerger#resolveFrozen}: merged, or unfrozen when its merge can no longer commit.
 * Blocking; run it from a coordinator thread (a server's replica collector thread).
 */
public final class AbandonedMerges {
  private static final Logger LOG = LoggerFactory.getLogger(AbandonedMerges.class);
  private final NodeHandle self;
  private final RangeMerger merger;
  private final NodeRuntime runtime;
  private final long abandonedAfterNs;
  /** Frozen ranges led here, and when a sweep first saw each of them frozen. */
  private final Map<Long, Long> frozenSince = new HashMap<>();
  private volatile long resolved; // read by other threads (ReplicaGc#abandonedMergesResolved)

  /**
   * @param self this node
   * @param merger a merger reaching every node
   * @param abandonedAfterNs how long a range must stay frozen before it counts as abandoned: longer
   *     than a merge's own timeout, so a merge still running is never raced
   */
  public AbandonedMerges(NodeHandle self, RangeMerger merger, NodeRuntime runtime, long abandonedAfterNs) {
    this.self = self;
    this.merger = merger;
    this.runtime = runtime;
    this.abandonedAfterNs = abandonedAfterNs;
  }

  /** Frozen ranges resolved so far (merged or unfrozen). */
  public long resolved() {
    return resolved;
  }

  /** One pass over this node's replicas; resolves what has been frozen too long. */
  public void sweep() {
    long now = runtime.nanoTime();
    List<Long> ids = self.localRangeIds();
    Set<Long> frozenNow = new HashSet<>();
    for (long id : ids) {
      RangeState st = self.localState(id);
      if (st == null || !st.frozen() || !ledHere(id)) {
        continue;
      }
      frozenNow.add(id);
      long since = frozenSince.computeIfAbsent(id, k -> now);
      if (now - since >= abandonedAfterNs) {
        resolve(st.descriptor(), ids);
      }
    }
    frozenSince.keySet().retainAll(frozenNow);
  }

  private boolean ledHere(long rangeId) {
    try {
      GroupStatus gs = runtime.blocking().await(self.status(rangeId), ReplicaMover.CALL_TIMEOUT_NS);
      return gs.role() == Role.LEADER;
    } catch (CompletionException e) {
      return false;
    }
  }

  private void resolve(RangeDescriptor right, List<Long> ids) {
    // The merge aligned the right range's replicas with the left's before freezing: the left
    // neighbour has a replica here too, unless its replicas changed since (see resolveFrozen).
    long leftId = 0;
    for (long id : ids) {
      RangeState st = self.localState(id);
      if (st != null && st.descriptor().endKey() != null && Arrays.equals(st.descriptor().endKey(), right.startKey())) {
        leftId = id;
      }
    }
    try {
      String done = merger.resolveFrozen(right.rangeId(), leftId);
      if (!done.equals("none")) {
        resolved++;
        frozenSince.remove(right.rangeId());
        LOG.info("node {}: range {} was frozen for a merge into range {} that nobody finished: {}", self.nodeId(),
            right.rangeId(), leftId, done);
      }
    } catch (RangeException e) {
      LOG.warn("node {}: resolving the abandoned merge of range {} into range {} failed; trying again next sweep: {}",
          self.nodeId(), right.rangeId(), leftId, e.getMessage());
    }
  }
}
