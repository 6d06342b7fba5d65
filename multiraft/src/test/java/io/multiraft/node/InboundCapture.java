package io.multiraft.node;

import io.multiraft.core.Message;
import io.multiraft.spi.Transport;
import java.util.ArrayList;
import java.util.List;

/** A transport for one node under test: keeps the node's inbound side to feed it messages, and what it sends. */
final class InboundCapture implements Transport {
  Inbound inbound;
  final List<Message> sent = new ArrayList<>();

  @Override
  public void register(long nodeId, Inbound inbound) {
    this.inbound = inbound;
  }

  @Override
  public void send(long fromNode, long toNode, List<Message> messages) {
    sent.addAll(messages);
  }

  @Override
  public void close() {}
}
