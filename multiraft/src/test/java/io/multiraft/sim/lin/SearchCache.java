package io.multiraft.sim.lin;

import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;

/**
 * Lowe's memoization: the configurations (set of linearized operations, model state) already
 * reached. What remains to be placed depends only on that pair, so reaching one a second time, by
 * a different order of the same operations, can only repeat a search that already failed.
 */
final class SearchCache<S> {

  private final Model<S> model;
  private final Set<Key> seen = new HashSet<>();

  SearchCache(Model<S> model) {
    this.model = model;
  }

  /** Records the configuration; false if it was already there. Copies {@code linearized}. */
  boolean add(BitSet linearized, S state) {
    return seen.add(new Key((BitSet) linearized.clone(), state));
  }

  int size() {
    return seen.size();
  }

  private final class Key {
    final BitSet linearized;
    final S state;
    final int hash;

    Key(BitSet linearized, S state) {
      this.linearized = linearized;
      this.state = state;
      this.hash = 31 * linearized.hashCode() + model.hash(state);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean equals(Object o) {
      if (!(o instanceof SearchCache<?>.Key other)) {
        return false;
      }
      // only keys of this cache meet in its set, so other.state is an S
      return hash == other.hash && linearized.equals(other.linearized) && model.equal(state, (S) other.state);
    }
  }
}
