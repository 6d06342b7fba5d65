package io.multiraft.core;

public enum ReadOnlyOption {
  /** Confirm leadership with a quorum of heartbeat acknowledgements per batch of reads. */
  SAFE,
  /**
   * Trust the leader lease (requires CheckQuorum): answer at once. Unsafe under unbounded clock
   * drift, as in every lease scheme.
   */
  LEASE_BASED
}
