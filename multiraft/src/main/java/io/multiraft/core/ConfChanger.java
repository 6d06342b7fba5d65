package io.multiraft.core;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Computes the membership that results from a {@link ConfChange}, without touching the tracker: the
 * result is swapped in whole, or, for an invalid change, not at all. Existing progress objects are
 * shared with the result but never modified here (a dry run for the strict check must leave no
 * trace); learner flags are set when the result is switched in. Joint consensus follows the
 * Raft thesis §4.3: enter a joint configuration (old and new must both agree), then leave it.
 */
final class ConfChanger {
  /** A change that cannot apply to the current configuration. */
  static final class InvalidConfChangeException extends Exception {
    InvalidConfChangeException(String message) {
      super(message, null, false, false);
    }
  }

  record Result(ConfState conf, TreeMap<Long, Progress> progress) {}

  private final ProgressTracker tracker;
  private final long lastIndex;

  private TreeSet<Long> incoming;
  private TreeSet<Long> outgoing;
  private TreeSet<Long> learners;
  private TreeSet<Long> learnersNext;
  private TreeMap<Long, Progress> progress;

  ConfChanger(ProgressTracker tracker, long lastIndex) {
    this.tracker = tracker;
    this.lastIndex = lastIndex;
  }

  Result apply(ConfChange cc) throws InvalidConfChangeException {
    if (cc.isLeaveJoint()) {
      return leaveJoint();
    }
    if (cc.entersJoint()) {
      return enterJoint(cc.autoLeave(), cc.changes());
    }
    return simple(cc.changes());
  }

  private void load() {
    ConfState c = tracker.conf;
    incoming = new TreeSet<>(c.voters());
    outgoing = new TreeSet<>(c.votersOutgoing());
    learners = new TreeSet<>(c.learners());
    learnersNext = new TreeSet<>(c.learnersNext());
    progress = tracker.all(); // progress objects are shared: only the map is new
  }

  private Result enterJoint(boolean autoLeave, List<ConfChange.Single> changes) throws InvalidConfChangeException {
    load();
    if (!outgoing.isEmpty()) {
      throw new InvalidConfChangeException("configuration is already joint");
    }
    if (incoming.isEmpty()) {
      throw new InvalidConfChangeException("cannot make a zero-voter configuration joint");
    }
    outgoing.addAll(incoming);
    applyAll(changes);
    return result(autoLeave);
  }

  private Result leaveJoint() throws InvalidConfChangeException {
    load();
    if (outgoing.isEmpty()) {
      throw new InvalidConfChangeException("configuration is not joint");
    }
    for (long id : learnersNext) {
      learners.add(id);
    }
    learnersNext.clear();
    for (long id : outgoing) {
      if (!incoming.contains(id) && !learners.contains(id)) {
        progress.remove(id);
      }
    }
    outgoing.clear();
    return result(false);
  }

  private Result simple(List<ConfChange.Single> changes) throws InvalidConfChangeException {
    load();
    if (!outgoing.isEmpty()) {
      throw new InvalidConfChangeException("cannot apply a simple change in a joint configuration");
    }
    if (incoming.isEmpty()) {
      // Only a replica created empty to join has no voters. Replaying "add v4" onto nothing would
      // give it voters=[4]: a configuration that never existed, in which it elects itself alone.
      throw new InvalidConfChangeException("no configuration to change: a joining replica takes its first"
          + " configuration from a snapshot");
    }
    Set<Long> before = new HashSet<>(incoming);
    applyAll(changes);
    int diff = 0;
    for (long id : before) {
      if (!incoming.contains(id)) {
        diff++;
      }
    }
    for (long id : incoming) {
      if (!before.contains(id)) {
        diff++;
      }
    }
    if (diff > 1) {
      throw new InvalidConfChangeException("more than one voter changed without joint consensus");
    }
    return result(false);
  }

  private void applyAll(List<ConfChange.Single> changes) throws InvalidConfChangeException {
    for (ConfChange.Single s : changes) {
      if (s.nodeId() <= 0) {
        throw new InvalidConfChangeException("invalid node id " + s.nodeId());
      }
      switch (s.type()) {
        case ADD_VOTER -> makeVoter(s.nodeId());
        case ADD_LEARNER -> makeLearner(s.nodeId());
        case REMOVE -> remove(s.nodeId());
      }
    }
    if (incoming.isEmpty()) {
      throw new InvalidConfChangeException("removed all voters");
    }
  }

  private void makeVoter(long id) {
    Progress pr = progress.get(id);
    if (pr == null) {
      progress.put(id, tracker.newProgress(Math.max(lastIndex, 1), false));
    }
    learners.remove(id);
    learnersNext.remove(id);
    incoming.add(id);
  }

  private void makeLearner(long id) {
    Progress pr = progress.get(id);
    if (pr == null) {
      progress.put(id, tracker.newProgress(Math.max(lastIndex, 1), true));
      learners.add(id);
      return;
    }
    if (learners.contains(id)) {
      return;
    }
    incoming.remove(id);
    learners.remove(id);
    learnersNext.remove(id);
    if (outgoing.contains(id)) {
      learnersNext.add(id); // still votes in the outgoing half until the joint config is left
    } else {
      learners.add(id);
    }
  }

  private void remove(long id) {
    if (!progress.containsKey(id)) {
      return;
    }
    incoming.remove(id);
    learners.remove(id);
    learnersNext.remove(id);
    if (!outgoing.contains(id)) {
      progress.remove(id);
    }
  }

  private Result result(boolean autoLeave) {
    return new Result(new ConfState(incoming, learners, outgoing, learnersNext, autoLeave && !outgoing.isEmpty()), progress);
  }
}
