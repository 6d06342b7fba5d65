package io.multiraft.rangestore.admin;

import io.multiraft.rangestore.codec.Decoder;
import io.multiraft.rangestore.codec.Encoder;
import io.multiraft.rangestore.range.RangeException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Calls one node's admin endpoint; a typed error from the node completes the future with the same type. */
public final class AdminClient {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private final InetSocketAddress node;

  public AdminClient(InetSocketAddress node) {
    this.node = node;
  }

  public InetSocketAddress address() {
    return node;
  }

  public CompletableFuture<Decoder> callAsync(String method, Encoder body) {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + node.getHostString() + ":" + node.getPort() + "/rpc/" + method))
        .timeout(Duration.ofSeconds(90))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toBytes()))
        .build();
    return HTTP.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray()).handle((resp, e) -> {
      if (e != null) {
        Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        throw new RangeException("node at " + node + " is unreachable (" + c + "); check the address and that its server runs", c);
      }
      if (resp.statusCode() != 200) {
        throw WireCodec.readError(resp.body());
      }
      return Decoder.of(resp.body());
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
