package io.multiraft.rangestore.log;

/**
 * Sizes and switches of a {@link RocksLogStore}.
 *
 * @param blockCacheBytes RocksDB block cache shared by every column family (also holds index and
 *     filter blocks)
 * @param entryCacheBytes the node-wide cache of recent entries (off-heap, see {@link EntryCache}); 0 disables it
 * @param logWriteBufferBytes memtable size of raft_log
 * @param dbWriteBufferBytes memtable memory cap over all column families
 * @param maxBackgroundJobs RocksDB flush and compaction threads
 * @param reclaimMinBytes a deleted key range is compacted on its own once RocksDB estimates this
 *     many bytes of files in it; smaller ones are gathered until together they reach it
 * @param reclaimIntervalMillis pause between two space-reclaim passes of the background thread
 * @param reclaimInBackground run the space reclaimer on its own thread; off, the owner calls
 *     {@link RocksLogStore#reclaimSpace()} (tests, tools)
 */
public record LogStoreConfig(
    long blockCacheBytes,
    long entryCacheBytes,
    long logWriteBufferBytes,
    long dbWriteBufferBytes,
    int maxBackgroundJobs,
    long reclaimMinBytes,
    long reclaimIntervalMillis,
    boolean reclaimInBackground) {

  public LogStoreConfig {
    require(blockCacheBytes > 0, "blockCacheBytes must be > 0");
    require(entryCacheBytes >= 0, "entryCacheBytes must be >= 0");
    require(logWriteBufferBytes >= 1 << 20, "logWriteBufferBytes must be >= 1 MB");
    require(dbWriteBufferBytes >= logWriteBufferBytes, "dbWriteBufferBytes must be >= logWriteBufferBytes");
    require(maxBackgroundJobs >= 2, "maxBackgroundJobs must be >= 2 (one flush, one compaction)");
    require(reclaimMinBytes >= 0, "reclaimMinBytes must be >= 0");
    require(reclaimIntervalMillis >= 0, "reclaimIntervalMillis must be >= 0");
  }

  /** For a node: 256 MB block cache, 64 MB of recent entries, 64 MB log memtables, reclaim every 10 s. */
  public static LogStoreConfig defaults() {
    return new LogStoreConfig(256L << 20, 64L << 20, 64L << 20, 256L << 20,
        Math.max(2, Runtime.getRuntime().availableProcessors()), 4L << 20, 10_000, true);
  }

  /** Small caches and buffers, reclaiming only when asked: for tests that open many stores. */
  public static LogStoreConfig forTests() {
    return new LogStoreConfig(8L << 20, 4L << 20, 4L << 20, 16L << 20, 2, 1L << 20, 0, false);
  }

  public LogStoreConfig withEntryCacheBytes(long bytes) {
    return new LogStoreConfig(blockCacheBytes, bytes, logWriteBufferBytes, dbWriteBufferBytes, maxBackgroundJobs,
        reclaimMinBytes, reclaimIntervalMillis, reclaimInBackground);
  }

  public LogStoreConfig withReclaimMinBytes(long bytes) {
    return new LogStoreConfig(blockCacheBytes, entryCacheBytes, logWriteBufferBytes, dbWriteBufferBytes, maxBackgroundJobs,
        bytes, reclaimIntervalMillis, reclaimInBackground);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
