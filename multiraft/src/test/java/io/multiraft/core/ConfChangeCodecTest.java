package io.multiraft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The byte form of membership changes: exact round trips, and every malformed input refused. */
class ConfChangeCodecTest {

  private static ConfChange.Single s(ConfChange.Type t, long id) {
    return new ConfChange.Single(t, id);
  }

  @Test
  void roundTrips() {
    List<ConfChange> all = List.of(
        ConfChange.leaveJoint(),
        ConfChange.addVoter(1),
        ConfChange.addLearner(Long.MAX_VALUE),
        ConfChange.remove(0x0102030405060708L),
        ConfChange.of(s(ConfChange.Type.ADD_VOTER, 4), s(ConfChange.Type.REMOVE, 1), s(ConfChange.Type.ADD_LEARNER, 2)),
        new ConfChange(ConfChange.Transition.JOINT_IMPLICIT, List.of(s(ConfChange.Type.ADD_VOTER, 300))),
        new ConfChange(ConfChange.Transition.JOINT_EXPLICIT, List.of(s(ConfChange.Type.ADD_LEARNER, 255), s(ConfChange.Type.ADD_VOTER, 256))),
        new ConfChange(ConfChange.Transition.JOINT_EXPLICIT, List.of()));
    for (ConfChange cc : all) {
      byte[] b = ConfChangeCodec.encode(cc);
      assertEquals(4 + 9 * cc.changes().size(), b.length, cc.toString());
      assertEquals(cc, ConfChangeCodec.decode(b), cc.toString());
    }
  }

  @Test
  void manyChangesRoundTrip() {
    List<ConfChange.Single> changes = new ArrayList<>();
    for (int i = 1; i <= 300; i++) { // more than 255: the count takes two bytes
      changes.add(s(ConfChange.Type.values()[i % 3], i));
    }
    ConfChange cc = new ConfChange(ConfChange.Transition.JOINT_IMPLICIT, changes);
    assertEquals(cc, ConfChangeCodec.decode(ConfChangeCodec.encode(cc)));
  }

  @Test
  void tooShortInputsAreMalformed() {
    assertMalformed(null);
    assertMalformed(new byte[0]);
    assertMalformed(new byte[] {1, 0, 0});
  }

  @Test
  void truncatedInputIsMalformed() {
    byte[] b = ConfChangeCodec.encode(ConfChange.of(s(ConfChange.Type.ADD_VOTER, 4), s(ConfChange.Type.REMOVE, 1)));
    for (int len = 0; len < b.length; len++) {
      assertMalformed(Arrays.copyOf(b, len));
    }
  }

  @Test
  void trailingBytesAreMalformed() {
    byte[] b = ConfChangeCodec.encode(ConfChange.addVoter(4));
    assertMalformed(Arrays.copyOf(b, b.length + 1));
  }

  @Test
  void unknownVersionIsMalformed() {
    byte[] b = ConfChangeCodec.encode(ConfChange.addVoter(4));
    b[0] = 2;
    assertMalformed(b);
    b[0] = 0;
    assertMalformed(b);
  }

  @Test
  void unknownTransitionIsMalformed() {
    byte[] b = ConfChangeCodec.encode(ConfChange.addVoter(4));
    b[1] = 3;
    assertMalformed(b);
    b[1] = (byte) 0xff;
    assertMalformed(b);
  }

  @Test
  void unknownChangeTypeIsMalformed() {
    byte[] b = ConfChangeCodec.encode(ConfChange.addVoter(4));
    b[4] = 3;
    assertMalformed(b);
    b[4] = (byte) 0x80;
    assertMalformed(b);
  }

  @Test
  void nonPositiveNodeIdIsMalformed() {
    byte[] zero = ConfChangeCodec.encode(ConfChange.addVoter(4));
    zero[12] = 0;
    assertMalformed(zero);
    byte[] negative = ConfChangeCodec.encode(ConfChange.addVoter(4));
    negative[5] = (byte) 0x80;
    assertMalformed(negative);
  }

  @Test
  void hugeCountIsMalformedWithoutAllocating() {
    byte[] b = {1, 0, (byte) 0xff, (byte) 0xff};
    assertMalformed(b);
  }

  private static void assertMalformed(byte[] b) {
    assertThrows(ConfChangeCodec.MalformedConfChangeException.class, () -> ConfChangeCodec.decode(b),
        () -> "decoding " + Arrays.toString(b));
  }
}
