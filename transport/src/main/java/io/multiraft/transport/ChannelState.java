package io.multiraft.transport;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/** What the transport knows about a connection, kept on the channel itself. */
final class ChannelState {
  /** The node at the other end, once its handshake is accepted. */
  static final AttributeKey<Long> PEER = AttributeKey.valueOf("multiraft.peer");
  /** The node a connection we dialed is meant to reach, before its answer confirms it. */
  static final AttributeKey<Long> DIALED = AttributeKey.valueOf("multiraft.dialed");
  /** Set when this side closes on purpose, so a frame cut off by our own close is not blamed on the peer. */
  static final AttributeKey<Boolean> CLOSED_LOCALLY = AttributeKey.valueOf("multiraft.closedLocally");

  private ChannelState() {}

  static void closeLocally(Channel ch) {
    ch.attr(CLOSED_LOCALLY).set(Boolean.TRUE);
    ch.close();
  }

  static boolean closedLocally(Channel ch) {
    return Boolean.TRUE.equals(ch.attr(CLOSED_LOCALLY).get());
  }

  /** "node 2 at /127.0.0.1:5432"; before the handshake "unidentified peer at ..." or "unverified node 2 at ...". */
  static String describe(Channel ch) {
    Long peer = ch.attr(PEER).get();
    Long dialed = ch.attr(DIALED).get();
    String who = peer != null ? "node " + peer : dialed != null ? "unverified node " + dialed : "unidentified peer";
    return who + " at " + ch.remoteAddress();
  }
}
