/**
 * The Netty implementation of the {@code Transport} SPI: one connection per peer node, framing,
 * batching of many groups' messages in one frame, coalesced heartbeat frames, snapshot streaming,
 * TLS, reconnect and unreachable reports.
 *
 * <p>Connections, by use (lesson 23):
 *
 * <ul>
 *   <li>Message stream: each node dials each peer once ({@link io.multiraft.transport.PeerLink}) and
 *       sends all its messages to that peer on it, so a pair of nodes has one stream per direction.
 *       Per peer, raft workers fill a bounded MPSC queue; the connection's event loop drains it into
 *       one frame per flush. An idle stream is kept alive by pings; a peer silent for the dead-peer
 *       timeout is disconnected, reported unreachable, and redialed with backoff.
 *   <li>Snapshots: a connection per transfer to the peer's snapshot listener (its port is learned
 *       in the stream handshake), served by a separate event loop and a disk thread, with its own
 *       flow control (write-buffer water marks on the sender, paused reads on the receiver) and
 *       timeouts (no progress; no acknowledgement).
 * </ul>
 *
 * <p>Every connection starts with a Hello each way (cluster id, node id, protocol version, kind);
 * see {@code src/main/proto/multiraft/transport/v1/wire.proto} for the frames.
 *
 * <p>This module knows nothing about RocksDB or key ranges.
 */
package io.multiraft.transport;
