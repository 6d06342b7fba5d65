package io.multiraft.transport;

import io.netty.channel.Channel;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection that sent bad input, with one log line naming the peer's address and what
 * was wrong. The last few reasons are kept for operators (and tests) to read back.
 */
final class ProtocolErrors {
  private static final Logger LOG = LoggerFactory.getLogger(ProtocolErrors.class);

  private final long nodeId;
  private final TransportCounters counters;
  private final RecentLines recent = new RecentLines(64);

  ProtocolErrors(long nodeId, TransportCounters counters) {
    this.nodeId = nodeId;
    this.counters = counters;
  }

  /** Logs and closes; a connection already being closed by us is not reported again. */
  void report(Channel ch, String reason) {
    if (ChannelState.closedLocally(ch)) {
      return;
    }
    String line = "closing connection with " + ChannelState.describe(ch) + ": " + reason;
    recent.add(line);
    counters.protocolErrors.increment(); // after the line is readable: tests wait on the counter
    LOG.warn("node {}: {}", nodeId, line);
    ChannelState.closeLocally(ch);
  }

  List<String> recent() {
    return recent.list();
  }
}
