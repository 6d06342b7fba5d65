package io.multiraft.rangestore.log;

import io.multiraft.core.Entry;
import io.multiraft.core.LogStorage;
import io.multiraft.spi.LogBatch;
import io.multiraft.spi.LogStore;
import io.multiraft.spi.LogStoreException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jctools.maps.NonBlockingHashMapLong;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.FlushOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;

/**
 * The log of every group a node hosts, in one RocksDB (see {@link RocksOptions} for the families
 * and options). One {@link #write} is one WriteBatch and, with {@code sync}, one fsync for all the
 * groups in it. Entries carry a CRC32C checked on every read; recent entries are also kept in a
 * node-wide {@link EntryCache}. Compaction is a DeleteRange per group whose space a
 * {@link SpaceReclaimer} gives back off the raft threads.
 *
 * <p>Concurrency: writes, compactions and removals are serialised by one lock (lesson 6) and change
 * a group's in-memory state only after RocksDB accepted them, except where they remove entries:
 * those are hidden from readers first. Readers take no store-wide lock; see {@link GroupLog}.
 *
 * <p>Failure: a RocksDB error on a write fails the store closed; every later call throws a
 * {@link LogStoreException} naming the first error and the path, until the store is reopened.
 */
public final class RocksLogStore implements LogStore {
  private final LogDb db;
  private final String where;
  final EntryCache cache;
  private final SpaceReclaimer reclaimer;
  /**
   * Every worker looks its groups up here for each write: a map keyed by a primitive long, with no
   * boxed key to chase (the boxed map's lookups were 4% of a worker's time at 10,000 groups).
   */
  private final NonBlockingHashMapLong<GroupLog> logs = new NonBlockingHashMapLong<>();
  /** Serialises every change to the database: writes, compactions, removals. */
  private final ReentrantLock writeLock = new ReentrantLock();
  /** Reads of the database hold it shared; close holds it exclusively, so no read outlives the DB. */
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private volatile LogStoreException failure;
  private volatile boolean closed;

  private final int logCfId;
  private final int stateCfId;
  /** The writer's reusable serialized WriteBatch; guarded by the write lock. */
  private final WriteBatchRep rep = new WriteBatchRep(1 << 16);

  private final LongAdder writes = new LongAdder();
  private final LongAdder syncs = new LongAdder();
  private final LongAdder dbReads = new LongAdder();
  /** Changes dropped because their group was removed after they were prepared. */
  final LongAdder staleWrites = new LongAdder();

  private RocksLogStore(LogDb db, LogStoreConfig cfg) throws RocksDBException {
    this.db = db;
    this.where = "RocksDB log store " + db.path;
    this.cache = new EntryCache(cfg.entryCacheBytes(), 16);
    this.logCfId = db.logCf.getID();
    this.stateCfId = db.stateCf.getID();
    Recovery.recover(db, where, this::groupLog);
    this.reclaimer = new SpaceReclaimer(db, cfg.reclaimMinBytes(), cfg.reclaimIntervalMillis());
    if (cfg.reclaimInBackground()) {
      reclaimer.start();
    }
  }

  public static RocksLogStore open(Path dir) {
    return open(dir, LogStoreConfig.defaults());
  }

