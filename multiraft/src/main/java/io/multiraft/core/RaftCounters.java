package io.multiraft.core;

/**
 * Things one group refused or worked around, for the node layer to log and export. Bad input is
 * counted here, never thrown (a message from an unknown peer must not kill the group). Written only
 * by the group's owner thread; readers elsewhere may see slightly stale values.
 */
public final class RaftCounters {
  public long unknownPeerMessages;
  public long staleTermMessages;
  public long misaddressedMessages;
  public long malformedMessages;
  public long outOfRangeAcks;
  public long votesIgnoredInLease;
  public long redundantCampaigns;
  public long campaignsBlockedByConfChange;
  /** Grants that found the others' votes a quorum while our own vote was not yet durable (won once it is). */
  public long votesAwaitingOwn;
  public long checkQuorumStepDowns;
  public long rejectedConfChanges;
  public long malformedConfChanges;
  public long snapshotsTemporarilyUnavailable;
  public long snapshotsFailed;
  public long snapshotsSkippedInactive;
  public long snapshotsRejectedNotMember;
  public long compactedDuringSend;
  public long droppedReadIndex;
  public long ignoredTransfers;
  public long uncommittedLimitRejections;
  /** Reads a leader answered on its lease, without a heartbeat round. */
  public long leaseReads;
  /** Heartbeat rounds a leader sent to confirm reads it could not answer on its lease. */
  public long readConfirmHeartbeats;
  /** The message of the last snapshot that could not be produced (lesson 10), for the node's log. */
  public String lastSnapshotError;
  /** Why the last membership change was refused at apply time. */
  public String lastConfChangeError;
}
