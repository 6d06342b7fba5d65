package io.multiraft.sim.lin;

public enum Verdict {
  /** Some order of the operations, each within its interval, satisfies the model. */
  OK,
  /** No such order exists: the system misbehaved (or the history was recorded wrongly). */
  ILLEGAL,
  /** The search ran out of its step budget before deciding. */
  UNKNOWN
}
