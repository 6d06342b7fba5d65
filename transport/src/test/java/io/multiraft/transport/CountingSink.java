package io.multiraft.transport;

import io.multiraft.core.SnapshotData;
import io.multiraft.core.SnapshotMeta;
import io.multiraft.spi.SnapshotSink;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

/** A snapshot sink that keeps only a checksum and a count of what it was given; may hold chunks back. */
final class CountingSink implements SnapshotSink {
  final AtomicLong bytes = new AtomicLong();
  final AtomicInteger begun = new AtomicInteger();
  final AtomicInteger completed = new AtomicInteger();
  final AtomicInteger aborted = new AtomicInteger();
  volatile int lastCrc;
  /** Chunks wait for this before they are "stored" (a slow disk). */
  volatile CountDownLatch gate = new CountDownLatch(0);

  @Override
  public Receiving begin(long groupId, SnapshotMeta meta, long fromNode) {
    begun.incrementAndGet();
    CRC32C crc = new CRC32C();
    return new Receiving() {
      @Override
      public void chunk(ByteBuffer data) {
        try {
          gate.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        bytes.addAndGet(data.remaining());
        crc.update(data);
      }

      @Override
      public SnapshotData complete() {
        lastCrc = (int) crc.getValue();
        completed.incrementAndGet();
        return SnapshotData.EMPTY;
      }

      @Override
      public void abort() {
        aborted.incrementAndGet();
      }
    };
  }
}
