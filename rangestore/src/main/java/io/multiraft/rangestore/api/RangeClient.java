package io.multiraft.rangestore.api;

import io.multiraft.node.RaftException;
import io.multiraft.rangestore.kv.KeyValue;
import io.multiraft.rangestore.kv.ScanResult;
import io.multiraft.rangestore.range.Keys;
import io.multiraft.rangestore.range.RangeException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * A blocking client over in-process nodes: sends each request to the node its routing names,
 * follows {@code NotLeader} hints, and retries {@code KeyNotInRange}, {@code RangeNotFound} and
 * transient errors until a deadline. Retries re-send writes, so only idempotent operations (put,
 * delete, get, scan) go through it; a compare-and-set whose outcome is unknown is reported.
 */
public final class RangeClient {
  private final Map<Long, RangeStore> nodes;
  private final long timeoutMs;
  private final NodeRuntime runtime;
  private long nextNode;

  public RangeClient(Map<Long, RangeStore> nodes, long timeoutMs) {
    this(nodes, timeoutMs, NodeRuntime.SYSTEM);
  }

  public RangeClient(Map<Long, RangeStore> nodes, long timeoutMs, NodeRuntime runtime) {
    this.nodes = nodes;
    this.timeoutMs = timeoutMs;
    this.runtime = runtime;
  }

  public void put(byte[] key, byte[] value) {
    call(key, s -> s.put(key, value));
  }

  public void delete(byte[] key) {
    call(key, s -> s.delete(key));
  }

  public byte[] get(byte[] key) {
    return call(key, s -> s.get(key));
  }

  /** Every pair in [start, end), across ranges, in key order. */
  public List<KeyValue> scan(byte[] start, byte[] end, int pageSize) {
    List<KeyValue> out = new ArrayList<>();
    byte[] at = start;
    while (at != null) {
      byte[] from = at;
      ScanResult r = call(from, s -> s.scan(from, end, pageSize));
      out.addAll(r.entries());
      at = r.resumeKey();
    }
    return out;
  }

  /** Sets {@code key} to {@code newValue} if it holds {@code expected} (null: absent); never re-sent after an ambiguous outcome. */
  public boolean compareAndSet(byte[] key, byte[] expected, byte[] newValue) {
    return callAtMostOnce(key, s -> s.compareAndSet(key, expected, newValue));
  }

  /**
   * Runs {@code op} at the node that should serve {@code key}, retrying as the errors direct,
   * including errors after which the request may have taken effect: only for idempotent requests.
   */
  public <T> T call(byte[] key, Function<RangeStore, CompletableFuture<T>> op) {
    return call(key, op, true);
  }

  /**
   * Like {@link #call}, but for a request that must not take effect twice (a compare-and-set, or
   * a write in a linearizable history): it is retried only after errors that prove it was not
   * applied; after a timeout or an interrupted proposal it fails with {@link RangeException.OutcomeUnknown}.
   */
  public <T> T callAtMostOnce(byte[] key, Function<RangeStore, CompletableFuture<T>> op) {
    return call(key, op, false);
  }

  private <T> T call(byte[] key, Function<RangeStore, CompletableFuture<T>> op, boolean retryAmbiguous) {
    long deadline = runtime.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    long target = 0;
    RuntimeException last = null;
    // Nodes that answered "no such range here": a stale leader hint naming one must not be followed again.
    Set<Long> notHere = new HashSet<>();
    for (int attempt = 0; runtime.nanoTime() < deadline; attempt++) {
      RangeStore s = target != 0 && nodes.containsKey(target) ? nodes.get(target) : pick(key, notHere);
      target = 0;
      try {
        return runtime.blocking().await(op.apply(s), Math.max(1, deadline - runtime.nanoTime()));
      } catch (CompletionException e) {
        Throwable c = e.getCause() == null ? e : e.getCause();
        if (c instanceof TimeoutException) {
          if (!retryAmbiguous) {
            throw new RangeException.OutcomeUnknown("request for key " + Keys.show(key) + ": no answer within " + timeoutMs + " ms", c);
          }
          break;
        }
        if (c instanceof RangeException.RangeNotFound) {
          notHere.add(s.nodeId());
        }
        if (c instanceof RangeException.NotLeader nl) {
          target = nl.leaderHint();
        } else if (!retryAmbiguous && ambiguous(c)) {
          throw new RangeException.OutcomeUnknown("request for key " + Keys.show(key) + ": " + c.getMessage(), c);
        } else if (!retriable(c)) {
          throw c instanceof RuntimeException re ? re : new RangeException(c.toString(), c);
        }
        last = c instanceof RuntimeException re ? re : new RangeException(c.toString(), c);
      } catch (RangeException e) {
        last = e; // thrown synchronously: the routing table has no range for the key yet
        notHere.add(s.nodeId());
      }
      if (target == 0) {
        runtime.blocking().pause(TimeUnit.MILLISECONDS.toNanos(Math.min(50, 1 + attempt)));
      }
    }
    throw new RangeException("request for key " + Keys.show(key) + " did not succeed within "
        + timeoutMs + " ms" + (last == null ? "" : "; last error: " + last.getMessage()), last);
  }

  /** Errors after which a write may or may not have been applied. */
  private static boolean ambiguous(Throwable c) {
    return c instanceof RaftException.Timeout || c instanceof RaftException.OutcomeUnknown || c instanceof RaftException.NodeClosed
        || !(c instanceof RangeException || c instanceof RaftException);
  }

  private static boolean retriable(Throwable c) {
    return c instanceof RangeException.KeyNotInRange || c instanceof RangeException.RangeNotFound || c instanceof RangeException.Busy
        || c instanceof RaftException.Timeout || c instanceof RaftException.Overloaded
        || c instanceof RaftException.Dropped || c instanceof RaftException.OutcomeUnknown;
  }

  /** The node the local routing names as leader of the key's range, else the next node in turn. */
  private RangeStore pick(byte[] key, Set<Long> notHere) {
    if (nodes.isEmpty()) {
      throw new RangeException.RangeNotFound(0, "no node is up to serve key " + Keys.show(key));
    }
    if (notHere.size() >= nodes.size()) {
      notHere.clear(); // every node said no: their routing may have caught up since
    }
    for (RangeStore s : nodes.values()) {
      try {
        long hint = s.router().lookup(key).leaderHint();
        if (hint != 0 && nodes.containsKey(hint) && !notHere.contains(hint)) {
          return nodes.get(hint);
        }
      } catch (RangeException e) {
        // this node does not know the range: ask the next one
      }
    }
    List<RangeStore> all = new ArrayList<>();
    for (RangeStore s : nodes.values()) {
      if (!notHere.contains(s.nodeId())) {
        all.add(s);
      }
    }
    return all.get((int) (nextNode++ % all.size()));
  }

}
