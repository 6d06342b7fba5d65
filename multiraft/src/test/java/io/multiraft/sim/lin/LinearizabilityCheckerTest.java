package io.multiraft.sim.lin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hand-written histories of a register whose verdict is known. Times are virtual nanoseconds. */
class LinearizabilityCheckerTest {

  private static final String X = "x";
  /** Far more than any history here needs, so that UNKNOWN would show up as a failure. */
  private static final long BUDGET = 2_000_000;

  private static CheckResult check(History h) {
    return LinearizabilityChecker.forRegisters().withMaxStepsPerKey(BUDGET).check(h);
  }

  private static void assertOk(History h) {
    CheckResult r = check(h);
    assertEquals(Verdict.OK, r.verdict(), r::toString);
    assertNull(r.key());
  }

  private static CheckResult assertIllegal(History h, String key) {
    CheckResult r = check(h);
    assertEquals(Verdict.ILLEGAL, r.verdict(), r::toString);
    assertEquals(key, r.key());
    return r;
  }

  @Test
  void emptyHistoryIsLinearizable() {
    assertOk(new History());
  }

  // ---- sequential histories

  @Test
  void sequentialWritesAndReadsAreLinearizable() {
    History h = new History();
    h.read(0, X, 0, 1, null);
    h.write(0, X, 1L, 2, 3);
    h.read(1, X, 4, 5, 1L);
    h.write(1, X, 2L, 6, 7);
    h.read(0, X, 8, 9, 2L);
    h.write(0, X, null, 10, 11);
    h.read(1, X, 12, 13, null);
    assertOk(h);
  }

  @Test
  void sequentialReadOfAValueNotThereIsIllegal() {
    History h = new History();
    h.write(0, X, 1L, 0, 1);
    h.read(1, X, 2, 3, 2L);
    assertIllegal(h, X);
  }

  @Test
  void absentIsNotZero() {
    History h = new History();
    h.read(0, X, 0, 1, 0L);
    assertIllegal(h, X);
  }

  // ---- concurrent histories

  @Test
  void readOverlappingTwoWritesMaySeeEither() {
    for (long seen : new long[] {1, 2}) {
      History h = new History();
      h.write(0, X, 1L, 0, 10);
      h.write(1, X, 2L, 0, 10);
      h.read(2, X, 5, 15, seen);
      // once both writes are done, later reads must agree with the order chosen
      h.read(2, X, 20, 21, seen);
      assertOk(h);
    }
  }

  @Test
  void readsAfterConcurrentWritesCannotDisagree() {
    History h = new History();
    h.write(0, X, 1L, 0, 10);
    h.write(1, X, 2L, 0, 10);
    h.read(2, X, 20, 21, 1L);
    h.read(2, X, 22, 23, 2L);
    assertIllegal(h, X);
  }

  @Test
  void staleReadAfterACompletedWriteIsIllegal() {
    History h = new History();
    h.write(0, X, 1L, 0, 5);
    h.write(0, X, 2L, 6, 10);
    h.read(1, X, 11, 12, 1L);
    assertIllegal(h, X);
  }

  @Test
  void readingTheNewValueThenTheOldOneIsIllegal() {
    History h = new History();
    h.write(0, X, 1L, 0, 100);
    h.read(1, X, 10, 20, 1L);
    h.read(2, X, 30, 40, null);
    assertIllegal(h, X);
  }

  @Test
  void readingTheOldValueThenTheNewOneIsFine() {
    History h = new History();
    h.write(0, X, 1L, 0, 100);
    h.read(1, X, 10, 20, null);
    h.read(2, X, 30, 40, 1L);
    assertOk(h);
  }

  @Test
  void aCallAtTheInstantOfAnotherReturnCountsAsConcurrent() {
    History touching = new History();
    touching.write(0, X, 1L, 0, 5);
    touching.write(0, X, 2L, 6, 10);
    touching.read(1, X, 10, 12, 1L);
    assertOk(touching);

    History after = new History();
    after.write(0, X, 1L, 0, 5);
    after.write(0, X, 2L, 6, 10);
    after.read(1, X, 11, 12, 1L);
    assertIllegal(after, X);
  }

  // ---- compare-and-set

