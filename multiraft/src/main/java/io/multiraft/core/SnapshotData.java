package io.multiraft.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A snapshot's state-machine data: either bytes in memory, or a {@link Chunked} handle read in
 * chunks (for example a view of a database) so that a large snapshot never has to fit in memory.
 * The core never looks inside; the runtime, the transport and the state machine do.
 */
public interface SnapshotData {
  SnapshotData EMPTY = new Bytes(new byte[0]);

  /** Bytes of data if known in advance, or -1 (a chunked view learns its size while read). */
  long sizeBytes();

  /** Opens a reader from the first chunk; each reader is used by one thread at a time. */
  Reader open();

  /** Gives up one reference; a no-op for bytes in memory. */
  default void release() {}

  /** Takes one more reference; false if the data was already released (a new snapshot is needed). */
  default boolean retain() {
    return true;
  }

  static SnapshotData of(byte[] data) {
    return data == null || data.length == 0 ? EMPTY : new Bytes(data);
  }

  /** Reads all chunks into one array: only for small snapshots or state machines that need bytes. */
  static byte[] readAll(SnapshotData data) {
    if (data instanceof Bytes b) {
      return b.data();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (Reader r = data.open()) {
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

  /** Chunks of a snapshot, in order. */
  interface Reader extends AutoCloseable {
    /** The next chunk, valid until the next call (its buffer is reused), or null after the last. */
    ByteBuffer next() throws IOException;

    @Override
    void close();
  }

  /** The whole state in one array, handed out in slices. */
  record Bytes(byte[] data) implements SnapshotData {
    /** Chunk size when bytes are read as chunks (a transport streaming them). */
    public static final int CHUNK_BYTES = 1 << 20;

    @Override
    public long sizeBytes() {
      return data.length;
    }

    @Override
    public Reader open() {
      return new Reader() {
        private int offset;

        @Override
        public ByteBuffer next() {
          if (offset >= data.length) {
            return null;
          }
          int n = Math.min(CHUNK_BYTES, data.length - offset);
          ByteBuffer b = ByteBuffer.wrap(data, offset, n);
          offset += n;
          return b;
        }

        @Override
        public void close() {}
      };
    }

    @Override
    public String toString() {
      return data.length + "B";
    }
  }

  /**
   * Data held outside the heap (a database view, staged files) with a reference count: the holder
   * that created it has one reference; each transfer takes one with {@link #retain()} and gives it
   * back with {@link #release()}; the last release frees what it holds ({@link #free()}).
   */
  abstract class Chunked implements SnapshotData {
    private final AtomicInteger refs = new AtomicInteger(1);

    @Override
    public final boolean retain() {
      while (true) {
        int n = refs.get();
        if (n <= 0) {
          return false;
        }
        if (refs.compareAndSet(n, n + 1)) {
          return true;
        }
      }
    }

    @Override
    public final void release() {
      int n = refs.decrementAndGet();
      if (n == 0) {
        free();
      } else if (n < 0) {
        throw new IllegalStateException("snapshot data released more often than retained: " + this);
      }
    }

    /** Whether some holder still has a reference. */
    public final boolean live() {
      return refs.get() > 0;
    }

    @Override
    public long sizeBytes() {
      return -1;
    }

    /** Frees what the data holds; called once, by the last release. */
    protected abstract void free();
  }
}
