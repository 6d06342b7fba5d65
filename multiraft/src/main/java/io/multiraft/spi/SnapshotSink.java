package io.multiraft.spi;

import io.multiraft.core.SnapshotData;
import io.multiraft.core.SnapshotMeta;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where a transport puts the chunks of a snapshot it receives, instead of assembling them in
 * memory: the state machine's side stages them (files), and hands back a payload that its
 * {@link StateMachine#restore(SnapshotData)} installs. Lesson 12: the data is stored before the
 * raft snapshot is handed to the group.
 */
public interface SnapshotSink {

  /** Starts receiving a snapshot of {@code groupId} from {@code fromNode}; throws to refuse it. */
  Receiving begin(long groupId, SnapshotMeta meta, long fromNode) throws IOException;

  /** One snapshot being received. Its methods run on one I/O thread, in order. */
  interface Receiving {
    /** Stores the next chunk (already checked against its checksum); the buffer is not kept. */
    void chunk(ByteBuffer data) throws IOException;

    /** All chunks arrived: makes the staged data durable and returns the payload to restore from. */
    SnapshotData complete() throws IOException;

    /** The transfer failed: removes whatever was staged. */
    void abort();
  }
}
