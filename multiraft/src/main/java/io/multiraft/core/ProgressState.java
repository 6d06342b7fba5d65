package io.multiraft.core;

public enum ProgressState {
  /** One append at a time until the follower's position is known. */
  PROBE,
  /** Position known: stream appends optimistically within the inflights window. */
  REPLICATE,
  /** A snapshot is on its way; replication is paused until the link reports its outcome. */
  SNAPSHOT
}
