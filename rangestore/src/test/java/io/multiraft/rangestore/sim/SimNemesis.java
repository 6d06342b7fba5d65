package io.multiraft.rangestore.sim;

import io.multiraft.rangestore.api.RangeMerger;
import io.multiraft.rangestore.api.RangeStore;
import io.multiraft.rangestore.api.ReplicaMover;
import io.multiraft.rangestore.range.RangeDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The admin side of the chaos, one fiber: splits, merges (aligned, or needing replica moves first),
 * relocations and leadership transfers, through the production coordinators, while the network
 * and the nodes fail underneath. A refused or timed-out admin operation is fine; only what the
 * clients and the final checks see decides a run.
 */
final class SimNemesis {
  static final long ADMIN_TIMEOUT_MS = 10_000;

  private final RangeSimulation sim;
  private final SplittableRandom random;
  private final ReplicaMover mover;
  private final RangeMerger merger;
  volatile boolean running = true;
  int splits;
  int merges;
  int moves;

  SimNemesis(RangeSimulation sim, SplittableRandom random) {
    this.sim = sim;
    this.random = random;
    this.mover = new ReplicaMover(sim.live, ADMIN_TIMEOUT_MS, sim.runtime);
    this.merger = new RangeMerger(sim.live, ADMIN_TIMEOUT_MS, sim.runtime);
  }

  void start() {
    sim.fibers.start("nemesis", this::loop);
  }

  private void loop() {
    while (running) {
      sim.runtime.blocking().pause(1 + random.nextLong(sim.params.nemesisEveryNs()));
      if (!running) {
        return;
      }
      List<RangeStore> up = new ArrayList<>(sim.live.values());
      if (up.isEmpty()) {
        continue;
      }
      RangeStore via = up.get(random.nextInt(up.size()));
      List<RangeDescriptor> ranges = via.router().ranges();
      int dice = random.nextInt(100);
      try {
        if (dice < 35) {
          String k = SimClients.KEYS[1 + random.nextInt(SimClients.KEYS.length - 1)];
          sim.trace("nemesis split at " + k + " via n" + via.nodeId());
          var r = sim.runtime.blocking().await(via.splitAt(SimClients.key(k)), 2_000_000_000L);
          splits++;
          sim.trace("nemesis split done: " + r.left() + " | " + r.right());
        } else if (dice < 60 && !ranges.isEmpty()) {
          RangeDescriptor d = ranges.get(random.nextInt(ranges.size()));
          if (d.endKey() != null) {
            sim.trace("nemesis merge " + d);
            RangeDescriptor m = merger.merge(d.rangeId());
            merges++;
            sim.trace("nemesis merge done: " + m);
          }
        } else if (dice < 85 && !ranges.isEmpty()) {
          RangeDescriptor d = ranges.get(random.nextInt(ranges.size()));
          TreeSet<Long> targets = new TreeSet<>();
          List<Long> ids = new ArrayList<>(sim.live.keySet());
          int want = Math.min(3, ids.size());
          while (targets.size() < want) {
            targets.add(ids.get(random.nextInt(ids.size())));
          }
          sim.trace("nemesis relocate " + d.rangeId() + " to " + targets);
          var cs = mover.relocate(d.rangeId(), targets);
          moves++;
          sim.trace("nemesis relocate done: " + cs);
        } else if (!ranges.isEmpty()) {
          RangeDescriptor d = ranges.get(random.nextInt(ranges.size()));
          List<Long> voters = new ArrayList<>(d.nodeIds());
          long target = voters.get(random.nextInt(voters.size()));
          sim.trace("nemesis transfer " + d.rangeId() + " to n" + target);
          mover.transferLeader(d.rangeId(), target);
        }
      } catch (RuntimeException e) {
        sim.trace("nemesis: " + SimClients.brief(e));
      }
    }
  }
}
