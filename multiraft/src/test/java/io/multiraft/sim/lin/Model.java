package io.multiraft.sim.lin;

/**
 * A sequential specification: what a single copy of the data would answer, one operation at a time.
 * The checker asks it whether each operation's recorded output is possible in a given state.
 *
 * <p>States must be non-null (null is the "impossible" answer of {@link #step}) and must not be
 * mutated by {@code step}: the search keeps old states to backtrack to and caches them.
 */
public interface Model<S> {

  S init();

  /**
   * The state after {@code op} takes effect in {@code state}, or null if {@code op}'s recorded output
   * could not have been produced from {@code state}. An operation with an unknown outcome must be
   * accepted in every state in which it can take effect at all.
   */
  S step(S state, Operation op);

  /** Lets models whose states lack a useful {@code equals} still be memoized. */
  default boolean equal(S a, S b) {
    return a.equals(b);
  }

  default int hash(S state) {
    return state.hashCode();
  }

  default String describe(S state) {
    return String.valueOf(state);
  }
}
