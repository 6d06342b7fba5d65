package io.multiraft.rangestore.kv;

import io.multiraft.core.ConfState;
import io.multiraft.rangestore.codec.Decoder;
import io.multiraft.rangestore.codec.Encoder;
import io.multiraft.rangestore.codec.MalformedException;
import io.multiraft.rangestore.range.DescriptorCodec;
import io.multiraft.rangestore.range.RangeDescriptor;
import java.util.ArrayList;
import java.util.List;

/**
 * What a replica records about its range in the same WriteBatch as every change to the range's
 * data: the applied position, the membership as of it and the descriptor. Reading it back after a
 * crash gives a consistent point: nothing applied twice, no membership paired with the wrong index.
 *
 * @param frozen the range is frozen for a merge into its left neighbour: it accepts no writes
 * @param recentSplits the right ranges of this range's last few splits, as created: a replica that
 *     learns of a split only through a later snapshot creates their replicas from this (otherwise
 *     the split would be missing on it for good, as in RheaKV #653)
 */
public record RangeState(long appliedIndex, long appliedTerm, ConfState conf, RangeDescriptor descriptor, boolean frozen,
    List<RangeDescriptor> recentSplits) {
  private static final int VERSION = 1;
  /** Splits remembered per range: enough for a replica that missed a burst of splits. */
  static final int RECENT_SPLITS = 8;

  public RangeState {
    recentSplits = List.copyOf(recentSplits);
  }

  public RangeState(long appliedIndex, long appliedTerm, ConfState conf, RangeDescriptor descriptor, boolean frozen) {
    this(appliedIndex, appliedTerm, conf, descriptor, frozen, List.of());
  }

  /** The state after a split that created {@code right}: it is remembered, the oldest forgotten. */
  public RangeState withSplit(RangeDescriptor left, RangeDescriptor right) {
    List<RangeDescriptor> splits = new ArrayList<>(recentSplits);
    splits.add(right);
    while (splits.size() > RECENT_SPLITS) {
      splits.remove(0);
    }
    return new RangeState(appliedIndex, appliedTerm, conf, left, frozen, splits);
  }

  public RangeState withApplied(long index, long term) {
    return new RangeState(index, term, conf, descriptor, frozen, recentSplits);
  }

  public RangeState withDescriptor(RangeDescriptor d) {
    return new RangeState(appliedIndex, appliedTerm, conf, d, frozen, recentSplits);
  }

  public RangeState withConf(ConfState c) {
    return new RangeState(appliedIndex, appliedTerm, c, descriptor.withReplicas(RangeDescriptor.replicasOf(c)), frozen, recentSplits);
  }

  public RangeState withFrozen(boolean f) {
    return new RangeState(appliedIndex, appliedTerm, conf, descriptor, f, recentSplits);
  }

  void write(Encoder e) {
    e.u8(VERSION).i64(appliedIndex).i64(appliedTerm).u8(frozen ? 1 : 0);
    DescriptorCodec.writeConf(e, conf);
    DescriptorCodec.write(e, descriptor);
    e.i32(recentSplits.size());
    for (RangeDescriptor d : recentSplits) {
      DescriptorCodec.write(e, d);
    }
  }

  static RangeState read(Decoder d) {
    int v = d.u8("range state version");
    if (v != VERSION) {
      throw new MalformedException("range state version " + v + " is not supported (this build reads " + VERSION + ")");
    }
    long index = d.i64("applied index");
    long term = d.i64("applied term");
    boolean frozen = d.u8("frozen") != 0;
    ConfState conf = DescriptorCodec.readConf(d);
    RangeDescriptor desc = DescriptorCodec.read(d);
    int n = d.count("recent splits", 29);
    List<RangeDescriptor> splits = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      splits.add(DescriptorCodec.read(d));
    }
    return new RangeState(index, term, conf, desc, frozen, splits);
  }

  public byte[] encode() {
    Encoder e = new Encoder(128);
    write(e);
    return e.finishWithChecksum();
  }

  public static RangeState decode(byte[] data) {
    Decoder d = Decoder.checked(data, "range state");
    RangeState s = read(d);
    d.expectEnd("range state");
    return s;
  }
}
