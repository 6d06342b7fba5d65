package io.multiraft.rangestore.cli;

import io.multiraft.rangestore.range.RangeDescriptor;

/** What the demo does to a cluster, whether its nodes run in this process or as server processes. */
interface DemoTarget extends AutoCloseable {
  void put(byte[] key, byte[] value);

  byte[] get(byte[] key);

  /** Splits the range owning {@code key} at {@code key}; returns the new right range. */
  RangeDescriptor splitAt(byte[] key);

  /** Merges the range owning {@code key} with its right neighbour. */
  RangeDescriptor mergeAt(byte[] key);

  int rangeCount();

  /** Groups hosted per node, as "n1=..., n2=...". */
  String groupsPerNode();

  @Override
  void close();
}
