package io.multiraft.rangestore.log;

import io.multiraft.core.Entry;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The most recent entries of every group, bounded in bytes per node (not per group), so a leader
 * serves followers that are slightly behind without reading RocksDB.
 *
 * <p>Layout: one off-heap ring of {@code capacity} bytes for the whole node, into which the writer
 * copies each write's entry records (the bytes it already encoded for RocksDB), and per group a
 * {@link Slot} listing where its recent entries start in the ring. Off-heap and record-based because
 * a cache of entry objects on the heap keeps hundreds of thousands of objects alive for seconds,
 * and the young collections copying them cost the write path a fifth of its throughput at 10,000
 * groups. Eviction is FIFO by write: the ring overwrites the oldest bytes, which invalidates the
 * oldest positions of whichever groups wrote them, so the groups written least recently lose their
 * oldest entries first (LRU by write).
 *
 * <p>Concurrency: one writer (the log writer, under the store's write lock) appends; readers copy
 * bytes without a lock and then check that the writer had not yet reached them (a seqlock on
 * {@link #writePos}); a read that lost the race is a miss and goes to RocksDB. Slots are guarded by
 * their shard's lock.
 */
final class EntryCache {
  private static final VarHandle WRITE_POS;

  static {
    try {
      WRITE_POS = MethodHandles.lookup().findVarHandle(EntryCache.class, "writePos", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final byte[] NO_BYTES = new byte[0];

  private final ByteBuffer ring;
  private final long capacity;
  /** Bytes ever written; the ring holds logical positions [writePos - capacity, writePos). */
  @SuppressWarnings("unused") // through WRITE_POS
  private volatile long writePos;
  private final Shard[] shards;
  private final int mask;

  EntryCache(long capacityBytes, int shardCount) {
    if (Integer.bitCount(shardCount) != 1) {
      throw new IllegalArgumentException("shardCount must be a power of two, got " + shardCount);
    }
    if (capacityBytes < 0 || capacityBytes > 1L << 30) {
      throw new IllegalArgumentException("entry cache capacity must be in [0, 1 GB], got " + capacityBytes);
    }
    capacity = capacityBytes;
    ring = capacityBytes == 0 ? null : ByteBuffer.allocateDirect((int) capacityBytes);
    shards = new Shard[shardCount];
    for (int i = 0; i < shardCount; i++) {
      shards[i] = new Shard();
    }
    mask = shardCount - 1;
  }

  /** A new group's place in the cache. */
  Slot slot(long groupId) {
    long h = groupId * 0x9E3779B97F4A7C15L; // spread consecutive ids over the shards
    return new Slot(groupId, shards[(int) (h >>> 40) & mask]);
  }

  private long oldestValid() {
    return (long) WRITE_POS.getVolatile(this) - capacity;
  }

  // ---------------------------------------------------------------- reads

  /**
   * Entries [lo, hi) with at most {@code maxBytes} after the first, if the cache still holds them
   * up to that limit; null on a miss. The caller checked that [lo, hi) lies within the group's log.
   */
  List<Entry> get(Slot s, long lo, long hi, long maxBytes, String where) {
    long[] positions;
    Shard shard = s.shard;
    synchronized (shard) {
      if (s.size == 0 || lo < s.firstIndex || hi - 1 > s.lastIndex() || s.position(lo) < oldestValid()) {
        shard.misses++;
        return null;
      }
      int n = (int) Math.min(hi - lo, 4096);
      positions = new long[n];
      for (int i = 0; i < n; i++) {
        positions[i] = s.position(lo + i);
      }
    }
    List<Entry> out = new ArrayList<>(Math.min(positions.length, 256));
    long size = 0;
    byte[][] values = new byte[positions.length][];
    int read = 0;
    for (; read < positions.length; read++) {
      values[read] = readValue(positions[read]);
      size += values[read].length - EntryCodec.HEADER_BYTES + Entry.OVERHEAD_BYTES;
      if (read > 0 && size > maxBytes) {
        break;
      }
    }
    VarHandle.loadLoadFence(); // the bytes above were read before we look whether they were overwritten
    if (positions[0] < oldestValid()) {
      synchronized (shard) {
        shard.misses++;
      }
      return null;
    }
    for (int i = 0; i < read; i++) {
      out.add(EntryCodec.decode(s.groupId, lo + i, values[i], where));
    }
    if (out.size() < hi - lo && out.size() == positions.length) {
      return null; // more than one read's worth was asked and fits the limit: let RocksDB serve it all
    }
    synchronized (shard) {
      shard.hits++;
    }
    return out;
  }

  /** The term of a cached entry, or -1. */
  long term(Slot s, long index, String where) {
    long position;
    Shard shard = s.shard;
    synchronized (shard) {
      if (s.size == 0 || index < s.firstIndex || index > s.lastIndex() || s.position(index) < oldestValid()) {
        shard.misses++;
        return -1;
      }
      position = s.position(index);
    }
    byte[] value = readValue(position);
    VarHandle.loadLoadFence();
    if (position < oldestValid()) {
      synchronized (shard) {
        shard.misses++;
      }
      return -1;
    }
    synchronized (shard) {
      shard.hits++;
    }
    return EntryCodec.decodeTerm(s.groupId, index, value, where);
  }

  /**
   * The value of the WriteBatch put record at logical position {@code pos}: type byte, column
   * family varint, key (length-prefixed), value (length-prefixed). Garbage if overwritten meanwhile:
   * the caller checks before using it.
   */
  private byte[] readValue(long pos) {
    try {
      int at = (int) (pos % capacity);
      at++; // type
      at = skipVarint(at); // column family
      int keyLength = readVarint(at);
      at = skipVarint(at) + keyLength;
      int valueLength = readVarint(at);
      at = skipVarint(at);
      if (keyLength < 0 || valueLength < 0 || at + (long) valueLength > capacity) {
        return NO_BYTES; // overwritten while we parsed: the caller's check turns this into a miss
      }
      byte[] value = new byte[valueLength];
      ring.get(at, value, 0, valueLength);
      return value;
    } catch (IndexOutOfBoundsException e) {
      return NO_BYTES; // likewise
    }
  }

  private int readVarint(int at) {
    int v = 0;
    for (int shift = 0; shift < 35 && at < capacity; shift += 7) {
      byte b = ring.get(at++);
      v |= (b & 0x7F) << shift;
      if (b >= 0) {
        return v;
      }
    }
    return -1;
  }

  private int skipVarint(int at) {
    while (at < capacity - 1 && ring.get(at) < 0) {
      at++;
    }
    return at + 1;
  }

  // ---------------------------------------------------------------- the writer

  /**
   * Caches entries [from, to) of an append after its write succeeded: their put records are bytes
   * [offsets[from], offsets[to]) of {@code records} (see {@link RocksLogBatch.Append}), the first
   * one's index is {@code firstIndex}. They replace any cached entries from that index on. Only
   * the store's writer calls this.
   */
  void append(Slot s, long firstIndex, byte[] records, int[] offsets, int from, int to) {
    if (ring == null || from >= to) {
      return;
    }
    int length = offsets[to] - offsets[from];
    Shard shard = s.shard;
    if (length > capacity / 4) {
      synchronized (shard) {
        s.clear(); // too large to be worth a quarter of the cache: read from RocksDB instead
      }
      return;
    }
    long pos = (long) WRITE_POS.get(this);
    long phys = pos % capacity;
    if (phys + length > capacity) {
      pos += capacity - phys; // records never wrap: skip the ring's tail
    }
    WRITE_POS.setVolatile(this, pos + length);
    VarHandle.fullFence(); // readers that may see the bytes below must see the new writePos first
    ring.put((int) (pos % capacity), records, offsets[from], length);
    long oldest = pos + length - capacity;
    synchronized (shard) {
      if (s.size > 0 && (firstIndex > s.lastIndex() + 1 || firstIndex < s.firstIndex)) {
        s.clear(); // not contiguous with what is cached: start the suffix anew
      } else if (s.size > 0) {
        s.truncateFrom(firstIndex);
      }
      for (int i = from; i < to; i++) {
        s.add(firstIndex + (i - from), pos + (offsets[i] - offsets[from]));
      }
      s.dropStale(oldest);
    }
  }

  /** Drops the entries up to and including {@code index} (compaction). */
  void dropUpTo(Slot s, long index) {
    synchronized (s.shard) {
      s.dropUpTo(index);
    }
  }

  /** Drops every entry of a group (snapshot install, removal). */
  void clear(Slot s) {
    synchronized (s.shard) {
      s.clear();
    }
  }

  /** Bytes of the ring in use. */
  long bytes() {
    return Math.min((long) WRITE_POS.getVolatile(this), capacity);
  }

  long capacityBytes() {
    return capacity;
  }

  long hits() {
    long n = 0;
    for (Shard s : shards) {
      synchronized (s) {
        n += s.hits;
      }
    }
    return n;
  }

  long misses() {
    long n = 0;
    for (Shard s : shards) {
      synchronized (s) {
        n += s.misses;
      }
    }
    return n;
  }

  private static final class Shard {
    long hits;
    long misses;
  }

  /**
   * Where one group's recent entries start in the ring: a growable ring of logical positions for
   * consecutive indexes from {@code firstIndex}. Guarded by its shard's lock.
   */
  static final class Slot {
    private static final long[] NONE = new long[0];

    private final long groupId;
    private final Shard shard;
    private long[] positions = NONE;
    private int head;
    private int size;
    private long firstIndex;

    private Slot(long groupId, Shard shard) {
      this.groupId = groupId;
      this.shard = shard;
    }

    private long lastIndex() {
      return firstIndex + size - 1;
    }

    private long position(long index) {
      return positions[(head + (int) (index - firstIndex)) & (positions.length - 1)];
    }

    private void add(long index, long position) {
      if (size == positions.length) {
        long[] bigger = new long[Math.max(4, positions.length * 2)];
        for (int i = 0; i < size; i++) {
          bigger[i] = positions[(head + i) & (positions.length - 1)];
        }
        positions = bigger;
        head = 0;
      }
      if (size == 0) {
        firstIndex = index;
      }
      positions[(head + size) & (positions.length - 1)] = position;
      size++;
    }

    private void removeFirst() {
      head = (head + 1) & (positions.length - 1);
      size--;
      firstIndex++;
    }

    private void truncateFrom(long index) {
      while (size > 0 && lastIndex() >= index) {
        size--;
      }
    }

    private void dropUpTo(long index) {
      while (size > 0 && firstIndex <= index) {
        removeFirst();
      }
      shrinkIfEmpty();
    }

    /** Forgets positions the ring has overwritten (or is about to). */
    private void dropStale(long oldest) {
      while (size > 0 && positions[head] < oldest) {
        removeFirst();
      }
      shrinkIfEmpty();
    }

    private void clear() {
      size = 0;
      head = 0;
      positions = NONE;
    }

    private void shrinkIfEmpty() {
      if (size == 0) {
        clear();
      }
    }
  }
}
