package io.multiraft.core;

/** What a role does with a message whose term is current (etcd/raft's swapped step function). */
interface RoleStep {
  void step(Raft r, Message m);
}
