package io.multiraft.sim.lin;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The checker's answer for a whole history: the worst verdict over its keys, and why. */
public final class CheckResult {

  private final Verdict verdict;
  private final String key;
  private final String explanation;
  private final Map<String, Verdict> verdictsByKey;
  private final long steps;

  private CheckResult(Verdict verdict, String key, String explanation,
      Map<String, Verdict> verdictsByKey, long steps) {
    this.verdict = verdict;
    this.key = key;
    this.explanation = explanation;
    this.verdictsByKey = Collections.unmodifiableMap(verdictsByKey);
    this.steps = steps;
  }

  /**
   * ILLEGAL if any key is, even when others ran out of budget: one violation is a definite answer.
   * Results are expected in key order, so the key reported is the first in that order.
   */
  static CheckResult of(List<KeyResult> results) {
    Map<String, Verdict> byKey = new LinkedHashMap<>();
    long steps = 0;
    int operations = 0;
    KeyResult firstIllegal = null;
    KeyResult firstUnknown = null;
    for (KeyResult r : results) {
      byKey.put(r.key(), r.verdict());
      steps += r.steps();
      operations += r.operations();
      if (r.verdict() == Verdict.ILLEGAL && firstIllegal == null) {
        firstIllegal = r;
      }
      if (r.verdict() == Verdict.UNKNOWN && firstUnknown == null) {
        firstUnknown = r;
      }
    }
    if (firstIllegal != null) {
      List<String> others = results.stream().filter(r -> r.verdict() == Verdict.ILLEGAL)
          .map(KeyResult::key).skip(1).toList();
      String also = others.isEmpty() ? "" : "Also not linearizable: keys " + others + "\n";
      return new CheckResult(
          Verdict.ILLEGAL, firstIllegal.key(), firstIllegal.explanation() + also, byKey, steps);
    }
    if (firstUnknown != null) {
      return new CheckResult(Verdict.UNKNOWN, firstUnknown.key(), firstUnknown.explanation(), byKey, steps);
    }
    String ok = "linearizable: " + operations + " operations on " + results.size() + " keys";
    return new CheckResult(Verdict.OK, null, ok, byKey, steps);
  }

  public Verdict verdict() {
    return verdict;
  }

  public boolean isOk() {
    return verdict == Verdict.OK;
  }

  public boolean isIllegal() {
    return verdict == Verdict.ILLEGAL;
  }

  /** The first key found ILLEGAL or, failing that, the first that ran out of budget; null when OK. */
  public String key() {
    return key;
  }

  /**
   * Human-readable: for ILLEGAL, the longest linearizable prefix and the operations that could not
   * follow it; for UNKNOWN, how far the search got.
   */
  public String explanation() {
    return explanation;
  }

  /** Every key's verdict, in key order. */
  public Map<String, Verdict> verdictsByKey() {
    return verdictsByKey;
  }

  /** Search steps taken over all keys; what the step budget is measured in. */
  public long steps() {
    return steps;
  }

  @Override
  public String toString() {
    return verdict + (key == null ? "" : " on key " + key) + ": " + explanation;
  }
}
