package io.multiraft.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.core.GroupStatus;
import io.multiraft.core.Message;
import io.multiraft.core.MessageType;
import io.multiraft.core.Role;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MultiRaftNodeTest {

  private static void createAll(LocalCluster c, int groups) {
    List<CompletableFuture<Void>> fs = new ArrayList<>();
    for (long g = 1; g <= groups; g++) {
      for (MultiRaftNode n : c.nodes.values()) {
        fs.add(n.createGroup(g, c.voters()));
      }
    }
    if (!c.threaded) {
      c.settle();
    }
    CompletableFuture.allOf(fs.toArray(new CompletableFuture[0])).orTimeout(30, TimeUnit.SECONDS).join();
  }

  /** Leader of every group as seen by the given node (0 where none), from one status round. */
  private static Map<Long, Long> leaders(LocalCluster c, long viewer, int groups) {
    List<CompletableFuture<GroupStatus>> fs = new ArrayList<>();
    for (long g = 1; g <= groups; g++) {
      fs.add(c.node(viewer).status(g));
    }
    if (!c.threaded) {
      c.settle();
    }
    Map<Long, Long> out = new HashMap<>();
    for (CompletableFuture<GroupStatus> f : fs) {
      GroupStatus s = f.orTimeout(10, TimeUnit.SECONDS).join();
      out.put(s.groupId(), s.leader());
    }
    return out;
  }

  private static boolean allLed(LocalCluster c, int groups) {
    Map<Long, Long> first = null;
    for (long id : c.nodes.keySet()) {
      Map<Long, Long> l = leaders(c, id, groups);
      if (l.containsValue(0L)) {
        return false;
      }
      for (long leader : l.values()) {
        if (!c.nodes.containsKey(leader)) {
          return false;
        }
      }
      if (first != null && !first.equals(l)) {
        return false;
      }
      first = l;
    }
    return true;
  }

  private static void proposeAll(LocalCluster c, int groups, Map<Long, Long> leaders, String tag) {
    List<CompletableFuture<Object>> fs = new ArrayList<>();
    for (long g = 1; g <= groups; g++) {
      fs.add(c.node(leaders.get(g)).propose(g, (tag + g).getBytes(StandardCharsets.UTF_8)));
    }
    if (!c.threaded) {
      c.await("proposals", () -> fs.stream().allMatch(CompletableFuture::isDone), 60_000);
    }
    CompletableFuture.allOf(fs.toArray(new CompletableFuture[0])).orTimeout(60, TimeUnit.SECONDS).join();
  }

  private static boolean allApplied(LocalCluster c, int groups, long count) {
    for (long id : c.nodes.keySet()) {
      Map<Long, CountingStateMachine> sms = c.machines.get(id);
      for (long g = 1; g <= groups; g++) {
        CountingStateMachine sm = sms.get(g);
        if (sm == null || sm.count < count) {
          return false;
        }
      }
    }
    return true;
  }

  @Test
  void thousandGroupsOnThreeNodesElectReplicateAndSurviveARestart() {
    int groups = 1000;
    // Ticks of 50 ms (elections after 0.5-1 s) keep real-time elections stable on a loaded machine.
    try (LocalCluster c = new LocalCluster(3, true, 50_000_000L)) {
      createAll(c, groups);
      c.await("every group has a leader", () -> allLed(c, groups), 60_000);
      Map<Long, Long> leaders = leaders(c, 1, groups);
      proposeAll(c, groups, leaders, "a");
      c.await("every replica applied", () -> allApplied(c, groups, 1), 30_000);
      assertTrue(c.node(1).logSyncs() < groups, "log writes of many groups share syncs: " + c.node(1).logSyncs());

      // Node 3 dies: only the groups it led elect again; the others keep their leader.
      c.stop(3);
      c.await("groups re-elected away from node 3", () -> allLed(c, groups), 60_000);
      Map<Long, Long> after = leaders(c, 1, groups);
      int changed = 0;
      int ledByLive = 0;
      for (long g = 1; g <= groups; g++) {
        if (leaders.get(g) != 3) {
          ledByLive++;
          if (!leaders.get(g).equals(after.get(g))) {
            changed++;
          }
        } else {
          assertNotEquals(3L, after.get(g));
        }
      }
      // Exactly none in the deterministic test (unreachableNodeWakesOnlyTheGroupsItLed); with real
      // threads on a shared 2-core machine a starved tick may cost a rare group its leader.
      assertTrue(changed <= ledByLive / 100, changed + " of " + ledByLive + " groups led by live nodes changed leader");

      // Node 3 restarts from what it had synced and catches up.
      c.stores.get(3L).crash();
      c.start(3);
      c.transport.heal(3);
      c.await("every group has a leader after restart", () -> allLed(c, groups), 60_000);
      proposeAll(c, groups, leaders(c, 1, groups), "b");
      c.await("every replica, node 3 included, applied both commands", () -> allApplied(c, groups, 2), 60_000);
      for (long g = 1; g <= groups; g++) {
        long h = c.machines.get(1L).get(g).hash;
        for (long id = 2; id <= 3; id++) {
          assertEquals(h, c.machines.get(id).get(g).hash, "group " + g + " diverged on node " + id);
        }
      }
    }
  }

  @Test
  void quiescedGroupsSendNoMessagesAndTickNothing() {
    int groups = 10_000;
    try (LocalCluster c = new LocalCluster(3, false, 50_000_000L)) {
      createAll(c, groups);
      c.await("all groups quiesced", () -> c.nodes.values().stream().allMatch(n -> n.activeGroups() == 0), 600_000);
      long sent = c.nodes.values().stream().mapToLong(n -> n.counters().messagesSent()).sum();
      long ticks = c.nodes.values().stream().mapToLong(n -> n.counters().ticks.sum()).sum();
      c.advanceTicks(200); // ten seconds of virtual time
      assertEquals(sent, c.nodes.values().stream().mapToLong(n -> n.counters().messagesSent()).sum(), "messages while idle");
      assertEquals(ticks, c.nodes.values().stream().mapToLong(n -> n.counters().ticks.sum()).sum(), "ticks while idle");

      // One proposal wakes one group, which goes idle again afterwards.
      long leader = leaders(c, 1, 1).get(1L);
      CompletableFuture<Object> f = c.node(leader).propose(1, "x".getBytes(StandardCharsets.UTF_8));
      c.await("proposal applied", f::isDone, 10_000);
      assertEquals(1L, f.join());
      assertTrue(c.nodes.values().stream().allMatch(n -> n.activeGroups() <= 1), "only the proposed group woke");
      c.await("quiesced again", () -> c.nodes.values().stream().allMatch(n -> n.activeGroups() == 0), 10_000);
    }
  }

  @Test
  void unreachableNodeWakesOnlyTheGroupsItLed() {
    int groups = 300;
    try (LocalCluster c = new LocalCluster(3, false, 50_000_000L)) {
      createAll(c, groups);
      c.await("all quiesced", () -> c.nodes.values().stream().allMatch(n -> n.activeGroups() == 0), 600_000);
      Map<Long, Long> leaders = leaders(c, 1, groups);
      long ledBy3 = leaders.values().stream().filter(l -> l == 3).count();
      assertTrue(ledBy3 > 0 && ledBy3 < groups, "node 3 leads some groups: " + ledBy3);
      long woken1 = c.node(1).counters().woken.sum();

      c.transport.isolate(3);
      c.settle();
      // No storm: node 1 woke exactly the groups node 3 led.
      assertEquals(ledBy3, c.node(1).counters().woken.sum() - woken1);
      assertEquals(ledBy3, c.node(1).activeGroups());
      c.nodes.remove(3L).close();
      c.await("re-elected", () -> allLed(c, groups), 60_000);
    }
  }

  @Test
  void requestTimeoutSaysWhyAndBadRequestsGetTypedErrors() {
    try (LocalCluster c = new LocalCluster(3, false, 50_000_000L)) {
      createAll(c, 1);
      c.await("leader", () -> allLed(c, 1), 60_000);
      long leader = leaders(c, 1, 1).get(1L);
      long follower = leader == 1 ? 2 : 1;

      // A follower refuses with the leader's id, for redirect.
      CompletableFuture<Object> notLeader = c.node(follower).propose(1, new byte[] {1});
      c.settle();
      CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, notLeader::join);
      RaftException.NotLeader nl = assertInstanceOf(RaftException.NotLeader.class, e.getCause());
      assertEquals(leader, nl.leaderHint());

      // Unknown group: typed error; a message for it is counted and dropped.
      CompletableFuture<Object> unknown = c.node(leader).propose(99, new byte[] {1});
      c.settle();
      e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, unknown::join);
      assertInstanceOf(RaftException.GroupNotFound.class, e.getCause());
      long before = c.node(leader).counters().unknownGroupMessages.sum();
      c.transport.send(follower, leader, List.of(Message.builder(MessageType.HEARTBEAT).group(99).from(follower).to(leader).term(1).build()));
      c.settle();
      assertEquals(before + 1, c.node(leader).counters().unknownGroupMessages.sum());

      // Cut the leader off: its proposal cannot commit; the timeout names the likely cause.
      for (long id : c.nodes.keySet()) {
        if (id != leader) {
          c.transport.isolate(id);
        }
      }
      CompletableFuture<Object> stuck = c.node(leader).propose(1, new byte[] {2});
      c.await("timeout", stuck::isDone, 60_000);
      e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, stuck::join);
      assertInstanceOf(RaftException.Timeout.class, e.getCause());
      assertTrue(e.getCause().getMessage().contains("possibly due to leader down"), e.getCause().getMessage());
      assertNotEquals(Role.LEADER, c.status(leader, 1).role(), "CheckQuorum made the cut-off leader step down");
    }
  }
}
