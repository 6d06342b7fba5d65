package io.multiraft.rangestore.log;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompactionStyle;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.SkipListMemTableConfig;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteOptions;

/**
 * The RocksDB options of a node's log store, each with the reason it is set. Owns the native
 * option objects; close it after the database.
 */
public final class RocksOptions implements AutoCloseable {
  public static final String LOG_CF = "raft_log";
  public static final String STATE_CF = "raft_state";
  public static final String DATA_CF = "data";
  public static final String DEFAULT_CF = new String(RocksDB.DEFAULT_COLUMN_FAMILY, StandardCharsets.UTF_8);

  /** Every family the store needs, default first. */
  public static final List<String> COLUMN_FAMILIES = List.of(DEFAULT_CF, LOG_CF, STATE_CF, DATA_CF);

  private final List<AutoCloseable> owned = new ArrayList<>();
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions logOptions;
  private final ColumnFamilyOptions stateOptions;
  private final ColumnFamilyOptions dataOptions;
  private final ColumnFamilyOptions defaultOptions;
  private final WriteOptions syncWrite;
  private final WriteOptions asyncWrite;

  public RocksOptions(LogStoreConfig cfg) {
    RocksDB.loadLibrary();
    // One block cache for all families: memory is bounded per node, and the family that is hot
    // (usually the log on a leader catching followers up) gets the space.
    Cache blockCache = own(new LRUCache(cfg.blockCacheBytes()));

    dbOptions = own(new DBOptions())
        // A new node's directory is created on first open; the caller validated its config first (lesson 21).
        .setCreateIfMissing(true)
        // A family missing from an existing store is damage to report, not something to recreate empty.
        .setCreateMissingColumnFamilies(false)
        // After a crash the WAL tail may be torn: recover up to the first bad record (everything
        // synced), instead of refusing to open (absolute consistency) or skipping holes (which
        // could bring back a later write without an earlier one).
        .setWalRecoveryMode(WALRecoveryMode.PointInTimeRecovery)
        // The log family's hinted inserts and the state family's hash-bucketed memtable (see below)
        // take one writer at a time; there is only one, the node's log writer.
        .setAllowConcurrentMemtableWrite(false)
        // Bounds the WAL on disk: past it, the families pinning the oldest WAL file are flushed, so
        // rarely written ones (raft_state, data) do not keep old WAL files alive forever.
        .setMaxTotalWalSize(512L << 20)
        // Node-wide cap on memtable memory, however many families there are.
        .setDbWriteBufferSize(cfg.dbWriteBufferBytes())
        // Flushes and compactions run beside the raft threads, not on them.
        .setMaxBackgroundJobs(cfg.maxBackgroundJobs())
        // Flush and compaction output is synced every MB, so their final fsync is small and does
        // not stall the log writer's WAL syncs behind gigabytes of dirty pages.
        .setBytesPerSync(1L << 20)
        // Obsolete files are deleted by a background job, not by the thread whose write released them.
        .setAvoidUnnecessaryBlockingIO(true)
        // RocksDB's own info LOG files: bounded.
        .setKeepLogFileNum(5)
        .setMaxLogFileSize(16L << 20);
    // Not set, on purpose: manual_wal_flush (every log write is synced, so there is nothing to
    // gather in user space, and an unsynced write would then be lost even on a process crash);
    // pipelined/unordered writes (one writer thread: group commit happens before RocksDB).

    logOptions = own(insertHintedByGroup())
        // Absorbs bursts; entries live briefly (compacted behind snapshots) and entries deleted
        // while still in the memtable never reach an SST file.
        .setWriteBufferSize(cfg.logWriteBufferBytes())
        // A flush in progress does not stall the writes that fill the next memtable.
        .setMaxWriteBufferNumber(4)
        // The group id (8 bytes) is the prefix: reads of one group skip files and memtables that
        // hold none of its keys.
        .useFixedLengthPrefixExtractor(LogKeys.GROUP_PREFIX_BYTES)
        .setMemtablePrefixBloomSizeRatio(0.1)
        // One skip list for all groups, each insert starting where the group's previous one
        // ended (see insertHintedByGroup): a group's entries arrive in index order, so an insert
        // costs a few comparisons instead of a descent through cold nodes.
        .setMemTableConfig(new SkipListMemTableConfig())
        // Level compaction keeps space amplification near 1.1, so space freed by range deletes comes
        // back as files are compacted; universal compaction may hold twice the live data.
        .setCompactionStyle(CompactionStyle.LEVEL)
        .setLevelCompactionDynamicLevelBytes(true)
        // Entries are short-lived and the write path is CPU-bound past ~1,000 entries per sync:
        // compressing them would spend CPU on data that is deleted soon.
        .setCompressionType(CompressionType.NO_COMPRESSION)
        // A safety net for Dragonboat #372: range tombstones over a group that stopped writing are
        // applied within 6 hours even if no new writes push compaction through that key range.
        .setPeriodicCompactionSeconds(6 * 3600)
        .setTableFormatConfig(table(blockCache, true));

    stateOptions = own(new ColumnFamilyOptions())
        // Hard states are tiny and rewritten every cycle: a small memtable absorbs the overwrites.
        .setWriteBufferSize(16L << 20)
        .setMaxWriteBufferNumber(2)
        .useFixedLengthPrefixExtractor(LogKeys.GROUP_PREFIX_BYTES)
        .setMemTableConfig(groupBuckets())
        .setCompactionStyle(CompactionStyle.LEVEL)
        .setLevelCompactionDynamicLevelBytes(true)
        .setTableFormatConfig(table(blockCache, true));

    dataOptions = own(new ColumnFamilyOptions())
        // Reserved for the range store's user data: ordinary settings for a key-value table, with
        // cheap LZ4 compression since this data lives long.
        .setWriteBufferSize(64L << 20)
        .setMaxWriteBufferNumber(3)
        .setCompactionStyle(CompactionStyle.LEVEL)
        .setLevelCompactionDynamicLevelBytes(true)
        .setCompressionType(CompressionType.LZ4_COMPRESSION)
        .setTableFormatConfig(table(blockCache, true));

    defaultOptions = own(new ColumnFamilyOptions())
        // Holds only the format-version record.
        .setWriteBufferSize(1L << 20)
        .setTableFormatConfig(table(blockCache, false));

    syncWrite = own(new WriteOptions()).setSync(true);
    // Compactions need not be durable at once: a later synced write makes them so (WAL order), and
    // one lost in a crash leaves only entries that are still valid.
    asyncWrite = own(new WriteOptions()).setSync(false);
  }

