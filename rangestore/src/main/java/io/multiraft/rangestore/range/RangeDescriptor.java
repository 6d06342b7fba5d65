package io.multiraft.rangestore.range;

import io.multiraft.core.ConfState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A range: its id (also its Raft group's id), the key span [start, end) it owns, its replicas and
 * a generation bumped by every split and merge, so a stale descriptor can be told from a fresh one.
 * Immutable; the key arrays are copied in and must not be mutated.
 */
public final class RangeDescriptor {
  private final long rangeId;
  private final byte[] startKey;
  private final byte[] endKey;
  private final List<ReplicaDescriptor> replicas;
  private final long generation;

  public RangeDescriptor(long rangeId, byte[] startKey, byte[] endKey, List<ReplicaDescriptor> replicas, long generation) {
    if (rangeId <= 0) {
      throw new IllegalArgumentException("range ids are > 0, got " + rangeId);
    }
    Objects.requireNonNull(startKey, "startKey (use Keys.MIN for the start of the key space)");
    if (endKey != null && Keys.compare(startKey, endKey) >= 0) {
      throw new IllegalArgumentException("range " + rangeId + ": start " + Keys.show(startKey) + " must be below end " + Keys.show(endKey));
    }
    if (generation < 0) {
      throw new IllegalArgumentException("generation must be >= 0, got " + generation);
    }
    this.rangeId = rangeId;
    this.startKey = startKey.clone();
    this.endKey = endKey == null ? null : endKey.clone();
    List<ReplicaDescriptor> sorted = new ArrayList<>(replicas);
    sorted.sort((a, b) -> Long.compare(a.nodeId(), b.nodeId()));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).nodeId() == sorted.get(i - 1).nodeId()) {
        throw new IllegalArgumentException("range " + rangeId + ": node " + sorted.get(i).nodeId() + " listed twice");
      }
    }
    this.replicas = List.copyOf(sorted);
    this.generation = generation;
  }

  /** Replicas as a Raft membership: voters and learners (a joint membership lists both halves as voters). */
  public static List<ReplicaDescriptor> replicasOf(ConfState conf) {
    Set<Long> voters = new TreeSet<>(conf.voters());
    voters.addAll(conf.votersOutgoing());
    List<ReplicaDescriptor> out = new ArrayList<>();
    for (long v : voters) {
      out.add(new ReplicaDescriptor(v, ReplicaDescriptor.Role.VOTER));
    }
    for (long l : conf.learners()) {
      if (!voters.contains(l)) {
        out.add(new ReplicaDescriptor(l, ReplicaDescriptor.Role.LEARNER));
      }
    }
    return out;
  }

  public long rangeId() {
    return rangeId;
  }

  public byte[] startKey() {
    return startKey.clone();
  }

  /** The exclusive end, or null for the end of the key space. */
  public byte[] endKey() {
    return endKey == null ? null : endKey.clone();
  }

  public List<ReplicaDescriptor> replicas() {
    return replicas;
  }

  public long generation() {
    return generation;
  }

  public boolean contains(byte[] key) {
    return Keys.inSpan(key, startKey, endKey);
  }

  /** Whether [start, end) lies within this range (end null: to the end of the key space). */
  public boolean containsSpan(byte[] start, byte[] end) {
    return Keys.compare(start, startKey) >= 0 && Keys.compareEnd(end, endKey) <= 0;
  }

  public boolean hasReplicaOn(long nodeId) {
    for (ReplicaDescriptor r : replicas) {
      if (r.nodeId() == nodeId) {
        return true;
      }
    }
    return false;
  }

  public Set<Long> nodeIds() {
    Set<Long> out = new TreeSet<>();
    for (ReplicaDescriptor r : replicas) {
      out.add(r.nodeId());
    }
    return out;
  }

  public RangeDescriptor withSpan(byte[] start, byte[] end, long newGeneration) {
    return new RangeDescriptor(rangeId, start, end, replicas, newGeneration);
  }

  public RangeDescriptor withReplicas(List<ReplicaDescriptor> newReplicas) {
    return new RangeDescriptor(rangeId, startKey, endKey, newReplicas, generation);
  }

  /** Another range with this one's replicas (the right half of a split). */
  public RangeDescriptor withId(long newId, byte[] start, byte[] end, long newGeneration) {
    return new RangeDescriptor(newId, start, end, replicas, newGeneration);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RangeDescriptor d && d.rangeId == rangeId && d.generation == generation
        && Arrays.equals(d.startKey, startKey) && Arrays.equals(d.endKey, endKey) && d.replicas.equals(replicas);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(rangeId) * 31 + Long.hashCode(generation);
  }

  @Override
  public String toString() {
    return "r" + rangeId + "[" + Keys.show(startKey) + ", " + Keys.show(endKey) + ") gen " + generation + " " + replicas;
  }
}
