package io.multiraft.rangestore.admin;

import io.multiraft.rangestore.codec.Decoder;
import io.multiraft.rangestore.codec.Encoder;
import io.multiraft.rangestore.range.RangeException;
import io.multiraft.transport.AdminConnector;
import io.multiraft.transport.TlsConfig;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Calls one node's admin methods over its transport listener; a typed error from the node
 * completes the future with the same type, and a node that cannot be reached (down, or TLS on one
 * side only) with a {@link RangeException} that says so.
 */
public final class AdminClient {
  private static final long HANDSHAKE_TIMEOUT_MS = 5_000;
  private static final long CALL_TIMEOUT_S = 90;
  /** One connection per node (and TLS setting) for the whole process, shared by every client of it. */
  private static final Map<Key, AdminConnector> CONNECTORS = new ConcurrentHashMap<>();

  private record Key(InetSocketAddress node, TlsConfig tls) {}

  private final InetSocketAddress node;
  private final AdminConnector connector;

  /** @param tls null for plaintext */
  public AdminClient(InetSocketAddress node, TlsConfig tls) {
    this.node = node;
    this.connector = CONNECTORS.computeIfAbsent(new Key(node, tls),
        k -> new AdminConnector(k.node(), k.tls(), AdminConnector.sharedLoop(), HANDSHAKE_TIMEOUT_MS));
  }

  public AdminClient(InetSocketAddress node) {
    this(node, null);
  }

  public InetSocketAddress address() {
    return node;
  }

  public CompletableFuture<Decoder> callAsync(String method, Encoder body) {
    return connector.call(method, body.toBytes()).orTimeout(CALL_TIMEOUT_S, TimeUnit.SECONDS).handle((reply, e) -> {
      if (e != null) {
        Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (c instanceof AdminConnector.Unreachable) {
          throw new RangeException(c.getMessage(), c);
        }
        if (c instanceof TimeoutException) {
          throw new RangeException("node at " + node + " did not answer " + method + " within " + CALL_TIMEOUT_S + " s", c);
        }
        throw new RangeException("admin call " + method + " to node at " + node + " failed: " + c, c);
      }
      if (!reply.ok()) {
        throw WireCodec.readError(reply.body());
      }
      return Decoder.of(reply.body());
    });
  }

  /** Blocking call; unwraps the typed error. */
  public Decoder call(String method, Encoder body) {
    try {
      return callAsync(method, body).join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : e;
    }
  }
}