  /**
   * Hash-bucketed memtable keyed by the group prefix. The bucket array is allocated in each
   * memtable's arena and counts against its size, so it is kept small (64 KB): RocksDB's default
   * (a million buckets, 8 MB) would fill a test-sized memtable on its own and force a flush per write.
   */
  private static org.rocksdb.HashSkipListMemTableConfig groupBuckets() {
    return new org.rocksdb.HashSkipListMemTableConfig().setBucketCount(8192);
  }

  /**
   * Options whose memtable remembers, per group prefix, where the last insert went and starts the
   * next one there. The writes of a cycle touch hundreds of groups: with a plain shared skip list
   * each insert was a full descent (40% of the CPU of a 1,000-group write load); with a skip list
   * per group (hash buckets) a descent through that group's cold list (key comparisons were 6% of
   * all CPU at 1,000 groups, 0.4% with hints; CPU per replicated write fell ~10%). RocksJava has no
   * setter for this option, so it is set by name; a library that did not know it would fail here.
   */
  private static ColumnFamilyOptions insertHintedByGroup() {
    Properties p = new Properties();
    p.setProperty("memtable_insert_with_hint_prefix_extractor", "rocksdb.FixedPrefix." + LogKeys.GROUP_PREFIX_BYTES);
    ColumnFamilyOptions o = ColumnFamilyOptions.getColumnFamilyOptionsFromProps(p);
    if (o == null) {
      throw new IllegalStateException("this RocksDB does not take memtable_insert_with_hint_prefix_extractor");
    }
    return o;
  }

  private BlockBasedTableConfig table(Cache blockCache, boolean bloom) {
    BlockBasedTableConfig t = new BlockBasedTableConfig()
        .setBlockCache(blockCache)
        // Index and filter blocks are charged to the shared cache, so memory stays bounded as
        // files multiply; level-0's are pinned because every read consults them.
        .setCacheIndexAndFilterBlocks(true)
        .setPinL0FilterAndIndexBlocksInCache(true);
    if (bloom) {
      // 10 bits per key, ~1% false positives: point reads (term lookups) skip files without the key.
      t.setFilterPolicy(own(new BloomFilter(10)));
    }
    return t;
  }

  private <T extends AutoCloseable> T own(T resource) {
    owned.add(resource);
    return resource;
  }

  public DBOptions dbOptions() {
    return dbOptions;
  }

  public ColumnFamilyOptions logColumnFamilyOptions() {
    return logOptions;
  }

  public ColumnFamilyOptions optionsFor(String family) {
    return switch (family) {
      case LOG_CF -> logOptions;
      case STATE_CF -> stateOptions;
      case DATA_CF -> dataOptions;
      default -> defaultOptions;
    };
  }

  public List<ColumnFamilyDescriptor> descriptors(List<String> families) {
    List<ColumnFamilyDescriptor> out = new ArrayList<>();
    for (String f : families) {
      out.add(new ColumnFamilyDescriptor(f.getBytes(StandardCharsets.UTF_8), optionsFor(f)));
    }
    return out;
  }

  public WriteOptions syncWrite() {
    return syncWrite;
  }

  public WriteOptions asyncWrite() {
    return asyncWrite;
  }

  @Override
  public void close() {
    for (int i = owned.size() - 1; i >= 0; i--) {
      try {
        owned.get(i).close();
      } catch (Exception e) {
        throw new IllegalStateException("closing RocksDB options", e);
      }
    }
    owned.clear();
  }
}
