package io.multiraft.rangestore.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiraft.core.ConfState;
import io.multiraft.core.Entry;
import io.multiraft.node.MultiRaftNode;
import io.multiraft.rangestore.log.RocksLogStore;
import io.multiraft.rangestore.range.Keys;
import io.multiraft.rangestore.range.RangeDescriptor;
import io.multiraft.rangestore.range.RangeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RangeStateMachineTest {
  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();
  private final List<Object> events = new ArrayList<>();
  private final ConfState conf = ConfState.ofVoters(1, 2, 3);

  static byte[] k(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @AfterEach
  void close() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private RangeData data(String name) {
    RocksLogStore store = RocksLogStore.open(dir.resolve(name));
    open.add(store);
    RangeData d = new RangeData(store.db(), store.dataColumnFamily());
    open.add(d);
    return d;
  }

  private RangeEvents recorder() {
    return new RangeEvents() {
      @Override
      public void descriptorChanged(RangeDescriptor d) {
        events.add(d);
      }

      @Override
      public void splitApplied(RangeDescriptor left, RangeDescriptor right, ConfState c) {
        events.add("split " + left.rangeId() + " " + right.rangeId());
      }

      @Override
      public void replicaRemoved(long rangeId, long term) {
        events.add("removed " + rangeId);
      }

      @Override
      public void splitMissed(RangeDescriptor right) {
        events.add("missed " + right.rangeId());
      }

      @Override
      public void rangeMerged(RangeDescriptor left, long rightId) {
        events.add("merged " + rightId + " into " + left.rangeId());
      }
    };
  }

  /** A range [start, end) with id 1 on node 1, as a bootstrap writes it. */
  private RangeStateMachine range(RangeData d, byte[] start, byte[] end) {
    RangeDescriptor desc = new RangeDescriptor(1, start, end, RangeDescriptor.replicasOf(conf), 0);
    d.write(writeState(d, new RangeState(MultiRaftNode.INITIAL_INDEX, MultiRaftNode.INITIAL_TERM, conf, desc, false)));
    return new RangeStateMachine(1, 1, d, recorder());
  }

  private static org.rocksdb.WriteBatch writeState(RangeData d, RangeState s) {
    org.rocksdb.WriteBatch wb = new org.rocksdb.WriteBatch();
    try {
      wb.put(d.cf(), DataKeys.state(s.descriptor().rangeId()), s.encode());
    } catch (org.rocksdb.RocksDBException e) {
      throw new AssertionError(e);
    }
    return wb;
  }

  private long index = MultiRaftNode.INITIAL_INDEX;

  private Object apply(RangeStateMachine sm, KvCommand c) {
    return sm.apply(Entry.normal(6, ++index, KvCommandCodec.encode(c)));
  }

  @Test
  void writesReadBackAndCasComparesValues() {
    RangeStateMachine sm = range(data("a"), Keys.MIN, null);
    assertInstanceOf(KvResult.Written.class, apply(sm, new KvCommand.Put(k("x"), k("1"))));
    assertArrayEquals(k("1"), sm.get(k("x")));
    KvResult.CasOutcome miss = (KvResult.CasOutcome) apply(sm, new KvCommand.Cas(k("x"), k("0"), k("2")));
    assertFalse(miss.succeeded());
    assertArrayEquals(k("1"), miss.current());
    KvResult.CasOutcome hit = (KvResult.CasOutcome) apply(sm, new KvCommand.Cas(k("x"), k("1"), k("2")));
    assertTrue(hit.succeeded());
    assertArrayEquals(k("2"), sm.get(k("x")));
    assertTrue(((KvResult.CasOutcome) apply(sm, new KvCommand.Cas(k("y"), null, k("new")))).succeeded());
    apply(sm, new KvCommand.Delete(k("x")));
    assertNull(sm.get(k("x")));
    assertEquals(index, sm.lastApplied());
  }

  @Test
  void aBatchWithOneKeyOutsideTheRangeWritesNothing() {
    RangeStateMachine sm = range(data("a"), k("b"), k("m"));
    long before = sm.lastApplied();
    Object r = apply(sm, new KvCommand.Batch(List.of(new KvCommand.Op(k("c"), k("1")), new KvCommand.Op(k("z"), k("1")))));
    KvResult.NotInRange nir = assertInstanceOf(KvResult.NotInRange.class, r);
    assertArrayEquals(k("z"), nir.key());
    assertNull(sm.get(k("c")));
    assertEquals(before, sm.lastApplied());
    assertThrows(RangeException.KeyNotInRange.class, () -> sm.get(k("z")));
  }

  @Test
  void aMalformedCommandIsRefusedAndChangesNothing() {
    RangeStateMachine sm = range(data("a"), Keys.MIN, null);
    apply(sm, new KvCommand.Put(k("x"), k("1")));
    long before = sm.lastApplied();
    byte[] bad = KvCommandCodec.encode(new KvCommand.Put(k("x"), k("2")));
    bad[bad.length - 6] ^= 1;
    Object r = sm.apply(Entry.normal(6, ++index, bad));
    assertTrue(((KvResult.Refused) r).reason().contains("checksum"), r.toString());
    assertArrayEquals(k("1"), sm.get(k("x")));
    assertEquals(before, sm.lastApplied());
  }

  @Test
  void appliedIndexMembershipAndDataSurviveAReopen() {
    Path p = dir.resolve("r");
    RocksLogStore store = RocksLogStore.open(p);
    RangeData d = new RangeData(store.db(), store.dataColumnFamily());
    RangeStateMachine sm = range(d, Keys.MIN, null);
    apply(sm, new KvCommand.Put(k("x"), k("1")));
    ConfState four = ConfState.ofVoters(1, 2, 3, 4);
    sm.applyConfChange(++index, 6, four);
    apply(sm, new KvCommand.Put(k("y"), k("2")));
    long applied = sm.lastApplied();
    d.close();
    store.close();

    RangeData again = data("r");
    RangeStateMachine back = new RangeStateMachine(1, 1, again, RangeEvents.NONE);
    assertEquals(applied, back.lastApplied());
    assertEquals(four, back.appliedConfState());
    assertEquals(4, back.descriptor().replicas().size());
    assertArrayEquals(k("2"), back.get(k("y")));
  }

  @Test
  void snapshotRestoresExactlyTheSpanOnAnotherNode() {
    RangeData src = data("src");
    RangeStateMachine sm = range(src, k("b"), k("m"));
    for (String key : List.of("b", "c", "d", "lzz")) {
      apply(sm, new KvCommand.Put(k(key), k("v" + key)));
    }
    byte[] snap = sm.snapshot();

    RangeData dst = data("dst");
    // The receiver holds stale keys in the span and a neighbour's key outside it.
    dst.write(put(dst, "c", "stale"));
    dst.write(put(dst, "x", "keep"));
    dst.write(put(dst, "e", "gone"));
    RangeStateMachine target = new RangeStateMachine(1, 2, dst, recorder());
    assertNull(target.descriptor());
    target.restore(snap);
    assertEquals(sm.descriptor(), target.descriptor());
    assertArrayEquals(k("vc"), target.get(k("c")));
    assertNull(target.get(k("e")));
    assertArrayEquals(k("keep"), dst.get(DataKeys.user(k("x"))));
    assertEquals(4, dst.countUserKeys(k("b"), k("m")));

    byte[] broken = snap.clone();
    broken[20] ^= 4;
    assertThrows(RuntimeException.class, () -> target.restore(broken));
    assertArrayEquals(k("vc"), target.get(k("c")));
  }

  private static org.rocksdb.WriteBatch put(RangeData d, String key, String value) {
    org.rocksdb.WriteBatch wb = new org.rocksdb.WriteBatch();
    try {
      wb.put(d.cf(), DataKeys.user(k(key)), k(value));
    } catch (org.rocksdb.RocksDBException e) {
      throw new AssertionError(e);
    }
    return wb;
  }

  @Test
  void splitShrinksTheLeftAndWritesTheRightAtTheInitialPosition() {
    RangeData d = data("a");
    RangeStateMachine sm = range(d, k("b"), null);
    apply(sm, new KvCommand.Put(k("c"), k("1")));
    apply(sm, new KvCommand.Put(k("q"), k("2")));
    KvResult.SplitDone done = (KvResult.SplitDone) apply(sm, new KvCommand.Split(k("m"), 99, 0));
    assertEquals(1, done.left().generation());
    assertArrayEquals(k("m"), done.left().endKey());
    assertArrayEquals(k("m"), done.right().startKey());
    assertNull(done.right().endKey());
    assertTrue(events.contains("split 1 99"));
    assertThrows(RangeException.KeyNotInRange.class, () -> sm.get(k("q")));

    RangeStateMachine right = new RangeStateMachine(99, 1, d, RangeEvents.NONE);
    assertEquals(MultiRaftNode.INITIAL_INDEX, right.lastApplied());
    assertEquals(conf, right.appliedConfState());
    assertArrayEquals(k("2"), right.get(k("q")));
    // A write routed before the split is refused by the left, not written into the right's span.
    assertInstanceOf(KvResult.NotInRange.class, apply(sm, new KvCommand.Put(k("z"), k("3"))));
    assertNull(right.get(k("z")));
  }

  @Test
  void badSplitsAreRefusedWithTheReasonAndChangeNothing() {
    RangeStateMachine sm = range(data("a"), k("b"), k("m"));
    RangeDescriptor before = sm.descriptor();
    String atStart = ((KvResult.Refused) apply(sm, new KvCommand.Split(k("b"), 9, 0))).reason();
    assertTrue(atStart.contains("strictly inside"), atStart);
    String outside = ((KvResult.Refused) apply(sm, new KvCommand.Split(k("z"), 9, 0))).reason();
    assertTrue(outside.contains("strictly inside"), outside);
    String stale = ((KvResult.Refused) apply(sm, new KvCommand.Split(k("c"), 9, 5))).reason();
    assertTrue(stale.contains("generation"), stale);
    assertEquals(before, sm.descriptor());
    assertTrue(events.isEmpty());
  }

  @Test
  void removalDeletesTheReplicasDataAndState() {
    RangeData d = data("a");
    RangeStateMachine sm = range(d, Keys.MIN, null);
    apply(sm, new KvCommand.Put(k("x"), k("1")));
    sm.applyConfChange(++index, 6, ConfState.ofVoters(2, 3));
    assertTrue(events.contains("removed 1"));
    assertNull(d.readState(1));
    assertNull(d.get(DataKeys.user(k("x"))));
    assertEquals(0, sm.lastApplied());
  }

  /** A membership change below the applied index is already reflected: it changes nothing, removes nothing. */
  @Test
  void aMembershipChangeBelowTheAppliedIndexIsIgnored() {
    RangeData d = data("a");
    RangeStateMachine sm = range(d, Keys.MIN, null);
    apply(sm, new KvCommand.Put(k("x"), k("1")));
    sm.applyConfChange(++index, 7, ConfState.ofVoters(1, 2, 4));
    apply(sm, new KvCommand.Put(k("y"), k("2")));
    RangeState before = sm.state();
    sm.applyConfChange(index - 1, 6, ConfState.ofVoters(1, 2, 3));
    sm.applyConfChange(index - 2, 6, ConfState.ofVoters(2, 3));
    assertEquals(before, sm.state());
    assertEquals(before, d.readState(1));
    assertArrayEquals(k("1"), sm.get(k("x")));
    assertFalse(events.contains("removed 1"));
  }

  @Test
  void mergeTakesTheFrozenRightRangeOverInPlaceAndAppliesOnce() {
    RangeData d = data("a");
    RangeStateMachine left = range(d, k("b"), null);
    apply(left, new KvCommand.Put(k("q"), k("right")));
    KvResult.SplitDone split = (KvResult.SplitDone) apply(left, new KvCommand.Split(k("m"), 2, 0));
    RangeStateMachine right = new RangeStateMachine(2, 1, d, recorder());
    long rightGen = split.right().generation();
    KvCommand.Merge merge = new KvCommand.Merge(split.right(), split.left().generation());
    // Not frozen yet: writes go on; a merge must not be proposed before the freeze, but its checks are the left's.
    KvResult.Frozen frozen = (KvResult.Frozen) right.apply(Entry.normal(6, 11, KvCommandCodec.encode(new KvCommand.Freeze(1, rightGen))));
    assertEquals(11, frozen.index());
    assertInstanceOf(KvResult.Busy.class, right.apply(Entry.normal(6, 12, KvCommandCodec.encode(new KvCommand.Put(k("r"), k("x"))))));
    assertInstanceOf(KvResult.Refused.class, right.apply(Entry.normal(6, 13, KvCommandCodec.encode(new KvCommand.Split(k("s"), 3, rightGen)))));
    KvResult.Merged merged = (KvResult.Merged) apply(left, merge);
    assertNull(merged.left().endKey());
    assertEquals(rightGen + 1, merged.left().generation());
    assertArrayEquals(k("right"), left.get(k("q")));
    assertNull(d.readState(2));
    assertTrue(events.contains("merged 2 into 1"));
    // A retried copy of the same merge is refused by the generation check: it applies once.
    assertInstanceOf(KvResult.Refused.class, apply(left, merge));
    // The merged-away range can neither be unfrozen nor revived by a snapshot.
    assertInstanceOf(KvResult.Refused.class, right.apply(Entry.normal(6, 14, KvCommandCodec.encode(new KvCommand.Unfreeze(rightGen)))));
    assertNull(d.readState(2));
  }

  /**
   * Snapshots from before a split or a merge must not be sent (sim seeds 41508, 47618): the floor
   * rises to the index of each applied split and merge, and not for writes or refused commands.
   */
  @Test
  void splitsAndMergesRaiseTheSnapshotFloor() {
    RangeData d = data("a");
    RangeStateMachine left = range(d, k("b"), null);
    apply(left, new KvCommand.Put(k("q"), k("1")));
    assertEquals(0, left.snapshotFloor());
    KvResult.SplitDone split = (KvResult.SplitDone) apply(left, new KvCommand.Split(k("m"), 2, 0));
    long splitAt = index;
    assertEquals(splitAt, left.snapshotFloor());
    apply(left, new KvCommand.Put(k("c"), k("2")));
    apply(left, new KvCommand.Split(k("z"), 3, 0)); // refused: stale generation
    assertEquals(splitAt, left.snapshotFloor());
    RangeStateMachine right = new RangeStateMachine(2, 1, d, recorder());
    right.apply(Entry.normal(6, 11, KvCommandCodec.encode(new KvCommand.Freeze(1, split.right().generation()))));
    assertEquals(0, right.snapshotFloor(), "a freeze changes no span");
    apply(left, new KvCommand.Merge(split.right(), split.left().generation()));
    assertEquals(index, left.snapshotFloor());
  }

  @Test
  void mergesOfNonAdjacentOrUnalignedRangesAreRefused() {
    RangeData d = data("a");
    RangeStateMachine left = range(d, k("b"), k("m"));
    RangeDescriptor gap = new RangeDescriptor(5, k("n"), null, RangeDescriptor.replicasOf(conf), 0);
    String r1 = ((KvResult.Refused) apply(left, new KvCommand.Merge(gap, 0))).reason();
    assertTrue(r1.contains("not adjacent"), r1);
    RangeDescriptor other = new RangeDescriptor(5, k("m"), null, RangeDescriptor.replicasOf(ConfState.ofVoters(1, 2, 4)), 0);
    String r2 = ((KvResult.Refused) apply(left, new KvCommand.Merge(other, 0))).reason();
    assertTrue(r2.contains("different replicas"), r2);
    assertEquals(0, left.descriptor().generation());
  }

  @Test
  void aLargeSnapshotIsStagedAsSstFilesAndIngestedReplacingExactlyTheSpan() throws Exception {
    RangeData src = data("src");
    RangeStateMachine sm = range(src, k("b"), k("m"));
    byte[] value = new byte[1000];
    List<KvCommand.Op> ops = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      ops.add(new KvCommand.Op(k(String.format("c%05d", i)), value));
      if (ops.size() == 500) {
        apply(sm, new KvCommand.Batch(ops));
        ops.clear();
      }
    }
    byte[] snap = sm.snapshot();
    assertTrue(snap.length > 1 << 20, "more than one chunk: " + snap.length);

    RocksLogStore store = RocksLogStore.open(dir.resolve("dst"));
    open.add(store);
    RangeData dst = new RangeData(store.db(), store.dataColumnFamily(), dir.resolve("dst").resolve("ingest"));
    open.add(dst);
    dst.write(put(dst, "c00005", "stale"));
    dst.write(put(dst, "d", "gone"));
    dst.write(put(dst, "x", "keep"));
    RangeStateMachine target = new RangeStateMachine(1, 2, dst, recorder());
    target.restore(snap);
    assertEquals(sm.descriptor(), target.descriptor());
    assertEquals(2000, dst.countUserKeys(k("b"), k("m")));
    assertArrayEquals(value, target.get(k("c00005")));
    assertNull(target.get(k("d")));
    assertArrayEquals(k("keep"), dst.get(DataKeys.user(k("x"))));
    assertEquals(sm.lastApplied(), new RangeStateMachine(1, 2, dst, RangeEvents.NONE).lastApplied());
    try (var files = java.nio.file.Files.list(dir.resolve("dst").resolve("ingest").resolve("staging"))) {
      assertEquals(0, files.count(), "the SST files were moved into the database and the staging directory removed");
    }
  }
}
