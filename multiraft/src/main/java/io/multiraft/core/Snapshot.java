package io.multiraft.core;

/**
 * A raft snapshot: its metadata and the state machine's data travel together (lesson 12). The core
 * never looks inside {@code data}; the runtime may put there the state itself or a handle to it.
 */
public record Snapshot(SnapshotMeta meta, byte[] data) {
  public static final Snapshot EMPTY = new Snapshot(SnapshotMeta.EMPTY, new byte[0]);

  public Snapshot {
    data = data == null ? new byte[0] : data;
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
    return "snapshot " + meta.term() + "/" + meta.index() + " " + meta.confState() + " " + data.length + "B";
  }
}
