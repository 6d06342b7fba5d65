package io.multiraft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Membership changes computed by {@link ConfChanger}: simple changes, joint consensus, learners. */
class ConfChangerTest {
  private ProgressTracker trk;

  @BeforeEach
  void setUp() {
    trk = new ProgressTracker(16, 0);
    trk.restore(ConfState.ofVoters(1, 2, 3), 10);
  }

  /** Computes and switches in the change, as Raft.applyConfChange does. */
  private ConfState apply(ConfChange cc) throws ConfChanger.InvalidConfChangeException {
    ConfChanger.Result r = new ConfChanger(trk, 10).apply(cc);
    trk.apply(r.conf(), r.progress());
    return r.conf();
  }

  private static ConfChange.Single v(long id) {
    return new ConfChange.Single(ConfChange.Type.ADD_VOTER, id);
  }

  private static ConfChange.Single l(long id) {
    return new ConfChange.Single(ConfChange.Type.ADD_LEARNER, id);
  }

  private static ConfChange.Single r(long id) {
    return new ConfChange.Single(ConfChange.Type.REMOVE, id);
  }

  @Test
  void simpleAddVoterCreatesProgress() throws Exception {
    ConfState cs = apply(ConfChange.addVoter(4));
    assertEquals(Set.of(1L, 2L, 3L, 4L), cs.voters());
    assertFalse(cs.isJoint());
    assertTrue(trk.all().containsKey(4L));
    assertTrue(trk.isVoter(4));
  }

  @Test
  void simpleRemoveDropsVoterAndProgress() throws Exception {
    ConfState cs = apply(ConfChange.remove(3));
    assertEquals(Set.of(1L, 2L), cs.voters());
    assertFalse(trk.all().containsKey(3L));
    assertFalse(trk.isVoter(3));
    // Removing a non-member is a no-op, not an error.
    assertEquals(Set.of(1L, 2L), apply(ConfChange.remove(9)).voters());
  }

  @Test
  void addingAnExistingVoterKeepsItsProgress() throws Exception {
    Progress before = trk.get(2);
    before.match = 7;
    apply(ConfChange.addVoter(2));
    assertSame(before, trk.get(2));
    assertEquals(7, trk.get(2).match);
  }

  @Test
  void moreThanOneVoterChangeNeverAppliesWithoutJointConsensus() throws Exception {
    // Two voter changes in an AUTO change: applying them at once could create two disjoint
    // majorities, so they must go through a joint configuration.
    ConfState cs = apply(ConfChange.of(v(4), r(1)));
    assertTrue(cs.isJoint(), "two voter changes must enter joint consensus: " + cs);
    assertEquals(Set.of(1L, 2L, 3L), cs.votersOutgoing());
    assertEquals(Set.of(2L, 3L, 4L), cs.voters());
    assertTrue(cs.autoLeave());
  }

  @Test
  void simpleChangeInsideJointConfigIsRejected() throws Exception {
    apply(new ConfChange(ConfChange.Transition.JOINT_EXPLICIT, List.of(v(4))));
    ConfState before = trk.conf;
    assertThrows(ConfChanger.InvalidConfChangeException.class, () -> new ConfChanger(trk, 10).apply(ConfChange.addVoter(5)));
    assertThrows(ConfChanger.InvalidConfChangeException.class,
        () -> new ConfChanger(trk, 10).apply(new ConfChange(ConfChange.Transition.JOINT_EXPLICIT, List.of(v(5)))),
        "entering joint twice");
    assertSame(before, trk.conf);
  }

  @Test
  void enterAndLeaveJoint() throws Exception {
    ConfState joint = apply(new ConfChange(ConfChange.Transition.JOINT_EXPLICIT, List.of(v(4), r(3))));
    assertEquals(Set.of(1L, 2L, 4L), joint.voters());
    assertEquals(Set.of(1L, 2L, 3L), joint.votersOutgoing());
    assertFalse(joint.autoLeave(), "explicit joint is left by the application");
    assertTrue(trk.all().containsKey(3L), "an outgoing voter keeps its progress while joint");
    assertTrue(trk.isVoter(3), "an outgoing voter still votes while joint");

    ConfState left = apply(ConfChange.leaveJoint());
    assertFalse(left.isJoint());
    assertEquals(Set.of(1L, 2L, 4L), left.voters());
    assertFalse(trk.all().containsKey(3L), "leaving joint drops the removed voter's progress");
    assertFalse(trk.isVoter(3));
  }

  @Test
  void implicitJointLeavesAutomatically() throws Exception {
    ConfState joint = apply(new ConfChange(ConfChange.Transition.JOINT_IMPLICIT, List.of(v(4))));
    assertTrue(joint.isJoint());
    assertTrue(joint.autoLeave());
  }

