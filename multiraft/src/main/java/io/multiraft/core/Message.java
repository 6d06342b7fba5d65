package io.multiraft.core;

import java.util.List;

/**
 * A message between two replicas of one group. Immutable once built. Field meaning depends on the
 * type, as in the Raft paper: for APPEND, {@code index}/{@code logTerm} name the entry preceding
 * {@code entries}; for a rejected APPEND_RESPONSE, {@code rejectHint}/{@code logTerm} name the
 * follower's probable conflict point (fast backtracking); for votes, {@code index}/{@code logTerm}
 * are the candidate's last entry; {@code context} carries a read-index request id, a campaign flag,
 * or a transfer target.
 */
public final class Message {
  /** {@code context} of a VOTE sent because of a leadership transfer: overrides the leader lease. */
  public static final long CAMPAIGN_TRANSFER = -1;
  /** {@code context} of a leader's last HEARTBEAT before its group goes idle: followers may stop ticking. */
  public static final long QUIESCE = -2;
  /**
   * {@code context} of the APPEND_RESPONSE that answers an APPEND or HEARTBEAT of an older term: it
   * only tells the sender our term (so a stale leader steps down) and acknowledges no entry. Its
   * index is 0; read as an acknowledgement by a leader of our term, it moved a freshly elected
   * leader's probe of us to index 1 (lease simulation seed 20011).
   */
  public static final long TERM_NOTICE = -3;
  /**
   * A HEARTBEAT context at or below this names a lease round ({@code LEASE_ROUND_BASE - round}),
   * echoed by the response; see {@code LeaderLease}. Read-index contexts are positive.
   */
  public static final long LEASE_ROUND_BASE = -16;

  public final long groupId;
  public final MessageType type;
  public final long from;
  public final long to;
  public final long term;
  public final long logTerm;
  public final long index;
  public final List<Entry> entries;
  public final long commit;
  public final boolean reject;
  public final long rejectHint;
  public final Snapshot snapshot;
  public final long context;

  public Message(
      long groupId,
      MessageType type,
      long from,
      long to,
      long term,
      long logTerm,
      long index,
      List<Entry> entries,
      long commit,
      boolean reject,
      long rejectHint,
      Snapshot snapshot,
      long context) {
    this.groupId = groupId;
    this.type = type;
    this.from = from;
    this.to = to;
    this.term = term;
    this.logTerm = logTerm;
    this.index = index;
    this.entries = entries == null ? List.of() : entries;
    this.commit = commit;
    this.reject = reject;
    this.rejectHint = rejectHint;
    this.snapshot = snapshot;
    this.context = context;
  }

  /** A copy addressed with another term: the core stamps its term on outgoing messages. */
  Message withTerm(long newTerm) {
    return new Message(groupId, type, from, to, newTerm, logTerm, index, entries, commit, reject, rejectHint, snapshot, context);
  }

  public static Builder builder(MessageType type) {
    return new Builder(type);
  }

  /** For tests, tools and decoders; the core's hot path uses the constructor directly. */
  public static final class Builder {
    private final MessageType type;
    private long groupId;
    private long from;
    private long to;
    private long term;
    private long logTerm;
    private long index;
    private List<Entry> entries;
    private long commit;
    private boolean reject;
    private long rejectHint;
    private Snapshot snapshot;
    private long context;

    private Builder(MessageType type) {
      this.type = type;
    }

    public Builder group(long v) { groupId = v; return this; }
    public Builder from(long v) { from = v; return this; }
    public Builder to(long v) { to = v; return this; }
    public Builder term(long v) { term = v; return this; }
    public Builder logTerm(long v) { logTerm = v; return this; }
    public Builder index(long v) { index = v; return this; }
    public Builder entries(List<Entry> v) { entries = v; return this; }
    public Builder commit(long v) { commit = v; return this; }
    public Builder reject(boolean v) { reject = v; return this; }
    public Builder rejectHint(long v) { rejectHint = v; return this; }
    public Builder snapshot(Snapshot v) { snapshot = v; return this; }
    public Builder context(long v) { context = v; return this; }

    public Message build() {
      return new Message(groupId, type, from, to, term, logTerm, index, entries, commit, reject, rejectHint, snapshot, context);
    }
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append(from).append("->").append(to).append(' ').append(type).append(" term=").append(term);
    switch (type) {
      case APPEND -> {
        sb.append(" log=").append(logTerm).append('/').append(index).append(" commit=").append(commit);
        if (!entries.isEmpty()) {
          sb.append(" entries=").append(entries);
        }
      }
      case APPEND_RESPONSE -> {
        if (context == TERM_NOTICE) {
          sb.append(" term notice");
          break;
        }
        sb.append(" index=").append(index);
        if (reject) {
          sb.append(" rejected hint=").append(logTerm).append('/').append(rejectHint);
        }
      }
      case VOTE, PRE_VOTE -> {
        sb.append(" last=").append(logTerm).append('/').append(index);
        if (context == CAMPAIGN_TRANSFER) {
          sb.append(" transfer");
        }
      }
      case VOTE_RESPONSE, PRE_VOTE_RESPONSE -> sb.append(reject ? " rejected" : " granted");
      case HEARTBEAT -> sb.append(" commit=").append(commit).append(context != 0 ? " ctx=" + context : "");
      case HEARTBEAT_RESPONSE, READ_INDEX -> sb.append(context != 0 ? " ctx=" + context : "");
      case READ_INDEX_RESPONSE -> sb.append(" index=").append(index).append(" ctx=").append(context);
      case SNAPSHOT -> sb.append(' ').append(snapshot);
      case TRANSFER_LEADER -> sb.append(" target=").append(context);
      default -> { }
    }
    return sb.toString();
  }
}
