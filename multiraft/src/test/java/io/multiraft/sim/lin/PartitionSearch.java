package io.multiraft.sim.lin;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Wing & Gong's depth-first search for a linearization of one key's operations, pruned with
 * {@link SearchCache}.
 *
 * <p>Walking the entry list from its head, every call met before the first return is an operation
 * that may take effect next; the first return belongs to one that must take effect before anything
 * called later. So: try the calls in order, and on reaching a return, undo the last choice and try
 * the one after it. Reaching the return of an unknown-outcome operation means every known operation
 * has been placed (unknown returns sort last) and the remaining unknown ones can be taken never to
 * have happened.
 */
final class PartitionSearch<S> {

  private record Frame<S>(Entry call, S before) {}

  private final Model<S> model;
  private final String key;
  private final List<Operation> ops;
  private final long maxSteps;

  PartitionSearch(Model<S> model, String key, List<Operation> ops, long maxSteps) {
    this.model = model;
    this.key = key;
    this.ops = List.copyOf(ops);
    this.maxSteps = maxSteps;
  }

  KeyResult run() {
    EntryList entries = new EntryList(ops);
    SearchCache<S> cache = new SearchCache<>(model);
    BitSet linearized = new BitSet(ops.size());
    List<Frame<S>> stack = new ArrayList<>();
    S state = model.init();
    // the deepest point reached, kept for the report: a failure is explained best where it got furthest
    List<Entry> longest = List.of();
    S longestEnd = state;
    long steps = 0;
    Entry cur = entries.first();
    while (cur != null) {
      if (steps == maxSteps) {
        return gaveUp(steps, longest.size());
      }
      steps++;
      if (cur.isCall) {
        S next = model.step(state, cur.op);
        if (next != null) {
          linearized.set(cur.index);
          if (cache.add(linearized, next)) {
            stack.add(new Frame<>(cur, state));
            state = next;
            cur.lift();
            if (stack.size() > longest.size()) {
              longest = calls(stack);
              longestEnd = state;
            }
            cur = entries.first();
            continue;
          }
          linearized.clear(cur.index);
        }
        cur = cur.next;
      } else if (cur.op.unknown()) {
        break;
      } else {
        if (stack.isEmpty()) {
          String why = IllegalExplanation.render(key, model, entries, longest, longestEnd);
          return new KeyResult(key, Verdict.ILLEGAL, ops.size(), steps, why);
        }
        Frame<S> top = stack.remove(stack.size() - 1);
        state = top.before();
        linearized.clear(top.call().index);
        top.call().unlift();
        cur = top.call().next;
      }
    }
    return new KeyResult(key, Verdict.OK, ops.size(), steps, "");
  }

  private KeyResult gaveUp(long steps, int deepest) {
    String why = "key " + key + ": gave up after " + steps + " search steps (the budget) with "
        + ops.size() + " operations; the longest linearizable prefix found so far has " + deepest;
    return new KeyResult(key, Verdict.UNKNOWN, ops.size(), steps, why);
  }

  private static <S> List<Entry> calls(List<Frame<S>> stack) {
    List<Entry> out = new ArrayList<>(stack.size());
    for (Frame<S> f : stack) {
      out.add(f.call());
    }
    return out;
  }
}
