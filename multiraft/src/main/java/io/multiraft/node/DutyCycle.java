package io.multiraft.node;

/** One unit of the node's work, run in a loop by a {@link DutyCycleThread} or stepped by a simulator. */
interface DutyCycle {
  /** Does what is pending now; returns how much was done (0 = idle). */
  int doWork(long nowNs);

  /** How long this cycle may sleep when idle before something is due (a tick, a deadline). */
  long idleParkNs(long nowNs);

  String name();
}
