package io.multiraft.spi;

import io.multiraft.core.Message;
import java.util.List;

/**
 * Carries Raft messages between nodes. A replica's id is its node's id, so {@code Message.to} names
 * the destination node. Implementations: in-process loopback (tests), simulated network, Netty.
 * Delivery is best effort: Raft retries what is lost, so {@code send} drops rather than blocks.
 */
public interface Transport extends AutoCloseable {

  /** Attaches the local node: inbound messages and link events for {@code nodeId} go to {@code inbound}. */
  void register(long nodeId, Inbound inbound);

  /**
   * Queues messages (of any groups) for one peer node, in order. Never blocks; a full queue drops and
   * counts. A SNAPSHOT message may be streamed on a separate channel; its outcome is reported with
   * {@link Inbound#snapshotStatus}.
   */
  void send(long fromNode, long toNode, List<Message> messages);

  /** The group is no longer hosted here: transfers of its snapshots in flight are cancelled. */
  default void groupRemoved(long groupId) {}

  @Override
  void close();

  /** What a transport delivers to a node. Called on transport threads; implementations must not block. */
  interface Inbound {
    void receive(long fromNode, List<Message> messages);

    /** The link to {@code node} failed: groups it leads should elect, its followers are probed. */
    void nodeUnreachable(long node);

    void nodeReachable(long node);

    /** A snapshot sent to {@code toNode} for {@code groupId} was installed ({@code ok}) or failed. */
    void snapshotStatus(long groupId, long toNode, boolean ok);

    /** Where received snapshots are staged chunk by chunk; null to receive them as bytes. */
    default SnapshotSink snapshotSink() {
      return null;
    }
  }
}
