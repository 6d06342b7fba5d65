package io.multiraft.node;

import io.multiraft.core.Message;
import io.multiraft.spi.Transport;
import java.util.List;

/** A transport for one node under test: keeps the node's inbound side to feed it messages; sends go nowhere. */
final class InboundCapture implements Transport {
  Inbound inbound;

  @Override
  public void register(long nodeId, Inbound inbound) {
    this.inbound = inbound;
  }

  @Override
  public void send(long fromNode, long toNode, List<Message> messages) {}

  @Override
  public void close() {}
}
