package io.multiraft.rangestore.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.multiraft.rangestore.api.NodeHandle;
import io.multiraft.rangestore.api.RangeStore;
import io.multiraft.rangestore.codec.Decoder;
import io.multiraft.rangestore.codec.Encoder;
import io.multiraft.rangestore.codec.MalformedException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's admin endpoint: binary request/response over HTTP POST {@code /rpc/<method>}. It
 * serves the admin command line and the other nodes' coordinators (replica moves and merges run
 * on the node that receives the command and reach the others through here). Errors travel typed
 * (HTTP 409 + {@link WireCodec#error}), so a client can follow a NotLeader hint.
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

  /** One admin method: reads its request, writes its response. */
  interface Method {
    void serve(Decoder in, Encoder out) throws Exception;
  }

  private final HttpServer http;
  private final ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
    Thread t = new Thread(r, "rangestore-admin");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, Method> methods = new HashMap<>();

  /**
   * @param adminAddresses every node's admin address, this one's included: coordinators and
   *     clients following a NotLeader hint look peers up here
   */
  public AdminServer(RangeStore store, InetSocketAddress bind, Map<Long, InetSocketAddress> adminAddresses) throws IOException {
    Map<Long, InetSocketAddress> peers = new TreeMap<>(adminAddresses);
    // Small request/response pairs: without TCP_NODELAY, Nagle and delayed ACKs add ~40 ms to each.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    this.http = HttpServer.create(bind, 64);
    peers.put(store.nodeId(), (InetSocketAddress) http.getAddress());
    Map<Long, NodeHandle> handles = new TreeMap<>();
    for (var e : peers.entrySet()) {
      handles.put(e.getKey(), e.getKey() == store.nodeId() ? store : new RemoteNode(e.getKey(), e.getValue()));
    }
    NodeMethods.register(methods, store);
    CoordinatorMethods.register(methods, store, handles, peers);
    http.createContext("/rpc/", this::handle);
    http.setExecutor(pool);
    http.start();
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) http.getAddress();
  }

  private void handle(HttpExchange x) throws IOException {
    String name = x.getRequestURI().getPath().substring("/rpc/".length());
    Method m = methods.get(name);
    int code = 200;
    byte[] body;
    try {
      if (m == null) {
        throw new MalformedException("unknown admin method '" + name + "'; known: " + new TreeMap<>(methods).keySet());
      }
      byte[] req = x.getRequestBody().readAllBytes();
      Encoder out = new Encoder(256);
      m.serve(Decoder.of(req), out);
      body = out.toBytes();
    } catch (Throwable t) {
      Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
      if (!(c instanceof RuntimeException)) {
        LOG.warn("admin method {} failed", name, c);
      }
      code = c instanceof MalformedException ? 400 : 409;
      body = WireCodec.error(c);
    }
    x.sendResponseHeaders(code, body.length);
    try (OutputStream os = x.getResponseBody()) {
      os.write(body);
    }
  }

  @Override
  public void close() {
    http.stop(0);
    pool.shutdownNow();
  }
}
