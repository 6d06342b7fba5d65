package io.multiraft.transport;

import java.util.concurrent.atomic.LongAdder;

/** What a transport did, for tests, metrics and the benchmark. Written by many threads. */
public final class TransportCounters {
  /** Batch frames of raft messages (handshakes, keepalives and snapshot frames are not counted). */
  public final LongAdder framesSent = new LongAdder();
  public final LongAdder framesReceived = new LongAdder();
  /** Raft messages put into frames, coalesced heartbeats included. */
  public final LongAdder messagesSent = new LongAdder();
  public final LongAdder messagesReceived = new LongAdder();
  /** Entries of the coalesced heartbeat (and response) sections. */
  public final LongAdder heartbeatEntriesSent = new LongAdder();
  public final LongAdder heartbeatEntriesReceived = new LongAdder();
  /** Heartbeats folded into a later one of the same group in the same frame. */
  public final LongAdder heartbeatsMerged = new LongAdder();
  /** Raft messages dropped: peer down or unknown, queue full, too large, or a fault. */
  public final LongAdder messagesDropped = new LongAdder();
  /** Bytes of every frame, length prefixes included. */
  public final LongAdder bytesSent = new LongAdder();
  public final LongAdder bytesReceived = new LongAdder();
  /** Outbound stream connections that completed their handshake. */
  public final LongAdder connectionsOpened = new LongAdder();
  /** Inbound connections (stream or snapshot) whose handshake was accepted. */
  public final LongAdder connectionsAccepted = new LongAdder();
  /** Pings sent on idle message streams (a healthy idle peer answers and is never dropped). */
  public final LongAdder keepalivesSent = new LongAdder();
  /** Connection attempts after a failure or a lost connection. */
  public final LongAdder reconnects = new LongAdder();
  /** Connections closed for bad input: framing, schema, handshake or identity. */
  public final LongAdder protocolErrors = new LongAdder();
  public final LongAdder snapshotSends = new LongAdder();
  public final LongAdder snapshotSendsSucceeded = new LongAdder();
  public final LongAdder snapshotSendsFailed = new LongAdder();
  /** Snapshot sends refused at once because the node was at its limit of concurrent sends. */
  public final LongAdder snapshotSendsRejected = new LongAdder();
  public final LongAdder snapshotsReceived = new LongAdder();
  /** SNAPSHOT sends to a follower that already had a transfer of the group in flight: they joined it. */
  public final LongAdder snapshotSendsJoined = new LongAdder();
  /** Received chunks refused because their data did not match their checksum. */
  public final LongAdder snapshotChunksCorrupt = new LongAdder();
  public final LongAdder snapshotBytesSent = new LongAdder();
  public final LongAdder snapshotBytesReceived = new LongAdder();

  @Override
  public String toString() {
    return "frames " + framesSent.sum() + "/" + framesReceived.sum()
        + " messages " + messagesSent.sum() + "/" + messagesReceived.sum()
        + " heartbeats " + heartbeatEntriesSent.sum() + "/" + heartbeatEntriesReceived.sum()
        + " dropped " + messagesDropped.sum()
        + " bytes " + bytesSent.sum() + "/" + bytesReceived.sum()
        + " connections " + connectionsOpened.sum() + "/" + connectionsAccepted.sum()
        + " reconnects " + reconnects.sum()
        + " protocolErrors " + protocolErrors.sum()
        + " snapshots sent " + snapshotSendsSucceeded.sum() + "/" + snapshotSends.sum()
        + " (failed " + snapshotSendsFailed.sum() + ", rejected " + snapshotSendsRejected.sum() + ")"
        + " received " + snapshotsReceived.sum();
  }
}