  @Test
  void casSucceedsExactlyWhenTheExpectedValueIsThere() {
    History ok = new History();
    ok.cas(0, X, null, 1L, true, 0, 1);
    ok.cas(0, X, null, 2L, false, 2, 3);
    ok.cas(0, X, 1L, 3L, true, 4, 5);
    ok.cas(0, X, 1L, 4L, false, 6, 7);
    ok.read(0, X, 8, 9, 3L);
    assertOk(ok);

    History wrongSuccess = new History();
    wrongSuccess.write(0, X, 1L, 0, 1);
    wrongSuccess.cas(0, X, 5L, 6L, true, 2, 3);
    assertIllegal(wrongSuccess, X);

    History wrongFailure = new History();
    wrongFailure.cas(0, X, null, 1L, false, 0, 1);
    assertIllegal(wrongFailure, X);
  }

  @Test
  void concurrentWriteAndCasAreValidOnlyInTheOrderTheCasNeeds() {
    // the CAS could only succeed after the write, which decides what a later read may see
    History h = new History();
    h.write(0, X, 1L, 0, 10);
    h.cas(1, X, 1L, 2L, true, 0, 10);
    h.read(2, X, 11, 12, 2L);
    assertOk(h);

    History stale = new History();
    stale.write(0, X, 1L, 0, 10);
    stale.cas(1, X, 1L, 2L, true, 0, 10);
    stale.read(2, X, 11, 12, 1L);
    assertIllegal(stale, X);
  }

  @Test
  void twoConcurrentCasOpsOnAnAbsentKeyCannotBothSucceed() {
    History both = new History();
    both.cas(0, X, null, 1L, true, 0, 10);
    both.cas(1, X, null, 2L, true, 0, 10);
    assertIllegal(both, X);

    History one = new History();
    one.cas(0, X, null, 1L, true, 0, 10);
    one.cas(1, X, null, 2L, false, 0, 10);
    one.read(2, X, 11, 12, 1L);
    assertOk(one);

    History loserObserved = new History();
    loserObserved.cas(0, X, null, 1L, true, 0, 10);
    loserObserved.cas(1, X, null, 2L, false, 0, 10);
    loserObserved.read(2, X, 11, 12, 2L);
    assertIllegal(loserObserved, X);
  }

  // ---- unknown outcomes

  @Test
  void unknownWriteWhoseEffectIsObserved() {
    History h = new History();
    h.write(0, X, 1L, 0, 5);
    h.unknownWrite(0, X, 2L, 6);
    h.read(1, X, 10, 11, 2L);
    h.read(1, X, 20, 21, 2L);
    assertOk(h);
  }

  @Test
  void unknownWriteWhoseEffectIsNeverObserved() {
    History h = new History();
    h.write(0, X, 1L, 0, 5);
    h.unknownWrite(0, X, 2L, 6);
    h.read(1, X, 10, 11, 1L);
    h.read(1, X, 1_000, 1_001, 1L);
    assertOk(h);
  }

  @Test
  void unknownWriteMayTakeEffectLongAfterItsCall() {
    History h = new History();
    h.write(0, X, 1L, 0, 5);
    h.unknownWrite(0, X, 2L, 6);
    h.read(1, X, 10, 11, 1L);
    h.read(1, X, 1_000, 1_001, 2L);
    assertOk(h);
  }

  @Test
  void unknownWriteCannotExplainAValueReadBeforeItWasCalled() {
    History h = new History();
    h.read(1, X, 0, 5, 2L);
    h.unknownWrite(0, X, 2L, 10);
    assertIllegal(h, X);
  }

  @Test
  void unknownWriteTakesEffectOnceAndCannotBeUndone() {
    History h = new History();
    h.write(0, X, 1L, 0, 5);
    h.unknownWrite(0, X, 2L, 6);
    h.read(1, X, 10, 11, 2L);
    h.read(1, X, 12, 13, 1L);
    assertIllegal(h, X);
  }

  @Test
  void unknownCasOnlyExplainsAValueIfItsExpectationCouldHold() {
    History met = new History();
    met.write(0, X, 1L, 0, 5);
    met.unknownCas(0, X, 1L, 2L, 6);
    met.read(1, X, 10, 11, 2L);
    assertOk(met);

    History unmet = new History();
    unmet.write(0, X, 1L, 0, 5);
    unmet.unknownCas(0, X, 7L, 2L, 6);
    unmet.read(1, X, 10, 11, 2L);
    assertIllegal(unmet, X);
  }

