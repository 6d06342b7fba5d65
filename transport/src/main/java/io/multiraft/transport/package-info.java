/**
 * The Netty implementation of the {@code Transport} SPI: one connection per peer node, framing,
 * batching of many groups' messages in one frame, coalesced heartbeat frames, snapshot streaming,
 * TLS, reconnect and unreachable reports.
 *
 * <p>This module knows nothing about RocksDB or key ranges.
 */
package io.multiraft.transport;
