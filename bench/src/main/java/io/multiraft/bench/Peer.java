package io.multiraft.bench;

/** The Raft libraries {@code --peer} can put beside ours; picocli rejects any other name as bad usage. */
enum Peer {
  /** SOFAJRaft (jraft-core 1.3.15.bugfix), run by {@link io.multiraft.bench.peer.SofaPeer} in a child JVM. */
  sofajraft
}
