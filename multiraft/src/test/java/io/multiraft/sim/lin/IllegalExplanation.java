package io.multiraft.sim.lin;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Words for a failed search: the longest linearizable prefix it found, and why nothing could follow
 * it. At that deepest point every operation that could come next was rejected by the model
 * (accepting one would have made a longer prefix), so listing them with the state they met shows
 * which recorded results clash.
 */
final class IllegalExplanation {

  /** Long prefixes are cut to their end, where the failure is. */
  static final int SHOWN_PREFIX = 20;

  private IllegalExplanation() {}

  static <S> String render(String key, Model<S> model, EntryList entries, List<Entry> prefix, S end) {
    StringBuilder out = new StringBuilder();
    int total = entries.events().size() / 2;
    out.append("key ").append(key).append(": not linearizable (").append(total).append(" operations).\n");
    out.append("The longest linearizable prefix has ").append(prefix.size()).append(" of ").append(total)
        .append(" operations and ends in state ").append(model.describe(end)).append(":\n");
    appendPrefix(out, model, prefix);

    BitSet placed = new BitSet();
    prefix.forEach(e -> placed.set(e.index));
    List<Entry> candidates = new ArrayList<>();
    Entry deadline = null;
    for (Entry e : entries.events()) {
      if (placed.get(e.index)) {
        continue;
      }
      if (!e.isCall) {
        deadline = e;
        break;
      }
      candidates.add(e);
    }
    if (deadline == null) {
      // cannot happen for a failed search: with every known operation placed it would have succeeded
      return out.append("(no operation is left to place)\n").toString();
    }
    out.append("Then one of these must take effect, before #").append(deadline.op.id())
        .append(" returns at ").append(deadline.op.returnTime()).append(", and none can:\n");
    for (Entry c : candidates) {
      out.append("  ").append(c.op).append(": ");
      if (model.step(end, c.op) == null) {
        out.append("impossible in state ").append(model.describe(end)).append('\n');
      } else {
        out.append("possible here, but no order of the rest works after it\n");
      }
    }
    return out.toString();
  }

  private static <S> void appendPrefix(StringBuilder out, Model<S> model, List<Entry> prefix) {
    int hidden = Math.max(0, prefix.size() - SHOWN_PREFIX);
    if (hidden > 0) {
      out.append("  ... ").append(hidden).append(" earlier operations\n");
    }
    // replayed rather than stored: the search keeps only the states it needs to backtrack
    S state = model.init();
    for (int i = 0; i < prefix.size(); i++) {
      state = model.step(state, prefix.get(i).op);
      if (i >= hidden) {
        out.append("  ").append(prefix.get(i).op).append("  => ").append(model.describe(state)).append('\n');
      }
    }
  }
}
