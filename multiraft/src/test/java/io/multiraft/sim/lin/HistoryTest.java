package io.multiraft.sim.lin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Recording invocations and their outcomes, and what the recorded operations look like. */
class HistoryTest {

  @Test
  void returnsFillInOutputsAndTimes() {
    History h = new History();
    int r = h.invokeRead(0, "x", 5);
    int w = h.invokeWrite(1, "x", 7L, 6);
    int c = h.invokeCas(2, "y", null, 8L, 7);
    h.returnCas(c, true, 9);
    h.returnRead(r, 7L, 12);
    h.returnWrite(w, 10);
    List<Operation> ops = h.operations();
    assertEquals(List.of(
        new Operation(r, 0, "x", OpKind.READ, null, null, 7L, false, 5, 12, false),
        new Operation(w, 1, "x", OpKind.WRITE, 7L, null, null, false, 6, 10, false),
        new Operation(c, 2, "y", OpKind.CAS, 8L, null, null, true, 7, 9, false)), ops);
  }

  @Test
  void unknownAndStillPendingOperationsNeverReturn() {
    History h = new History();
    int timedOut = h.invokeCas(0, "x", 1L, 2L, 5);
    h.returnUnknown(timedOut);
    h.invokeWrite(1, "x", 3L, 6);
    for (Operation op : h.operations()) {
      assertTrue(op.unknown(), op::toString);
      assertEquals(Operation.NEVER, op.returnTime());
      assertFalse(op.succeeded());
    }
  }

  @Test
  void definitelyFailedOperationsAreLeftOutButKeepTheIdsOfOthers() {
    History h = new History();
    h.returnFailed(h.invokeWrite(0, "x", 1L, 0));
    int read = h.read(0, "x", 1, 2, null);
    List<Operation> ops = h.operations();
    assertEquals(1, ops.size());
    assertEquals(read, ops.get(0).id());
    assertEquals(1, read);
  }

  @Test
  void recordingMistakesAreRefusedWhereTheyAreMade() {
    History h = new History();
    int w = h.invokeWrite(0, "x", 1L, 10);
    assertThrows(IllegalArgumentException.class, () -> h.returnWrite(w, 9), "return before call");
    assertThrows(IllegalArgumentException.class, () -> h.returnRead(w, 1L, 11), "wrong kind");
    assertThrows(IllegalArgumentException.class, () -> h.returnWrite(w, Operation.NEVER),
        "NEVER is reserved");
    assertThrows(IllegalArgumentException.class, () -> h.returnWrite(w + 1, 11), "no such operation");
    h.returnWrite(w, 10);
    assertThrows(IllegalStateException.class, () -> h.returnWrite(w, 11), "returned twice");
    assertThrows(IllegalStateException.class, () -> h.returnUnknown(w), "already returned");
  }

  @Test
  void operationsDescribeThemselvesForReports() {
    History h = new History();
    h.read(0, "x", 1, 2, null);
    h.cas(1, "x", null, 3L, false, 3, 4);
    h.unknownWrite(2, "x", 5L, 6);
    List<Operation> ops = h.operations();
    assertEquals("#0 client 0 key x READ -> absent [1, 2]", ops.get(0).toString());
    assertEquals("#1 client 1 key x CAS(absent -> 3) failed [3, 4]", ops.get(1).toString());
    assertEquals("#2 client 2 key x WRITE(5) [6, inf) outcome unknown", ops.get(2).toString());
    assertNull(ops.get(2).output());
  }
}
