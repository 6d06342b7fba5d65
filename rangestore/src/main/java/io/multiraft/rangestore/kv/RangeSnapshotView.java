package io.multiraft.rangestore.kv;

import io.multiraft.spi.ChunkedSnapshot;
import io.multiraft.spi.SnapshotReader;
import io.multiraft.core.SnapshotData;
import io.multiraft.rangestore.range.RangeDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;

/**
 * A range snapshot as a view: a RocksDB snapshot (a consistent, cheap point-in-time view) and the
 * range's state as of the applied index, read in chunks of about {@link #CHUNK_BYTES} in the
 * {@link SnapshotChunks} format only when a transfer asks for them. Creating it costs no copy, so
 * the apply thread makes one in microseconds (lesson 11); its reference count keeps the RocksDB
 * snapshot alive while transfers read it, and the last release gives it back.
 */
final class RangeSnapshotView extends ChunkedSnapshot {
  /** A little under a MiB, so that a chunk with its framing fits the transport's default 1 MiB wire chunk. */
  static final int CHUNK_BYTES = (1 << 20) - 64;

  private final RangeData data;
  private final RangeState state;
  private final byte[] stateBytes;
  private final Snapshot snapshot;
  /** Readers not closed yet; guarded by the views' write lock (and this for add/remove). */
  private final List<ViewReader> readers = new ArrayList<>();
  private boolean freed;

  private RangeSnapshotView(RangeData data, RangeState state) {
    this.data = data;
    this.state = state;
    this.stateBytes = state.encode();
    this.snapshot = data.db().getSnapshot();
  }

  static RangeSnapshotView open(RangeData data, RangeState state) {
    RangeSnapshotView v = new RangeSnapshotView(data, state);
    if (!data.views().add(v)) {
      data.db().releaseSnapshot(v.snapshot);
      throw new IllegalStateException("the database of range " + state.descriptor().rangeId() + " is closing");
    }
    return v;
  }

  RangeState state() {
    return state;
  }

  @Override
  protected void free() {
    data.views().free(this);
  }

  /** Under the views' write lock: no read is running. */
  void freeNow() {
    if (freed) {
      return;
    }
    freed = true;
    List<ViewReader> open;
    synchronized (this) {
      open = new ArrayList<>(readers);
      readers.clear();
    }
    for (ViewReader r : open) {
      r.closeNow();
    }
    data.db().releaseSnapshot(snapshot);
  }

  @Override
  public SnapshotReader open() {
    data.views().readLock().lock();
    try {
      if (freed || data.views().closed()) {
        throw new IllegalStateException("snapshot of range " + state.descriptor().rangeId() + " was released");
      }
      ViewReader r = new ViewReader();
      synchronized (this) {
        readers.add(r);
      }
      return r;
    } finally {
      data.views().readLock().unlock();
    }
  }

  @Override
  public String toString() {
    return "view of range " + state.descriptor().rangeId() + " at " + state.appliedIndex();
  }

  /** Iterates the span in the snapshot, filling one reused buffer per chunk. */
  private final class ViewReader implements SnapshotReader {
    private final Slice upper;
    private final ReadOptions ro;
    private final RocksIterator it;
    private final CRC32C crc = new CRC32C();
    private byte[] buf = new byte[CHUNK_BYTES + SnapshotChunks.OVERHEAD];
    private boolean stateSent;
    private boolean endSent;
    private boolean closed;

    ViewReader() {
      RangeDescriptor d = state.descriptor();
      upper = new Slice(DataKeys.userEnd(d.endKey()));
      ro = new ReadOptions().setSnapshot(snapshot).setIterateUpperBound(upper);
      it = data.db().newIterator(data.cf(), ro);
      it.seek(DataKeys.user(d.startKey()));
    }

    @Override
    public ByteBuffer next() throws IOException {
      data.views().readLock().lock();
      try {
        if (closed) {
          throw new IOException("snapshot of range " + state.descriptor().rangeId() + " was closed while read");
        }
        if (endSent) {
          return null;
        }
        return fill();
      } catch (RocksDBException e) {
        throw new IOException("reading the snapshot of range " + state.descriptor().rangeId() + " failed: " + e.getMessage(), e);
      } finally {
        data.views().readLock().unlock();
      }
    }

    private ByteBuffer fill() throws RocksDBException {
      int at = 4;
      int limit = CHUNK_BYTES + 3; // body bytes end here, leaving a byte for the end record and room for the CRC
      if (!stateSent) {
        ensure(at + 5 + stateBytes.length + 4);
        buf[at] = SnapshotChunks.STATE;
        SnapshotChunks.putInt(buf, at + 1, stateBytes.length);
        System.arraycopy(stateBytes, 0, buf, at + 5, stateBytes.length);
        at += 5 + stateBytes.length;
        stateSent = true;
      }
      while (it.isValid()) {
        int room = Math.max(0, Math.min(limit, buf.length - 4) - at);
        int keyAt = at + 5;
        int keyLen = room >= 5 ? it.key(buf, keyAt, room - 5) : it.key(new byte[0], 0, 0);
        int valueAt = keyAt + keyLen + 4;
        int valueRoom = Math.min(limit, buf.length - 4) - valueAt;
        int valueLen = valueRoom >= 0 ? it.value(buf, valueAt, valueRoom) : -1;
        int needed = 5 + keyLen + 4 + Math.max(valueLen, 0);
        if (valueLen < 0 || needed > room) {
          if (at > 4) {
            break; // this pair starts the next chunk
          }
          // a pair larger than a chunk gets a chunk of its own
          valueLen = it.value(new byte[0], 0, 0);
          ensure(4 + 5 + keyLen + 4 + valueLen + 4);
          limit = buf.length - 4;
          continue;
        }
        buf[at] = SnapshotChunks.PAIR;
        SnapshotChunks.putInt(buf, at + 1, keyLen);
        SnapshotChunks.putInt(buf, keyAt + keyLen, valueLen);
        at += needed;
        it.next();
      }
      it.status();
      if (!it.isValid()) {
        ensure(at + 1 + 4);
        buf[at++] = SnapshotChunks.END;
        endSent = true;
      }
      SnapshotChunks.putInt(buf, 0, at - 4);
      crc.reset();
      crc.update(buf, 4, at - 4);
      SnapshotChunks.putInt(buf, at, (int) crc.getValue());
      return ByteBuffer.wrap(buf, 0, at + 4);
    }

    private void ensure(int bytes) {
      if (buf.length < bytes) {
        buf = java.util.Arrays.copyOf(buf, bytes);
      }
    }

    @Override
    public void close() {
      data.views().readLock().lock();
      try {
        synchronized (RangeSnapshotView.this) {
          readers.remove(this);
        }
        closeNow();
      } finally {
        data.views().readLock().unlock();
      }
    }

    void closeNow() {
      if (closed) {
        return;
      }
      closed = true;
      it.close();
      ro.close();
      upper.close();
    }
  }
}
