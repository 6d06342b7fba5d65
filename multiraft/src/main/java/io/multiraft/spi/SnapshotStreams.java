package io.multiraft.spi;

import io.multiraft.core.SnapshotData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/** Reading any snapshot data as chunks, or (for small data only) as one array. */
public final class SnapshotStreams {
  /** Chunk size when bytes in memory are read as chunks. */
  public static final int BYTES_CHUNK = 1 << 20;

  private SnapshotStreams() {}

  public static SnapshotReader open(SnapshotData data) {
    if (data instanceof ChunkedSnapshot c) {
      return c.open();
    }
    if (data instanceof SnapshotData.Bytes b) {
      return slices(b.data());
    }
    throw new IllegalArgumentException("snapshot data of unknown kind: " + data.getClass().getName());
  }

  /** Reads all chunks into one array: only for small snapshots or state machines that need bytes. */
  public static byte[] readAll(SnapshotData data) {
    if (data instanceof SnapshotData.Bytes b) {
      return b.data();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (SnapshotReader r = open(data)) {
      for (ByteBuffer c = r.next(); c != null; c = r.next()) {
        if (c.hasArray()) {
          out.write(c.array(), c.arrayOffset() + c.position(), c.remaining());
        } else {
          byte[] copy = new byte[c.remaining()];
          c.get(copy);
          out.write(copy, 0, copy.length);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading snapshot data failed", e);
    }
    return out.toByteArray();
  }

  private static SnapshotReader slices(byte[] data) {
    return new SnapshotReader() {
      private int offset;

      @Override
      public ByteBuffer next() {
        if (offset >= data.length) {
          return null;
        }
        int n = Math.min(BYTES_CHUNK, data.length - offset);
        ByteBuffer b = ByteBuffer.wrap(data, offset, n);
        offset += n;
        return b;
      }

      @Override
      public void close() {}
    };
  }
}