  @Test
  void leavingANonJointConfigIsRejected() {
    assertThrows(ConfChanger.InvalidConfChangeException.class, () -> new ConfChanger(trk, 10).apply(ConfChange.leaveJoint()));
  }

  @Test
  void removingAllVotersIsRejected() throws Exception {
    apply(ConfChange.remove(3));
    apply(ConfChange.remove(2));
    assertThrows(ConfChanger.InvalidConfChangeException.class, () -> new ConfChanger(trk, 10).apply(ConfChange.remove(1)));
    assertThrows(ConfChanger.InvalidConfChangeException.class,
        () -> new ConfChanger(trk, 10).apply(new ConfChange(ConfChange.Transition.JOINT_EXPLICIT, List.of(r(1)))));
  }

  // A replica created empty to join must take its first configuration from a snapshot: replaying
  // "add v4" onto nothing would make a one-voter configuration that never existed.
  @Test
  void simpleChangeOnEmptyMembershipIsRejected() {
    ProgressTracker empty = new ProgressTracker(16, 0);
    empty.restore(ConfState.EMPTY, 0);
    assertThrows(ConfChanger.InvalidConfChangeException.class, () -> new ConfChanger(empty, 0).apply(ConfChange.addVoter(4)));
    assertThrows(ConfChanger.InvalidConfChangeException.class,
        () -> new ConfChanger(empty, 0).apply(new ConfChange(ConfChange.Transition.JOINT_EXPLICIT, List.of(v(4)))));
  }

  @Test
  void invalidNodeIdIsRejected() {
    assertThrows(ConfChanger.InvalidConfChangeException.class, () -> new ConfChanger(trk, 10).apply(ConfChange.addVoter(0)));
    assertThrows(ConfChanger.InvalidConfChangeException.class, () -> new ConfChanger(trk, 10).apply(ConfChange.addLearner(-4)));
  }

  @Test
  void learnersAreAddedPromotedAndDemoted() throws Exception {
    ConfState cs = apply(ConfChange.addLearner(4));
    assertEquals(Set.of(4L), cs.learners());
    assertEquals(Set.of(1L, 2L, 3L), cs.voters());
    assertTrue(trk.get(4).isLearner);
    assertFalse(trk.isVoter(4));

    cs = apply(ConfChange.addVoter(4)); // promotion
    assertEquals(Set.of(1L, 2L, 3L, 4L), cs.voters());
    assertTrue(cs.learners().isEmpty());

    cs = apply(ConfChange.addLearner(3)); // demotion outside joint: one voter change, applied directly
    assertEquals(Set.of(1L, 2L, 4L), cs.voters());
    assertEquals(Set.of(3L), cs.learners());
    assertTrue(trk.all().containsKey(3L), "a demoted voter keeps its progress");
  }

  @Test
  void demotionInsideJointGoesThroughLearnersNext() throws Exception {
    ConfState joint = apply(new ConfChange(ConfChange.Transition.JOINT_EXPLICIT, List.of(l(3))));
    assertEquals(Set.of(1L, 2L), joint.voters());
    assertEquals(Set.of(1L, 2L, 3L), joint.votersOutgoing());
    assertEquals(Set.of(3L), joint.learnersNext());
    assertTrue(joint.learners().isEmpty(), "a node cannot be a learner while it still votes in the outgoing half");
    assertTrue(trk.isVoter(3));

    ConfState left = apply(ConfChange.leaveJoint());
    assertEquals(Set.of(1L, 2L), left.voters());
    assertEquals(Set.of(3L), left.learners());
    assertTrue(left.learnersNext().isEmpty());
    assertTrue(trk.all().containsKey(3L), "the demoted voter stays as a learner with its progress");
    assertFalse(trk.isVoter(3));
  }

  @Test
  void readdingALearnerNextAsVoterCancelsTheDemotion() throws Exception {
    ConfState joint = apply(new ConfChange(ConfChange.Transition.JOINT_EXPLICIT, List.of(l(3), v(3))));
    assertTrue(joint.learnersNext().isEmpty());
    assertTrue(joint.voters().contains(3L));
  }

  @Test
  void computingAChangeLeavesTheTrackerUntouched() throws Exception {
    // proposeConfChange uses the changer as a dry run for the strict quorum check.
    ConfState before = trk.conf;
    TreeMap<Long, Progress> prsBefore = new TreeMap<>(trk.all());
    ConfChanger.Result r = new ConfChanger(trk, 10).apply(new ConfChange(ConfChange.Transition.JOINT_EXPLICIT, List.of(r(3), l(2), v(5))));
    assertSame(before, trk.conf);
    assertEquals(prsBefore, trk.all());
    assertFalse(trk.get(2).isLearner, "learner flags are set only when the result is switched in");
    assertTrue(r.progress().containsKey(5L));
    assertFalse(trk.all().containsKey(5L));
  }
}
