package io.multiraft.transport;

import io.multiraft.core.SnapshotData;
import io.multiraft.core.SnapshotMeta;
import io.multiraft.spi.SnapshotSink;
import io.netty.buffer.ByteBuf;
import java.io.IOException;

/**
 * Stages a received snapshot with the node's {@link SnapshotSink} (the state machine's own files)
 * instead of assembling it here: nothing of it is held in memory beyond the chunk being written.
 * Every chunk was checked against its own CRC32C before it got here, so the whole-transfer
 * checksum adds nothing and is not recomputed.
 */
final class SinkStaging implements SnapshotStaging {
  private final SnapshotSink sink;
  private final long groupId;
  private final SnapshotMeta meta;
  private final long fromNode;
  private SnapshotSink.Receiving receiving;

  SinkStaging(SnapshotSink sink, long groupId, SnapshotMeta meta, long fromNode) {
    this.sink = sink;
    this.groupId = groupId;
    this.meta = meta;
    this.fromNode = fromNode;
  }

  @Override
  public void open() throws IOException {
    receiving = sink.begin(groupId, meta, fromNode);
  }

  @Override
  public void write(ByteBuf data) throws IOException {
    try {
      receiving.chunk(data.nioBuffer());
    } finally {
      data.release();
    }
  }

  @Override
  public SnapshotData complete(int crc32c) throws IOException {
    SnapshotData d = receiving.complete();
    receiving = null;
    return d;
  }

  @Override
  public void abort() {
    SnapshotSink.Receiving r = receiving;
    receiving = null;
    if (r != null) {
      r.abort();
    }
  }
}
