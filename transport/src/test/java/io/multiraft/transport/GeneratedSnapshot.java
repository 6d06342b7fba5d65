package io.multiraft.transport;

import io.multiraft.spi.ChunkedSnapshot;
import io.multiraft.spi.SnapshotReader;
import io.multiraft.core.SnapshotData;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;

/** A chunked payload generated on the fly into one reused buffer: never held whole anywhere. */
final class GeneratedSnapshot extends ChunkedSnapshot {
  static final int CHUNK = 1 << 20;
  final int chunks;
  final long seed;
  final AtomicInteger frees = new AtomicInteger();

  GeneratedSnapshot(int chunks, long seed) {
    this.chunks = chunks;
    this.seed = seed;
  }

  long bytes() {
    return (long) chunks * CHUNK;
  }

  /** CRC32C of the whole stream, computed by reading it once more. */
  int crc() {
    CRC32C crc = new CRC32C();
    try (SnapshotReader r = open()) {
      for (ByteBuffer c = r.next(); c != null; c = r.next()) {
        crc.update(c);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return (int) crc.getValue();
  }

  @Override
  public SnapshotReader open() {
    return new SnapshotReader() {
      private final byte[] buf = new byte[CHUNK];
      private final SplittableRandom random = new SplittableRandom(seed);
      private int next;

      @Override
      public ByteBuffer next() {
        if (next == chunks) {
          return null;
        }
        next++;
        for (int i = 0; i < buf.length; i += 8) {
          long v = random.nextLong();
          for (int j = 0; j < 8; j++) {
            buf[i + j] = (byte) (v >>> (8 * j));
          }
        }
        return ByteBuffer.wrap(buf);
      }

      @Override
      public void close() {}
    };
  }

  @Override
  protected void free() {
    frees.incrementAndGet();
  }
}
