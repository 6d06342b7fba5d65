package io.multiraft.core;

/**
 * Settings of one group's Raft. Immutable; build with {@link #builder(long, long)}. Ticks are
 * abstract: the runtime decides how long one is.
 */
public record RaftConfig(
    long groupId,
    long nodeId,
    int electionTicks,
    int heartbeatTicks,
    long appliedIndex,
    long maxSizePerMsgBytes,
    long maxCommittedSizePerReadyBytes,
    long maxUncommittedEntriesBytes,
    int maxInflightMsgs,
    long maxInflightBytes,
    boolean checkQuorum,
    boolean preVote,
    ReadOnlyOption readOnlyOption,
    boolean fastFirstElection,
    boolean stepDownOnRemoval,
    boolean lazyCommitBroadcast,
    boolean heartbeatIdleFollowersOnly,
    boolean emptyReplicaVotes) {

  public RaftConfig {
    require(groupId > 0, "groupId must be > 0");
    require(nodeId > 0, "nodeId must be > 0");
    require(heartbeatTicks > 0, "heartbeatTicks must be > 0");
    require(electionTicks > heartbeatTicks, "electionTicks must be greater than heartbeatTicks");
    require(maxInflightMsgs > 0, "maxInflightMsgs must be > 0");
    require(maxSizePerMsgBytes > 0, "maxSizePerMsgBytes must be > 0");
    require(maxCommittedSizePerReadyBytes > 0, "maxCommittedSizePerReadyBytes must be > 0");
    require(maxUncommittedEntriesBytes > 0, "maxUncommittedEntriesBytes must be > 0");
    require(readOnlyOption != ReadOnlyOption.LEASE_BASED || checkQuorum,
        "lease-based reads need checkQuorum: without it a deposed leader may not know it");
    require(appliedIndex >= 0, "appliedIndex must be >= 0");
  }

  private static final int SHARED_LIMIT = 1024;
  // A node builds one config per group, differing only in the group's own values: a group keeping
  // its own copy costs ~100 bytes for as long as it lives. Bounded, least recently used out first.
  private static final java.util.LinkedHashMap<RaftConfig, RaftConfig> SHARED =
      new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<RaftConfig, RaftConfig> eldest) {
          return size() > SHARED_LIMIT;
        }
      };

  /**
   * The settings without the values only a group's creation reads: group id, applied index, fast
   * first election and empty-replica votes are replaced by fixed ones (group 1, applied 0, off, off), so every group of a
   * node with the same settings gets the same instance. What a group keeps; its own values must be
   * read from the config it was created with.
   */
  RaftConfig shared() {
    RaftConfig key = groupId == 1 && appliedIndex == 0 && !fastFirstElection && !emptyReplicaVotes
        ? this
        : new RaftConfig(1, nodeId, electionTicks, heartbeatTicks, 0, maxSizePerMsgBytes,
            maxCommittedSizePerReadyBytes, maxUncommittedEntriesBytes, maxInflightMsgs, maxInflightBytes,
            checkQuorum, preVote, readOnlyOption, false, stepDownOnRemoval, lazyCommitBroadcast,
            heartbeatIdleFollowersOnly, false);
    synchronized (SHARED) {
      RaftConfig existing = SHARED.putIfAbsent(key, key);
      return existing == null ? key : existing;
    }
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  public static Builder builder(long groupId, long nodeId) {
    return new Builder(groupId, nodeId);
  }

  public Builder toBuilder() {
    Builder b = new Builder(groupId, nodeId);
    b.electionTicks = electionTicks;
    b.heartbeatTicks = heartbeatTicks;
    b.appliedIndex = appliedIndex;
    b.maxSizePerMsgBytes = maxSizePerMsgBytes;
    b.maxCommittedSizePerReadyBytes = maxCommittedSizePerReadyBytes;
    b.maxUncommittedEntriesBytes = maxUncommittedEntriesBytes;
    b.maxInflightMsgs = maxInflightMsgs;
    b.maxInflightBytes = maxInflightBytes;
    b.checkQuorum = checkQuorum;
    b.preVote = preVote;
    b.readOnlyOption = readOnlyOption;
    b.fastFirstElection = fastFirstElection;
    b.stepDownOnRemoval = stepDownOnRemoval;
    b.lazyCommitBroadcast = lazyCommitBroadcast;
    b.heartbeatIdleFollowersOnly = heartbeatIdleFollowersOnly;
    b.emptyReplicaVotes = emptyReplicaVotes;
    return b;
  }

  /** Defaults suit a LAN: 10 ticks to elect, 1 to heartbeat, 1 MB messages, 256 inflight. */
  public static final class Builder {
    private final long groupId;
    private final long nodeId;
    private int electionTicks = 10;
    private int heartbeatTicks = 1;
    private long appliedIndex;
    private long maxSizePerMsgBytes = 1 << 20;
    private long maxCommittedSizePerReadyBytes = 64L << 20;
    private long maxUncommittedEntriesBytes = 64L << 20;
    private int maxInflightMsgs = 256;
    private long maxInflightBytes = 32L << 20;
    private boolean checkQuorum = true;
    private boolean preVote = true;
    private ReadOnlyOption readOnlyOption = ReadOnlyOption.SAFE;
    private boolean fastFirstElection;
    private boolean stepDownOnRemoval = true;
    private boolean lazyCommitBroadcast;
    private boolean heartbeatIdleFollowersOnly;
    private boolean emptyReplicaVotes;

    private Builder(long groupId, long nodeId) {
      this.groupId = groupId;
      this.nodeId = nodeId;
    }

    public Builder electionTicks(int v) { electionTicks = v; return this; }
    public Builder heartbeatTicks(int v) { heartbeatTicks = v; return this; }
    public Builder appliedIndex(long v) { appliedIndex = v; return this; }
    public Builder maxSizePerMsgBytes(long v) { maxSizePerMsgBytes = v; return this; }
    public Builder maxCommittedSizePerReadyBytes(long v) { maxCommittedSizePerReadyBytes = v; return this; }
    public Builder maxUncommittedEntriesBytes(long v) { maxUncommittedEntriesBytes = v; return this; }
    public Builder maxInflightMsgs(int v) { maxInflightMsgs = v; return this; }
    public Builder maxInflightBytes(long v) { maxInflightBytes = v; return this; }
    public Builder checkQuorum(boolean v) { checkQuorum = v; return this; }
    public Builder preVote(boolean v) { preVote = v; return this; }
    public Builder readOnlyOption(ReadOnlyOption v) { readOnlyOption = v; return this; }
    public Builder fastFirstElection(boolean v) { fastFirstElection = v; return this; }
    public Builder stepDownOnRemoval(boolean v) { stepDownOnRemoval = v; return this; }

    /**
     * When true, a leader that advances its commit index does not send every follower an append
     * at once: the new commit index rides on the next append or the next heartbeat (within
     * {@code heartbeatTicks}). With one write in flight per group, the immediate broadcast and its
     * acknowledgements are half of all messages; followers apply a little later, writers do not
     * wait longer (the leader applies as soon as it commits).
     */
    public Builder lazyCommitBroadcast(boolean v) { lazyCommitBroadcast = v; return this; }

    /**
     * When true, the periodic heartbeat skips followers that got an append since the previous one
     * (the append did a heartbeat's work), and a heartbeat response does not trigger an append to
     * a follower appends are already flowing to. A busy group then sends about two messages per
     * write per follower instead of four; an idle follower is still heartbeated every interval.
     */
    public Builder heartbeatIdleFollowersOnly(boolean v) { heartbeatIdleFollowersOnly = v; return this; }

    /**
     * When true, a replica that holds no state yet (created empty, waiting for its first
     * snapshot: no membership known) grants votes like a fresh node. Safe only when this node
     * never held the group before: a replica that lost its state may have acknowledged entries,
     * or granted a vote, that it forgot, and its vote could then elect a leader missing committed
     * entries. When false (the default) an empty replica never votes, and a group whose other
     * voters are all empty cannot elect: a split that reached two of three replicas only through
     * a later snapshot of the left range leaves its right range there empty.
     */
    public Builder emptyReplicaVotes(boolean v) { emptyReplicaVotes = v; return this; }

    public RaftConfig build() {
      return new RaftConfig(groupId, nodeId, electionTicks, heartbeatTicks, appliedIndex, maxSizePerMsgBytes,
          maxCommittedSizePerReadyBytes, maxUncommittedEntriesBytes, maxInflightMsgs, maxInflightBytes,
          checkQuorum, preVote, readOnlyOption, fastFirstElection, stepDownOnRemoval, lazyCommitBroadcast,
          heartbeatIdleFollowersOnly, emptyReplicaVotes);
    }
  }
}
