package io.multiraft.rangestore.range;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.core.ConfState;
import io.multiraft.rangestore.codec.Decoder;
import io.multiraft.rangestore.codec.Encoder;
import io.multiraft.rangestore.codec.MalformedException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class DescriptorCodecTest {
  static byte[] k(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static final RangeDescriptor D = new RangeDescriptor(7, k("b"), k("m"),
      List.of(new ReplicaDescriptor(3, ReplicaDescriptor.Role.LEARNER), new ReplicaDescriptor(1, ReplicaDescriptor.Role.VOTER)), 4);

  @Test
  void roundTripsDescriptorsIncludingOpenEnds() {
    assertEquals(D, DescriptorCodec.decode(DescriptorCodec.encode(D)));
    RangeDescriptor all = new RangeDescriptor(1, Keys.MIN, null, List.of(), 0);
    assertEquals(all, DescriptorCodec.decode(DescriptorCodec.encode(all)));
  }

  @Test
  void spansAreHalfOpen() {
    assertTrue(D.contains(k("b")));
    assertTrue(D.contains(k("lzz")));
    assertFalse(D.contains(k("m")));
    assertFalse(D.contains(k("a")));
    RangeDescriptor all = new RangeDescriptor(1, Keys.MIN, null, List.of(), 0);
    assertTrue(all.contains(new byte[] {(byte) 0xff, (byte) 0xff}));
    assertTrue(all.contains(Keys.MIN));
  }

  @Test
  void refusesDamageAndNonsense() {
    byte[] bytes = DescriptorCodec.encode(D);
    for (int i = 0; i < bytes.length; i++) {
      byte[] bad = bytes.clone();
      bad[i] ^= 0x10;
      assertThrows(MalformedException.class, () -> DescriptorCodec.decode(bad), "flip at byte " + i);
    }
    for (int n = 0; n < bytes.length; n++) {
      byte[] cut = java.util.Arrays.copyOf(bytes, n);
      assertThrows(MalformedException.class, () -> DescriptorCodec.decode(cut), "cut at " + n);
    }
    assertThrows(IllegalArgumentException.class, () -> new RangeDescriptor(1, k("m"), k("b"), List.of(), 0));
    assertThrows(IllegalArgumentException.class, () -> new RangeDescriptor(1, k("a"), null,
        List.of(new ReplicaDescriptor(1, ReplicaDescriptor.Role.VOTER), new ReplicaDescriptor(1, ReplicaDescriptor.Role.LEARNER)), 0));
  }

  @Test
  void roundTripsJointMemberships() {
    ConfState joint = new ConfState(new TreeSet<>(Set.of(1L, 2L)), new TreeSet<>(Set.of(4L)),
        new TreeSet<>(Set.of(1L, 3L)), new TreeSet<>(Set.of(3L)), true);
    Encoder e = new Encoder(8);
    DescriptorCodec.writeConf(e, joint);
    assertEquals(joint, DescriptorCodec.readConf(Decoder.of(e.toBytes())));
    assertEquals(List.of(new ReplicaDescriptor(1, ReplicaDescriptor.Role.VOTER), new ReplicaDescriptor(2, ReplicaDescriptor.Role.VOTER),
        new ReplicaDescriptor(3, ReplicaDescriptor.Role.VOTER), new ReplicaDescriptor(4, ReplicaDescriptor.Role.LEARNER)),
        RangeDescriptor.replicasOf(joint));
  }
}
