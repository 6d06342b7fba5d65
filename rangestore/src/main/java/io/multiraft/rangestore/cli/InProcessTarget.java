package io.multiraft.rangestore.cli;

import io.multiraft.rangestore.api.InProcessCluster;
import io.multiraft.rangestore.api.RangeClient;
import io.multiraft.rangestore.api.RangeMerger;
import io.multiraft.rangestore.api.RangeStore;
import io.multiraft.rangestore.api.ReplicaMover;
import io.multiraft.rangestore.range.RangeDescriptor;
import java.nio.file.Path;
import java.util.Set;

/** Three range store nodes in this process over the loopback transport. */
final class InProcessTarget implements DemoTarget {
  private final InProcessCluster cluster;
  private final RangeClient client;
  private final RangeMerger merger;
  private final ReplicaMover mover;

  InProcessTarget(Path dir) {
    cluster = InProcessCluster.start(dir, 3, 3, b -> b.tickIntervalMs(50));
    client = cluster.client(30_000);
    merger = new RangeMerger(cluster.nodes(), 60_000);
    mover = new ReplicaMover(cluster.nodes(), 60_000);
  }

  private long rangeIdAt(byte[] key) {
    return cluster.node(1).router().lookup(key).rangeId();
  }

  @Override
  public RangeDescriptor rangeAt(byte[] key) {
    long id = rangeIdAt(key);
    return client.call(key, s -> s.descriptor(id));
  }

  @Override
  public void relocate(byte[] key, Set<Long> nodes) {
    mover.relocate(rangeIdAt(key), nodes);
  }

  @Override
  public void put(byte[] key, byte[] value) {
    client.put(key, value);
  }

  @Override
  public byte[] get(byte[] key) {
    return client.get(key);
  }

  @Override
  public RangeDescriptor splitAt(byte[] key) {
    return client.call(key, s -> s.splitAt(key)).right();
  }

  @Override
  public RangeDescriptor mergeAt(byte[] key) {
    return merger.merge(rangeIdAt(key));
  }

  @Override
  public int rangeCount() {
    return cluster.node(1).router().size();
  }

  @Override
  public String groupsPerNode() {
    StringBuilder sb = new StringBuilder();
    for (RangeStore s : cluster.nodes().values()) {
      sb.append(sb.length() == 0 ? "" : ", ").append("n").append(s.nodeId()).append("=").append(s.raft().groupCount());
    }
    return sb.toString();
  }

  @Override
  public void close() {
    cluster.close();
  }
}
