package io.multiraft.rangestore.log;

import io.multiraft.core.ConfState;
import io.multiraft.core.HardState;
import io.multiraft.core.SnapshotMeta;
import io.multiraft.spi.CorruptLogException;
import io.multiraft.spi.LogStoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * Rebuilds every group's metadata at open: its records in raft_state (hard state, compaction point,
 * membership, snapshot), then its last log index and term from raft_log (one seek per group).
 */
final class Recovery {
  private Recovery() {}

  private static final class Found {
    final long groupId;
    HardState hardState = HardState.EMPTY;
    long[] truncated;
    ConfState confState = ConfState.EMPTY;
    SnapshotMeta snapshot = SnapshotMeta.EMPTY;

    Found(long groupId) {
      this.groupId = groupId;
    }
  }

  /** Returns the recovered groups, each already filled in through {@code logs}. */
  static List<GroupLog> recover(LogDb db, String where, LongFunction<GroupLog> logs) throws RocksDBException {
    List<Found> found = readStates(db, where);
    List<GroupLog> out = new ArrayList<>(found.size());
    // total order: the log family has a prefix extractor, and these seeks cross group prefixes
    try (ReadOptions ro = new ReadOptions().setTotalOrderSeek(true); RocksIterator it = db.db.newIterator(db.logCf, ro)) {
      for (Found f : found) {
        if (f.truncated == null) {
          throw new LogStoreException("group " + f.groupId + " in " + where + " has state records but no truncated-state"
              + " record: the store is damaged; remove the group's data and re-add the replica");
        }
        long first = f.truncated[0] + 1;
        long truncTerm = f.truncated[1];
        long last = first - 1;
        long lastTerm = truncTerm;
        it.seekForPrev(LogKeys.logEnd(f.groupId)); // index 0 is never used, so this key is never stored
        if (it.isValid()) {
          byte[] key = it.key();
          if (LogKeys.groupOf(key) == f.groupId && LogKeys.indexOf(key) >= first) {
            last = LogKeys.indexOf(key);
            lastTerm = EntryCodec.decodeTerm(f.groupId, last, it.value(), where);
          }
        }
        it.status();
        if (last >= first && db.db.get(db.logCf, LogKeys.log(f.groupId, first)) == null) {
          throw new CorruptLogException(f.groupId, first, where,
              "is missing although the log reaches index " + last + " (found on open)");
        }
        GroupLog log = logs.apply(f.groupId);
        log.recovered(first, last, truncTerm, lastTerm, f.hardState, f.confState, f.snapshot);
        out.add(log);
      }
    }
    return out;
  }

  private static List<Found> readStates(LogDb db, String where) throws RocksDBException {
    List<Found> found = new ArrayList<>();
    Found cur = null;
    try (ReadOptions ro = new ReadOptions().setTotalOrderSeek(true); RocksIterator it = db.db.newIterator(db.stateCf, ro)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        byte[] key = it.key();
        if (key.length != LogKeys.GROUP_PREFIX_BYTES + 1) {
          throw new LogStoreException("unexpected key of " + key.length + " bytes in raft_state of " + where
              + ": not written by this format version");
        }
        long g = LogKeys.groupOf(key);
        if (cur == null || cur.groupId != g) {
          cur = new Found(g);
          found.add(cur);
        }
        byte kind = key[LogKeys.GROUP_PREFIX_BYTES];
        byte[] v = it.value();
        switch (kind) {
          case StateCodec.HARD_STATE -> cur.hardState = StateCodec.readHardState(g, v, where);
          case StateCodec.TRUNCATED -> cur.truncated = StateCodec.readTruncated(g, v, where);
          case StateCodec.CONF_STATE -> cur.confState = StateCodec.readConfState(g, v, where);
          case StateCodec.SNAPSHOT -> cur.snapshot = StateCodec.readSnapshot(g, v, where);
          default -> throw new LogStoreException("unknown raft_state record kind " + kind + " of group " + g + " in "
              + where + ": written by a newer build?");
        }
      }
      it.status();
    }
    return found;
  }
}
