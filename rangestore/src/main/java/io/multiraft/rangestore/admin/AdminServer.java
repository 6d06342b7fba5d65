package io.multiraft.rangestore.admin;

import io.multiraft.rangestore.api.NodeHandle;
import io.multiraft.rangestore.api.RangeStore;
import io.multiraft.rangestore.codec.Decoder;
import io.multiraft.rangestore.codec.Encoder;
import io.multiraft.rangestore.codec.MalformedException;
import io.multiraft.transport.AdminFrames;
import io.multiraft.transport.NettyTransport;
import io.multiraft.transport.TlsConfig;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's admin methods, served on its transport's listener (same port and, when configured, the
 * same mutual TLS as the Raft traffic): binary requests naming a method, binary replies. It serves
 * the admin command line and the other nodes' coordinators (replica moves and merges run on the
 * node that receives the command and reach the others through here). Errors travel typed
 * ({@link WireCodec#error}), so a client can follow a NotLeader hint.
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

  /** One admin method: reads its request, writes its response. */
  interface Method {
    void serve(Decoder in, Encoder out) throws Exception;
  }

  private final NettyTransport transport;
  // Methods may wait on Raft (a split, a replica move): never on the transport's event loop.
  private final ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
    Thread t = new Thread(r, "rangestore-admin");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, Method> methods = new HashMap<>();

  /**
   * @param nodeAddresses every other node's transport address: coordinators and clients following
   *     a NotLeader hint look peers up here
   * @param tls the node's TLS settings, used to reach the other nodes' admin methods; null for plaintext
   * @throws IllegalArgumentException if the store does not run over the Netty transport
   */
  public AdminServer(RangeStore store, Map<Long, InetSocketAddress> nodeAddresses, TlsConfig tls) {
    if (!(store.transport() instanceof NettyTransport nt)) {
      throw new IllegalArgumentException("admin requests are served on the Netty transport's listener; node "
          + store.nodeId() + " runs over " + store.transport().getClass().getSimpleName());
    }
    this.transport = nt;
    Map<Long, InetSocketAddress> peers = new TreeMap<>(nodeAddresses);
    peers.put(store.nodeId(), nt.localAddress());
    Map<Long, NodeHandle> handles = new TreeMap<>();
    for (var e : peers.entrySet()) {
      handles.put(e.getKey(), e.getKey() == store.nodeId() ? store : new RemoteNode(e.getKey(), new AdminClient(e.getValue(), tls)));
    }
    NodeMethods.register(methods, store);
    CoordinatorMethods.register(methods, store, handles, peers);
    nt.serveAdmin(this::call);
  }

  /** The address admin clients connect to: the transport's listener. */
  public InetSocketAddress address() {
    return transport.localAddress();
  }

  private CompletableFuture<AdminFrames.Reply> call(String name, byte[] request) {
    try {
      return CompletableFuture.supplyAsync(() -> serve(name, request), pool);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.completedFuture(new AdminFrames.Reply(false, WireCodec.error(
          new io.multiraft.rangestore.range.RangeException("node is shutting down", e))));
    }
  }

  private AdminFrames.Reply serve(String name, byte[] request) {
    Method m = methods.get(name);
    try {
      if (m == null) {
        throw new MalformedException("unknown admin method '" + name + "'; known: " + new TreeMap<>(methods).keySet());
      }
      Encoder out = new Encoder(256);
      m.serve(Decoder.of(request), out);
      return new AdminFrames.Reply(true, out.toBytes());
    } catch (Throwable t) {
      Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
      if (!(c instanceof RuntimeException)) {
        LOG.warn("admin method {} failed", name, c);
      }
      return new AdminFrames.Reply(false, WireCodec.error(c));
    }
  }

  @Override
  public void close() {
    transport.serveAdmin(null);
    pool.shutdownNow();
  }
}
