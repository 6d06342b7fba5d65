package io.multiraft.bench;

import io.multiraft.core.MessageType;
import io.multiraft.node.MultiRaftNode;
import io.multiraft.node.NodeCounters;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The node counters that explain what a write costs (messages by type, readies, ticks, wake-ups,
 * log batches), summed over in-process nodes. Every key is always present, so two snapshots can
 * be subtracted key by key.
 */
final class CostCounters {
  private CostCounters() {}

  static Map<String, Long> sum(Iterable<MultiRaftNode> nodes) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (MultiRaftNode node : nodes) {
      NodeCounters k = node.counters();
      m.merge("messages", k.messagesSent(), Long::sum);
      m.merge("readies", k.readies.sum(), Long::sum);
      m.merge("duty_cycles", k.dutyCycles.sum(), Long::sum);
      m.merge("ticks", k.ticks.sum(), Long::sum);
      m.merge("wakeups", k.woken.sum(), Long::sum);
      m.merge("log_batches", k.logBatches.sum(), Long::sum);
      for (MessageType t : MessageType.values()) {
        m.merge("sent_" + t.name().toLowerCase(Locale.ROOT), k.sentOf(t), Long::sum);
      }
    }
    return m;
  }

  /** {@code after - before} per write, leaving out counters that did not move. */
  static Map<String, Object> perWrite(Map<String, Long> before, Map<String, Long> after, double writes) {
    Map<String, Object> out = new LinkedHashMap<>();
    after.forEach((k, v) -> {
      long d = v - before.get(k);
      if (d != 0) {
        out.put(k, writes == 0 ? 0.0 : d / writes);
      }
    });
    return out;
  }
}