  @Test
  void operationsStillPendingWhenTheHistoryEndsMayHaveTakenEffect() {
    History h = new History();
    h.invokeWrite(0, X, 1L, 0);
    h.read(1, X, 10, 11, 1L);
    assertOk(h);
  }

  @Test
  void definitelyFailedOperationsCannotExplainAnything() {
    History h = new History();
    h.returnFailed(h.invokeWrite(0, X, 1L, 0));
    h.read(1, X, 10, 11, 1L);
    assertIllegal(h, X);
  }

  // ---- several keys, reporting, budget

  @Test
  void reportsTheKeyThatIsNotLinearizable() {
    History h = new History();
    h.write(0, "a", 1L, 0, 5);
    h.read(1, "a", 6, 7, 1L);
    h.write(0, "b", 1L, 0, 5);
    h.write(0, "b", 2L, 6, 10);
    h.read(1, "b", 11, 12, 1L);
    h.write(2, "c", 3L, 0, 5);
    h.read(2, "c", 0, 5, null);
    CheckResult r = assertIllegal(h, "b");
    assertEquals(Map.of("a", Verdict.OK, "b", Verdict.ILLEGAL, "c", Verdict.OK), r.verdictsByKey());
    assertTrue(r.explanation().startsWith("key b:"), r::explanation);
  }

  @Test
  void allIllegalKeysAreNamedAndTheFirstIsReported() {
    History h = new History();
    h.read(0, "b", 0, 1, 5L);
    h.read(0, "a", 0, 1, 5L);
    h.read(0, "c", 0, 1, null);
    CheckResult r = assertIllegal(h, "a");
    assertTrue(r.explanation().contains("Also not linearizable: keys [b]"), r::explanation);
  }

  @Test
  void explanationShowsTheLongestPrefixAndWhatCouldNotFollowIt() {
    History h = new History();
    h.write(0, X, 1L, 0, 5);
    h.write(0, X, 2L, 6, 10);
    int stale = h.read(1, X, 11, 12, 1L);
    h.read(1, X, 13, 14, 2L);
    String why = assertIllegal(h, X).explanation();
    // W1, W2, then the read of 1 (which had to come before its return at 12) meets state 2
    assertTrue(why.contains("longest linearizable prefix has 2 of 4 operations and ends in state 2"), why);
    assertTrue(why.contains("before #" + stale + " returns at 12"), why);
    assertTrue(why.contains("#" + stale + " client 1 key x READ -> 1 [11, 12]: impossible in state 2"), why);
  }

  /** Twelve writes that all overlap, then a read of a value none of them wrote. */
  private static History manyConcurrentWritesThenAnImpossibleRead() {
    History h = new History();
    for (int c = 0; c < 12; c++) {
      h.write(c, X, (long) c, 0, 100);
    }
    h.read(12, X, 101, 102, 99L);
    return h;
  }

  @Test
  void runningOutOfStepsGivesUnknownRatherThanAVerdict() {
    CheckResult r = LinearizabilityChecker.forRegisters().withMaxStepsPerKey(10)
        .check(manyConcurrentWritesThenAnImpossibleRead());
    assertEquals(Verdict.UNKNOWN, r.verdict(), r::toString);
    assertEquals(X, r.key());
    assertEquals(10, r.steps());
    assertTrue(r.explanation().contains("gave up after 10 search steps"), r::explanation);
  }

  @Test
  void anIllegalKeyOutweighsAKeyThatRanOutOfSteps() {
    History h = manyConcurrentWritesThenAnImpossibleRead();
    h.read(0, "y", 0, 1, 5L);
    CheckResult r = LinearizabilityChecker.forRegisters().withMaxStepsPerKey(10).check(h);
    assertEquals(Verdict.ILLEGAL, r.verdict(), r::toString);
    assertEquals("y", r.key());
    assertEquals(Verdict.UNKNOWN, r.verdictsByKey().get(X));
  }

  @Test
  void memoizationMakesRefutingManyConcurrentWritesCheap() {
    // 12! orders of the writes would take billions of steps; the cache leaves 12 * 2^11 configurations
    assertIllegal(manyConcurrentWritesThenAnImpossibleRead(), X);
  }
}
