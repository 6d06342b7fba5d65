package io.multiraft.rangestore.admin;

import io.multiraft.core.GroupStatus;
import io.multiraft.rangestore.api.RangeStore;
import io.multiraft.rangestore.codec.Decoder;
import io.multiraft.rangestore.codec.Encoder;
import io.multiraft.rangestore.kv.RangeState;
import io.multiraft.rangestore.range.DescriptorCodec;
import io.multiraft.rangestore.range.RangeDescriptor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One node's replicas in one admin reply, for another node's replica collector: every range it
 * holds a state or a group of, with the Raft status and the range state of each, and its routing
 * table's ranges.
 */
record ReplicaReport(List<Long> localRangeIds, Map<Long, GroupStatus> statuses, java.util.Set<Long> withoutGroup,
    Map<Long, RangeState> states, List<RangeDescriptor> knownRanges) {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ReplicaReport.class);
  private static final long STATUS_TIMEOUT_MS = 5_000;

  /** What a report says of a range's Raft group: no answer (older nodes also say it of a missing group), a status, no group. */
  private static final int NO_ANSWER = 0;
  private static final int STATUS = 1;
  private static final int NO_GROUP = 2;

  static final ReplicaReport EMPTY = new ReplicaReport(List.of(), Map.of(), java.util.Set.of(), Map.of(), List.of());

  static void write(Encoder out, RangeStore s) {
    java.util.Set<Long> local = new java.util.HashSet<>(s.localRangeIds());
    List<RangeDescriptor> known = s.router().ranges();
    TreeSet<Long> ids = new TreeSet<>(local);
    known.forEach(d -> ids.add(d.rangeId()));
    Map<Long, CompletableFuture<GroupStatus>> asked = new HashMap<>();
    for (long id : ids) {
      asked.put(id, s.raft().status(id)); // all at once: the workers answer them in parallel
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STATUS_TIMEOUT_MS); // one for all
    out.i32(ids.size());
    for (long id : ids) {
      GroupStatus st = null;
      int has = NO_ANSWER;
      try {
        st = asked.get(id).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        has = STATUS;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (java.util.concurrent.ExecutionException e) {
        has = e.getCause() instanceof io.multiraft.node.RaftException.GroupNotFound ? NO_GROUP : NO_ANSWER;
      } catch (java.util.concurrent.TimeoutException e) {
        // no answer in time: reported without a status
      }
      RangeState state = s.localState(id);
      out.i64(id).u8(local.contains(id) ? 1 : 0).u8(has);
      if (st != null) {
        WireCodec.writeStatus(out, st);
      }
      out.bytes(state == null ? null : state.encode());
    }
    out.i32(known.size());
    for (RangeDescriptor d : known) {
      DescriptorCodec.write(out, d);
    }
  }

  static ReplicaReport read(Decoder in) {
    int n = in.count("replicas", 14);
    List<Long> local = new ArrayList<>();
    Map<Long, GroupStatus> statuses = new HashMap<>();
    java.util.Set<Long> withoutGroup = new java.util.HashSet<>();
    Map<Long, RangeState> states = new HashMap<>();
    for (int i = 0; i < n; i++) {
      long id = in.i64("range");
      if (in.u8("local") == 1) {
        local.add(id);
      }
      int has = in.u8("has status");
      if (has == STATUS) {
        statuses.put(id, WireCodec.readStatus(in));
      } else if (has == NO_GROUP) {
        withoutGroup.add(id);
      }
      byte[] state = in.bytes("state");
      if (state != null) {
        states.put(id, RangeState.decode(state));
      }
    }
    int k = in.count("ranges", 8);
    List<RangeDescriptor> known = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      known.add(DescriptorCodec.read(in));
    }
    return new ReplicaReport(local, statuses, withoutGroup, states, known);
  }

  /**
   * The report of the node behind {@code client}; an unreachable node (or a bad reply, logged)
   * reports nothing, which keeps the collector from acting on what that node holds.
   */
  static ReplicaReport fetch(AdminClient client) {
    try {
      return read(client.call("replicas", new Encoder(8)));
    } catch (io.multiraft.rangestore.codec.MalformedException e) {
      LOG.warn("replica report from {} is malformed: {}", client.address(), e.getMessage());
      return EMPTY;
    } catch (RuntimeException e) {
      LOG.debug("no replica report from {}: {}", client.address(), e.toString());
      return EMPTY;
    }
  }
}
