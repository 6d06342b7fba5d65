package io.multiraft.node;

import io.multiraft.core.Message;
import io.multiraft.core.MessageType;
import io.multiraft.core.RaftGroup;
import io.multiraft.core.Role;
import io.multiraft.core.Snapshot;
import io.multiraft.spi.Clock;
import java.util.ArrayList;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * A worker's inbound Raft messages and node-loss reports: each message is stepped into its group
 * (waking it, or letting a follower sleep with its idle leader), and a lost node wakes only the
 * groups it led. Confined to the worker's thread, like the worker's other collaborators.
 */
final class MessageDelivery {
  private final Worker worker;
  private final NodeConfig cfg;
  private final Clock clock;
  private final Long2ObjectHashMap<Replica> replicas;
  private final ActiveGroups active;
  private final EarlyMessages early;
  private final NodeCounters counters;
  private final CycleCounts cycleCounts;
  /** Nodes reported unreachable this cycle, handled after the cycle's inbound messages. */
  private final ArrayList<Long> unreachableReports = new ArrayList<>(2);

  MessageDelivery(Worker worker, NodeConfig cfg, Clock clock, Long2ObjectHashMap<Replica> replicas, ActiveGroups active,
      EarlyMessages early, NodeCounters counters, CycleCounts cycleCounts) {
    this.worker = worker;
    this.cfg = cfg;
    this.clock = clock;
    this.replicas = replicas;
    this.active = active;
    this.early = early;
    this.counters = counters;
    this.cycleCounts = cycleCounts;
  }

  void reportUnreachable(long node) {
    unreachableReports.add(node);
  }

  void deliver(Command.Deliver d) {
    for (Message m : d.messages()) {
      Replica r = replicas.get(m.groupId);
      if (r == null || r.group == null) {
        counters.unknownGroupMessages.increment(); // counted; only vote requests are held, for a group a split is about to create
        if (!early.hold(m, clock.nanoTime())) {
          SnapshotRelease.ignored(null, m);
        }
        continue;
      }
      cycleCounts.received(m.type);
      boolean quiesceHeartbeat = m.type == MessageType.HEARTBEAT && m.context == Message.QUIESCE;
      // A late acknowledgement of a lease round carries nothing an idle leader needs (the lease was
      // dropped when it quiesced); waking on it would make a lease-mode group wake after every quiesce.
      boolean quiesceAck = m.type == MessageType.HEARTBEAT_RESPONSE
          && (m.context == Message.QUIESCE || m.context <= Message.LEASE_ROUND_BASE);
      if (!quiesceHeartbeat && !quiesceAck) {
        active.wakeIfQuiesced(r);
      }
      if (m.type == MessageType.READ_INDEX) {
        worker.syncLeaseClock(r); // a follower's read, decided on our lease like our own
      }
      RaftGroup g = r.group;
      Snapshot pending = m.type == MessageType.SNAPSHOT ? g.pendingSnapshot() : null;
      g.step(m);
      SnapshotRelease.ignored(g, m);
      SnapshotRelease.replaced(r, pending);
      worker.touch(r);
      if (quiesceHeartbeat && !r.quiesced && g.role() == Role.FOLLOWER && g.leader() == m.from
          && g.commitIndex() == m.commit && (g.lastIndex() == m.commit || g.lastTerm() < m.term)) {
        // The leader went idle and we hold everything it committed: stop ticking too. Entries
        // past its commit of an older term are a dead term's (it quiesces only when every follower
        // holds its whole log), which only its next append truncates: waiting for that kept this
        // follower ticking and campaigning in vain while its leader slept (sim seed 18425).
        // Entries of its own term past it overtook this heartbeat: it woke and wrote again, and
        // its next quiesce carries their commit. We stay awake for that one, or, should it be lost,
        // until our election timer wakes the leader (sim seed 46861: asleep on the stale
        // heartbeat, this follower never learned the commit of the entry it held).
        active.quiesce(r);
      }
    }
  }

  /**
   * Reports are applied after the cycle's inbound messages: those were received before the report
   * (the transport's last frames from the lost node come before its close), and an append of the
   * lost leader handled after the follower forgot it would make it the leader again, trusted for
   * another election timeout (19 ticks instead of 1 in LeaderLivenessTest).
   */
  int applyUnreachable() {
    int n = unreachableReports.size();
    for (int i = 0; i < n; i++) {
      nodeUnreachable(unreachableReports.get(i));
    }
    unreachableReports.clear();
    return n;
  }

  private void nodeUnreachable(long peer) {
    // Only groups led by the lost node need an election; the rest stay idle with the peer marked.
    // Those wake, forget the lost leader (so they grant each other's pre-votes at once, not after
    // an election timeout) and campaign soon, one survivor after another in an order every node
    // computes alike: the first survivor campaigns at the next tick, the next one a few ticks later
    // only if the first has not won by then. Without the order the survivors' campaigns cross,
    // split the vote and retry after whole election timeouts.
    int stagger = Math.max(2 * cfg.heartbeatTicks(), cfg.electionTicks() / 3);
    for (Replica r : replicas.values()) {
      RaftGroup g = r.group;
      if (g == null) {
        continue;
      }
      if (g.role() == Role.LEADER) {
        g.reportUnreachable(peer);
        worker.touch(r);
      } else if (g.leader() == peer) {
        active.wakeIfQuiesced(r);
        int rank = CampaignOrder.rank(r.groupId, cfg.nodeId(), g.confState().voters(), peer);
        g.leaderDown(peer, 1 + rank * stagger);
        worker.touch(r);
      }
    }
  }
}
