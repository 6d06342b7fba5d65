package io.multiraft.sim;

import io.multiraft.sim.lin.CheckResult;
import io.multiraft.sim.lin.History;
import io.multiraft.sim.lin.LinearizabilityChecker;
import java.util.List;

/** Checks the clients' history of a run for linearizability, key by key. */
final class SimHistoryCheck {
  private static final long MAX_STEPS_PER_KEY = 5_000_000;

  private SimHistoryCheck() {}

  /** Null if linearizable (or undecided within the budget), else why not. */
  static String check(List<ClientOp> ops) {
    History h = new History();
    for (ClientOp op : ops) {
      if (op.failed) {
        continue; // definitely had no effect
      }
      int id = switch (op.kind) {
        case READ -> h.invokeRead(op.client, op.key, op.callNs);
        case WRITE -> h.invokeWrite(op.client, op.key, op.value, op.callNs);
        case CAS -> h.invokeCas(op.client, op.key, op.expected, op.value, op.callNs);
      };
      if (op.unknown || op.returnNs == Long.MAX_VALUE) {
        h.returnUnknown(id);
        continue;
      }
      switch (op.kind) {
        case READ -> h.returnRead(id, (Long) op.output, op.returnNs);
        case WRITE -> h.returnWrite(id, op.returnNs);
        case CAS -> h.returnCas(id, Boolean.TRUE.equals(op.output), op.returnNs);
      }
    }
    CheckResult r = LinearizabilityChecker.forRegisters().withMaxStepsPerKey(MAX_STEPS_PER_KEY).check(h);
    return r.isIllegal() ? "history not linearizable: " + r.explanation() : null;
  }
}
