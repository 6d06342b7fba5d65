package io.multiraft.bench;

/** Where a scenario's nodes run. */
enum Mode {
  /** Every node its own JVM over the Netty transport, with its own synced RocksDB log: the real setup. */
  processes,
  /** All nodes in the driver's JVM over the loopback transport: cheaper to run, no wire, no process boundaries. */
  inprocess
}
