package io.multiraft.rangestore.kv;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The snapshot views of one database that are still open. A view may be read on a transport
 * thread while the node shuts down, so every read holds the read lock, and closing the database
 * first takes the write lock and frees every view left open: a read afterwards fails cleanly
 * instead of touching a closed database.
 */
final class SnapshotViews {
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<RangeSnapshotView, Boolean> open = new IdentityHashMap<>();
  private boolean closed;

  ReentrantReadWriteLock.ReadLock readLock() {
    return lock.readLock();
  }

  /** Registers a view; false once the database is closing. */
  boolean add(RangeSnapshotView v) {
    lock.writeLock().lock();
    try {
      if (closed) {
        return false;
      }
      open.put(v, Boolean.TRUE);
      return true;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Frees a view (its last reference went away); a no-op after {@link #closeAll()}. */
  void free(RangeSnapshotView v) {
    lock.writeLock().lock();
    try {
      if (open.remove(v) != null) {
        v.freeNow();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  boolean closed() {
    return closed;
  }

  int openViews() {
    lock.readLock().lock();
    try {
      return open.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Before the database closes: every view still open is freed, later reads fail. */
  void closeAll() {
    lock.writeLock().lock();
    try {
      closed = true;
      List<RangeSnapshotView> views = new ArrayList<>(open.keySet());
      open.clear();
      for (RangeSnapshotView v : views) {
        v.freeNow();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }
}
