package io.multiraft.sim.lin;

/** What a client asked a key-value register to do. */
public enum OpKind {
  READ,
  WRITE,
  /** Compare-and-set: replace the value only if it currently equals the expected one. */
  CAS
}
