package io.multiraft.rangestore.cli;

import io.multiraft.rangestore.range.RangeDescriptor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * A local 3-node cluster as the demo (and the {@code splitmerge} benchmark) drives it, whether its
 * nodes run in this process or as server processes; every call blocks until done and retries
 * transient refusals (no leader yet, a range moving).
 */
public interface DemoTarget extends AutoCloseable {

  /** Starts 3 nodes with their data under {@code dir}: 3 server processes from this jar, or in this process. */
  static DemoTarget start(Path dir, boolean inProcess) throws IOException, InterruptedException {
    return inProcess ? new InProcessTarget(dir) : new ProcessTarget(dir);
  }

  void put(byte[] key, byte[] value);

  byte[] get(byte[] key);

  /** Splits the range owning {@code key} at {@code key}; returns the new right range. */
  RangeDescriptor splitAt(byte[] key);

  /** Merges the range owning {@code key} with its right neighbour. */
  RangeDescriptor mergeAt(byte[] key);

  /** Moves the replicas of the range owning {@code key} to exactly {@code nodes}. */
  void relocate(byte[] key, Set<Long> nodes);

  /** The descriptor of the range owning {@code key}, read through its leader. */
  RangeDescriptor rangeAt(byte[] key);

  int rangeCount();

  /** Groups hosted per node, as "n1=..., n2=...". */
  String groupsPerNode();

  @Override
  void close();
}
