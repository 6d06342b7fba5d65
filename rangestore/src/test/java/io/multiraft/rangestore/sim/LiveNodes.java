package io.multiraft.rangestore.sim;

import io.multiraft.rangestore.api.RangeStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The nodes that are up, as the coordinators see them. A coordinator iterating over the nodes may
 * block mid-way (and the simulation crash a node meanwhile), so every view handed out is a copy.
 */
final class LiveNodes extends TreeMap<Long, RangeStore> {
  @Override
  public Collection<RangeStore> values() {
    return new ArrayList<>(super.values());
  }

  @Override
  public Set<Long> keySet() {
    return new TreeSet<>(super.keySet());
  }

  @Override
  public Set<Map.Entry<Long, RangeStore>> entrySet() {
    Set<Map.Entry<Long, RangeStore>> out = new LinkedHashSet<>();
    for (Map.Entry<Long, RangeStore> e : super.entrySet()) {
      out.add(Map.entry(e.getKey(), e.getValue()));
    }
    return out;
  }
}
