package io.multiraft.sim.lin;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decides whether a history of operations on a key-value store is linearizable: whether there is
 * one order of all operations, each placed somewhere between its call and its return, that the
 * {@link Model} accepts.
 *
 * <p>Keys are independent, so each key's operations are checked on their own (a linearization of
 * every key is one of the whole history, and the search is exponential in the size of what it
 * checks). Keys are checked in their natural order, so the verdict and the key it names are
 * deterministic.
 */
public final class LinearizabilityChecker<S> {

  private final Model<S> model;
  private final long maxStepsPerKey;

  public LinearizabilityChecker(Model<S> model) {
    this(model, Long.MAX_VALUE);
  }

  private LinearizabilityChecker(Model<S> model, long maxStepsPerKey) {
    if (maxStepsPerKey <= 0) {
      throw new IllegalArgumentException("step budget must be positive: " + maxStepsPerKey);
    }
    this.model = model;
    this.maxStepsPerKey = maxStepsPerKey;
  }

  /** A checker for keys holding a {@code Long}, read, written and compare-and-set. */
  public static LinearizabilityChecker<RegisterState> forRegisters() {
    return new LinearizabilityChecker<>(new RegisterModel());
  }

  /**
   * A copy that gives up on a key after {@code maxSteps} search steps, reporting UNKNOWN instead of
   * searching for an exponentially long time. Counted in steps rather than wall time so that the
   * outcome is as deterministic as the simulation that produced the history. Unbounded by default.
   */
  public LinearizabilityChecker<S> withMaxStepsPerKey(long maxSteps) {
    return new LinearizabilityChecker<>(model, maxSteps);
  }

  public CheckResult check(History history) {
    return check(history.operations());
  }

  public CheckResult check(Collection<Operation> operations) {
    Map<String, List<Operation>> byKey = new TreeMap<>();
    for (Operation op : operations) {
      byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
    }
    List<KeyResult> results = new ArrayList<>(byKey.size());
    byKey.forEach((key, ops) -> results.add(new PartitionSearch<>(model, key, ops, maxStepsPerKey).run()));
    return CheckResult.of(results);
  }
}
