package io.multiraft.rangestore.kv;

import io.multiraft.core.Entry;
import io.multiraft.rangestore.range.RangeDescriptor;
import java.util.Arrays;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/** Applies the data commands (put, delete, compare-and-set, batch) of one range: all keys checked first. */
final class KvApply {
  private KvApply() {}

  static KvResult apply(RangeStateMachine sm, RangeState s, KvCommand cmd, Entry entry) {
    RangeDescriptor d = s.descriptor();
    byte[] outside = firstKeyOutside(cmd, d);
    if (outside != null) {
      // Routed before a split or merge changed the span: the client re-routes, nothing is written.
      return new KvResult.NotInRange(outside, d);
    }
    ColumnFamilyHandle cf = sm.data().cf();
    RangeState next = s.withApplied(entry.index(), entry.term());
    try (WriteBatch wb = new WriteBatch()) {
      KvResult result = KvResult.WRITTEN;
      if (cmd instanceof KvCommand.Put p) {
        wb.put(cf, DataKeys.user(p.key()), p.value());
      } else if (cmd instanceof KvCommand.Delete del) {
        wb.delete(cf, DataKeys.user(del.key()));
      } else if (cmd instanceof KvCommand.Cas cas) {
        // The apply thread is the only writer of this span, so this read cannot go stale before the write.
        byte[] current = sm.data().get(DataKeys.user(cas.key()));
        boolean match = cas.expected() == null ? current == null : Arrays.equals(cas.expected(), current);
        if (!match) {
          return new KvResult.CasOutcome(false, current);
        }
        if (cas.newValue() == null) {
          wb.delete(cf, DataKeys.user(cas.key()));
        } else {
          wb.put(cf, DataKeys.user(cas.key()), cas.newValue());
        }
        result = new KvResult.CasOutcome(true, current);
      } else if (cmd instanceof KvCommand.Batch b) {
        for (KvCommand.Op op : b.ops()) {
          if (op.value() == null) {
            wb.delete(cf, DataKeys.user(op.key()));
          } else {
            wb.put(cf, DataKeys.user(op.key()), op.value());
          }
        }
      } else {
        return new KvResult.Refused("command " + cmd.getClass().getSimpleName() + " is not a data command");
      }
      sm.commit(wb, next);
      return result;
    } catch (RocksDBException e) {
      throw new RangeData.DataException("building the write of range " + sm.rangeId() + " failed: " + e.getMessage(), e);
    }
  }

  private static byte[] firstKeyOutside(KvCommand cmd, RangeDescriptor d) {
    if (cmd instanceof KvCommand.Put p) {
      return d.contains(p.key()) ? null : p.key();
    } else if (cmd instanceof KvCommand.Delete del) {
      return d.contains(del.key()) ? null : del.key();
    } else if (cmd instanceof KvCommand.Cas cas) {
      return d.contains(cas.key()) ? null : cas.key();
    } else if (cmd instanceof KvCommand.Batch b) {
      for (KvCommand.Op op : b.ops()) {
        if (!d.contains(op.key())) {
          return op.key();
        }
      }
    }
    return null;
  }
}
