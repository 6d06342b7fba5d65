package io.multiraft.core;

/**
 * A snapshot's state-machine data: bytes in memory ({@link Bytes}), or a handle to data held
 * elsewhere and read in chunks (a database view, staged files: {@code spi.ChunkedSnapshot}), so
 * a large snapshot never has to fit in memory. The core carries it and never looks inside; the
 * runtime, the transport and the state machine do.
 *
 * <p>A handle may count references: whoever passes it on (a send, a message) passes one reference
 * with it, and the last {@link #release()} frees what it holds.
 */
public interface SnapshotData {
  SnapshotData EMPTY = new Bytes(new byte[0]);

  /** Bytes of data if known in advance, or -1 (a chunked view learns its size while read). */
  long sizeBytes();

  /** Takes one more reference; false if the data was already released (a new snapshot is needed). */
  default boolean retain() {
    return true;
  }

  /** Gives up one reference; a no-op for bytes in memory. */
  default void release() {}

  static SnapshotData of(byte[] data) {
    return data == null || data.length == 0 ? EMPTY : new Bytes(data);
  }

  /** The whole state in one array. */
  record Bytes(byte[] data) implements SnapshotData {
    @Override
    public long sizeBytes() {
      return data.length;
    }

    @Override
    public String toString() {
      return data.length + "B";
    }
  }
}
