package io.multiraft.rangestore.kv;

import io.multiraft.core.ConfState;
import io.multiraft.rangestore.codec.Decoder;
import io.multiraft.rangestore.codec.Encoder;
import io.multiraft.rangestore.codec.MalformedException;
import io.multiraft.rangestore.range.DescriptorCodec;
import io.multiraft.rangestore.range.RangeDescriptor;

/**
 * What a replica records about its range in the same WriteBatch as every change to the range's
 * data: the applied position, the membership as of it and the descriptor. Reading it back after a
 * crash gives a consistent point: nothing applied twice, no membership paired with the wrong index.
 *
 * @param frozen the range is frozen for a merge into its left neighbour: it accepts no writes
 */
public record RangeState(long appliedIndex, long appliedTerm, ConfState conf, RangeDescriptor descriptor, boolean frozen) {
  private static final int VERSION = 1;

  public RangeState withApplied(long index, long term) {
    return new RangeState(index, term, conf, descriptor, frozen);
  }

  public RangeState withDescriptor(RangeDescriptor d) {
    return new RangeState(appliedIndex, appliedTerm, conf, d, frozen);
  }

  public RangeState withConf(ConfState c) {
    return new RangeState(appliedIndex, appliedTerm, c, descriptor.withReplicas(RangeDescriptor.replicasOf(c)), frozen);
  }

  public RangeState withFrozen(boolean f) {
    return new RangeState(appliedIndex, appliedTerm, conf, descriptor, f);
  }

  void write(Encoder e) {
    e.u8(VERSION).i64(appliedIndex).i64(appliedTerm).u8(frozen ? 1 : 0);
    DescriptorCodec.writeConf(e, conf);
    DescriptorCodec.write(e, descriptor);
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
    return new RangeState(index, term, conf, desc, frozen);
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
