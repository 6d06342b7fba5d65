package io.multiraft.core;

/**
 * A raft snapshot: its metadata and the state machine's data travel together (lesson 12). The core
 * never looks inside {@code payload}: bytes in memory, or a chunked handle streamed by the
 * transport without ever being held whole.
 */
public record Snapshot(SnapshotMeta meta, SnapshotData payload) {
  public static final Snapshot EMPTY = new Snapshot(SnapshotMeta.EMPTY, SnapshotData.EMPTY);

  public Snapshot {
    payload = payload == null ? SnapshotData.EMPTY : payload;
  }

  /** A snapshot whose data is in memory. */
  public Snapshot(SnapshotMeta meta, byte[] data) {
    this(meta, SnapshotData.of(data));
  }

  /** The data in memory; a chunked payload is read with {@code spi.SnapshotStreams} instead. */
  public byte[] data() {
    if (payload instanceof SnapshotData.Bytes b) {
      return b.data();
    }
    throw new IllegalStateException("the data of " + this + " is chunked: read it as a stream");
  }

  public long index() {
    return meta.index();
  }

  public long term() {
    return meta.term();
  }

  public boolean isEmpty() {
    return meta.isEmpty();
  }

  @Override
  public String toString() {
    return "snapshot " + meta.term() + "/" + meta.index() + " " + meta.confState() + " " + payload;
  }
}
