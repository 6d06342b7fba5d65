package io.multiraft.rangestore.cli;

import io.multiraft.rangestore.admin.AdminClient;
import io.multiraft.rangestore.codec.Decoder;
import io.multiraft.rangestore.codec.Encoder;
import io.multiraft.rangestore.range.RangeException;
import io.multiraft.transport.TlsConfig;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One admin request from the command line: sent to {@code --node}; a NotLeader answer is followed
 * to the leader's admin address (learned from the node's peer list), a few times at most. A node
 * with no replica of the range (it was moved away, or merged into a range placed elsewhere) answers
 * RangeNotFound: the other nodes of the peer list are asked in turn before giving up.
 */
final class AdminCall {
  private static final int MAX_REDIRECTS = 5;
  /** How long to wait for a leader to be elected (a fresh cluster, a leader that just failed). */
  private static final long ELECTION_WAIT_NS = 10_000_000_000L;

  private AdminCall() {}

  static Decoder call(InetSocketAddress node, String method, Supplier<Encoder> body) {
    return call(node, null, method, body);
  }

  /** @param tls null for plaintext */
  static Decoder call(InetSocketAddress node, TlsConfig tls, String method, Supplier<Encoder> body) {
    AdminClient client = new AdminClient(node, tls);
    Map<Long, InetSocketAddress> peers = null;
    java.util.Set<InetSocketAddress> tried = new java.util.HashSet<>(java.util.List.of(node));
    long electionDeadline = System.nanoTime() + ELECTION_WAIT_NS;
    for (int i = 0; ; i++) {
      try {
        return client.call(method, body.get());
      } catch (RangeException.NotLeader nl) {
        if (nl.leaderHint() == 0 && System.nanoTime() < electionDeadline) {
          pause(50); // no leader known yet: ask again once an election had a chance
          i--;
          continue;
        }
        if (nl.leaderHint() == 0 || i >= MAX_REDIRECTS) {
          throw nl;
        }
        if (peers == null) {
          peers = peers(client);
        }
        InetSocketAddress next = peers.get(nl.leaderHint());
        if (next == null) {
          throw nl;
        }
        client = new AdminClient(next, tls);
      } catch (RangeException.RangeNotFound nf) {
        if (peers == null) {
          peers = peers(client);
        }
        InetSocketAddress next = peers.values().stream().filter(a -> !tried.contains(a)).findFirst().orElse(null);
        if (next == null) {
          throw nf;
        }
        tried.add(next);
        client = new AdminClient(next, tls);
      }
    }
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms); // a command-line retry delay, not synchronisation
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RangeException("interrupted while waiting for a leader", e);
    }
  }

  static Map<Long, InetSocketAddress> peers(AdminClient client) {
    Decoder d = client.call("peers", new Encoder(8));
    int n = d.count("peers", 12);
    Map<Long, InetSocketAddress> out = new HashMap<>();
    for (int i = 0; i < n; i++) {
      long id = d.i64("peer");
      String addr = new String(d.bytes("address"), StandardCharsets.UTF_8);
      out.put(id, ServerConfig.address(addr, "peer address"));
    }
    return out;
  }
}
