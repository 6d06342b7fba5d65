package io.multiraft.transport;

import io.multiraft.core.SnapshotData;
import io.netty.buffer.ByteBuf;
import java.io.IOException;

/**
 * Where one received snapshot's chunks go until it is complete. Every method runs on the snapshot
 * store's I/O thread, in the order the event loop submitted them.
 */
interface SnapshotStaging {
  void open() throws IOException;

  /** Stores the next chunk and releases it. */
  void write(ByteBuf data) throws IOException;

  /** Makes the staged data durable and returns the payload handed to the node with the snapshot. */
  SnapshotData complete(int crc32c) throws IOException;

  /** Gives up: whatever was staged is removed. Safe after complete or twice. */
  void abort();
}