  /**
   * Opens (or creates) the store in {@code dir} and recovers every group's state.
   *
   * @throws LogStoreException if the directory is locked by another store (naming the holder),
   *     has another format version, lacks a column family, holds damaged state, or RocksDB fails
   */
  public static RocksLogStore open(Path dir, LogStoreConfig cfg) {
    LogDb db = LogDb.open(dir, cfg);
    try {
      return new RocksLogStore(db, cfg);
    } catch (RocksDBException e) {
      db.close();
      throw new LogStoreException("recovering log store " + db.path + " failed: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  // ---------------------------------------------------------------- LogStore

  @Override
  public Set<Long> groups() {
    checkUsable();
    Set<Long> out = new TreeSet<>();
    for (GroupLog log : logs.values()) {
      if (log.exists()) {
        out.add(log.groupId);
      }
    }
    return Collections.unmodifiableSet(out);
  }

  @Override
  public LogStorage storage(long groupId) {
    if (groupId <= 0) {
      throw new IllegalArgumentException("group ids are > 0, got " + groupId);
    }
    return groupLog(groupId);
  }

  private GroupLog groupLog(long groupId) {
    GroupLog log = logs.get(groupId);
    if (log != null) {
      return log;
    }
    synchronized (logs) { // a group's first use: one GroupLog (and cache slot) however many ask at once
      log = logs.get(groupId);
      if (log == null) {
        log = new GroupLog(groupId, this);
        logs.put(groupId, log);
      }
      return log;
    }
  }

  @Override
  public LogBatch newBatch() {
    return new RocksLogBatch(this::groupLog, logCfId);
  }

  @Override
  public void write(List<LogBatch> batches, boolean sync) {
    writeLock.lock();
    try {
      checkUsable();
      WritePlan plan = new WritePlan(this);
      try {
        rep.reset();
        plan.build(batches, rep, logCfId, stateCfId);
        if (plan.isEmpty()) {
          if (sync) {
            db.db.flushWal(true); // still make earlier unsynced writes (compactions) durable, as promised
            syncs.increment();
          }
          return;
        }
        plan.hide();
        try (WriteBatch wb = new WriteBatch(rep.toBytes())) {
          db.db.write(sync ? db.options.syncWrite() : db.options.asyncWrite(), wb);
        }
        plan.commit(cache);
      } catch (RocksDBException e) {
        throw fail("writing a batch", e);
      } finally {
        plan.release();
        rep.reset(); // drop the references to this write's batches
      }
      writes.increment();
      if (sync) {
        syncs.increment();
      }
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public void compact(long groupId, long index) {
    GroupLog log = logs.get(groupId);
    if (log == null) {
      return;
    }
    writeLock.lock();
    try {
      checkUsable();
      long to = log.compactionTarget(index);
      if (to < 0) {
        return;
      }
      long term = log.term(to); // no write can change it: we hold the write lock
      log.compactTo(to, term, cache); // readers see Compacted before the keys go
      byte[] end = LogKeys.log(groupId, to + 1);
      try (WriteBatch wb = new WriteBatch()) {
        wb.deleteRange(db.logCf, LogKeys.logStart(groupId), end);
        wb.put(db.stateCf, LogKeys.state(groupId, StateCodec.TRUNCATED), StateCodec.truncated(to, term));
        db.db.write(db.options.asyncWrite(), wb);
      } catch (RocksDBException e) {
        throw fail("compacting group " + groupId + " to index " + to, e);
      }
      reclaimer.deleted(groupId, end);
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public void removeGroup(long groupId) {
    writeLock.lock();
    try {
      checkUsable();
      GroupLog log = logs.get(groupId);
      if (log != null) {
        log.remove(cache);
      }
      try (WriteBatch wb = new WriteBatch()) {
        wb.deleteRange(db.logCf, LogKeys.logStart(groupId), LogKeys.logEnd(groupId));
        wb.deleteRange(db.stateCf, LogKeys.stateStart(groupId), LogKeys.stateEnd(groupId));
        db.db.write(db.options.syncWrite(), wb);
      } catch (RocksDBException e) {
        throw fail("removing group " + groupId, e);
      }
      syncs.increment();
      reclaimer.deleted(groupId, LogKeys.logEnd(groupId));
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Stops the space reclaimer, waits for a write in progress and for readers of the database, then
   * closes RocksDB, which releases the directory lock (lesson 22). Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    reclaimer.close();
    writeLock.lock();
    lifecycle.writeLock().lock();
    try {
      db.close();
    } finally {
      lifecycle.writeLock().unlock();
      writeLock.unlock();
    }
  }

  // ---------------------------------------------------------------- reads, for GroupLog

  record RangeRead(List<Entry> entries, long missingIndex) {}

  /**
   * Entries [lo, hi) of a group, at most {@code maxBytes} after the first, each verified; if a key
   * is absent, what was read before it and its index.
   */
  RangeRead readRange(long groupId, long lo, long hi, long maxBytes) {
    lifecycle.readLock().lock();
    try {
      checkUsable();
      dbReads.increment();
      List<Entry> out = new ArrayList<>((int) Math.min(hi - lo, 256));
      try (Slice upper = new Slice(LogKeys.log(groupId, hi));
          ReadOptions ro = new ReadOptions().setPrefixSameAsStart(true).setIterateUpperBound(upper);
          RocksIterator it = db.db.newIterator(db.logCf, ro)) {
        it.seek(LogKeys.log(groupId, lo));
        long expect = lo;
        long size = 0;
        while (expect < hi && it.isValid()) {
          long index = LogKeys.indexOf(it.key());
          if (index != expect) {
            break;
          }
          Entry e = EntryCodec.decode(groupId, index, it.value(), where);
          size += e.sizeBytes();
          if (!out.isEmpty() && size > maxBytes) {
            return new RangeRead(out, -1);
          }
          out.add(e);
          expect++;
          it.next();
        }
        it.status();
        return new RangeRead(out, expect < hi ? expect : -1);
      }
    } catch (RocksDBException e) {
      throw fail("reading group " + groupId + " entries [" + lo + ", " + hi + ")", e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** The verified term of a stored entry, or -1 if its key is absent. */
  long readTerm(long groupId, long index) {
    lifecycle.readLock().lock();
    try {
      checkUsable();
      dbReads.increment();
      byte[] v = db.db.get(db.logCf, LogKeys.log(groupId, index));
      return v == null ? -1 : EntryCodec.decodeTerm(groupId, index, v, where);
    } catch (RocksDBException e) {
      throw fail("reading group " + groupId + " term at " + index, e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  void checkUsable() {
    LogStoreException f = failure;
    if (f != null) {
      throw new LogStoreException(where + " failed earlier and refuses to serve until reopened: " + f.getMessage(), f);
    }
    if (closed) {
      throw new IllegalStateException(where + " is closed");
    }
  }

  private LogStoreException fail(String what, RocksDBException e) {
    LogStoreException f = new LogStoreException(what + " failed in " + where + ": " + e.getMessage()
        + " (status " + (e.getStatus() == null ? "?" : e.getStatus().getCodeString()) + "); the store refuses further"
        + " writes and reads until reopened, and nothing synced before this is lost", e);
    if (failure == null) {
      failure = f;
    }
    return f;
  }

  String where() {
    return where;
  }

  // ---------------------------------------------------------------- for the range store, tools and tests

  public Path path() {
    return db.path;
  }

  /** The node's RocksDB, shared with the range store. */
  public RocksDB db() {
    return db.db;
  }

  /** The family reserved for the range store's data. */
  public ColumnFamilyHandle dataColumnFamily() {
    return db.dataCf;
  }

  ColumnFamilyHandle logColumnFamily() {
    return db.logCf;
  }

  ColumnFamilyHandle stateColumnFamily() {
    return db.stateCf;
  }

  /** The failure that closed the store, or null. */
  public LogStoreException failure() {
    return failure;
  }

  /** Runs one space-reclaim pass now, on the calling thread (never a raft thread). */
  public int reclaimSpace() {
    lifecycle.readLock().lock();
    try {
      checkUsable();
      return reclaimer.reclaim();
    } catch (RocksDBException e) {
      throw new LogStoreException("reclaiming space in " + where + " failed: " + e.getMessage(), e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** Deleted ranges waiting for the reclaimer. */
  public int pendingReclaims() {
    return reclaimer.pendingRanges();
  }

  /** Writes the log and state memtables to SST files (tools, tests measuring file sizes). */
  public void flushMemtables() {
    lifecycle.readLock().lock();
    try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
      checkUsable();
      db.db.flush(fo, List.of(db.logCf, db.stateCf));
    } catch (RocksDBException e) {
      throw fail("flushing memtables", e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** Bytes of live SST files of the raft_log family. */
  public long logSstBytes() {
    lifecycle.readLock().lock();
    try {
      checkUsable();
      return db.db.getLongProperty(db.logCf, "rocksdb.live-sst-files-size");
    } catch (RocksDBException e) {
      throw new LogStoreException("reading SST sizes of " + where + ": " + e.getMessage(), e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** Changes dropped because their group was removed while they were in flight. */
  public long staleWrites() {
    return staleWrites.sum();
  }

  public long writes() {
    return writes.sum();
  }

  public long syncs() {
    return syncs.sum();
  }

  /** Reads that went to RocksDB (entry-cache misses). */
  public long dbReads() {
    return dbReads.sum();
  }

  public long cacheHits() {
    return cache.hits();
  }

  public long cacheMisses() {
    return cache.misses();
  }

  public long cacheBytes() {
    return cache.bytes();
  }

  public long reclaimCompactions() {
    return reclaimer.compactions();
  }
}
