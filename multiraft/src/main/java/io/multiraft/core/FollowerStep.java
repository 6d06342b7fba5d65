package io.multiraft.core;

/** A follower's handling of current-term messages. */
final class FollowerStep implements RoleStep {
  static final FollowerStep INSTANCE = new FollowerStep();

  private FollowerStep() {}

  @Override
  public void step(Raft r, Message m) {
    switch (m.type) {
      case APPEND -> {
        heardFromLeader(r, m);
        r.handleAppend(m);
      }
      case HEARTBEAT -> {
        heardFromLeader(r, m);
        r.handleHeartbeat(m);
      }
      case SNAPSHOT -> {
        heardFromLeader(r, m);
        r.handleSnapshot(m);
      }
      case TRANSFER_LEADER -> {
        if (r.lead == Raft.NONE) {
          r.counters().ignoredTransfers++;
        } else {
          r.send(new Message(r.groupId, MessageType.TRANSFER_LEADER, r.id, r.lead, r.term, 0, 0, null, 0, false, 0, null, m.context));
        }
      }
      case TIMEOUT_NOW -> Elections.hup(r, true); // leadership transfer: campaign at once, past the lease
      case READ_INDEX_RESPONSE -> r.addReadState(new ReadState(m.index, m.context));
      default -> { }
    }
  }

  private static void heardFromLeader(Raft r, Message m) {
    r.electionElapsed = 0;
    r.lead = m.from;
  }
}
