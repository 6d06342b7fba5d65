package io.multiraft.core;

/** What a replica must persist before it answers: current term, its vote in that term, commit. */
public record HardState(long term, long vote, long commit) {
  public static final HardState EMPTY = new HardState(0, 0, 0);

  public boolean isEmpty() {
    return term == 0 && vote == 0 && commit == 0;
  }

  /** Whether persisting {@code next} after {@code this} needs an fsync: term and vote do, commit does not. */
  public boolean mustSyncFor(HardState next) {
    return next.term != term || next.vote != vote;
  }
}
