package io.multiraft.rangestore.api;

import io.multiraft.node.RaftException;
import io.multiraft.rangestore.kv.KvResult;
import io.multiraft.rangestore.range.RangeException;
import io.multiraft.rangestore.route.Router;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Turns what the Raft node and the state machine report into the range store's typed errors, and
 * feeds what they reveal (a leader hint, a newer descriptor) back into the router.
 */
final class Outcomes {
  private final Router router;

  Outcomes(Router router) {
    this.router = router;
  }

  /** Maps a proposal's future: a {@link KvResult} becomes a value or a typed error. */
  <T> CompletableFuture<T> write(long rangeId, CompletableFuture<Object> f, Function<KvResult, T> onResult) {
    return f.handle((r, e) -> {
      if (e != null) {
        throw translate(rangeId, e);
      }
      if (r instanceof KvResult.NotInRange nir) {
        router.update(nir.descriptor());
        throw new RangeException.KeyNotInRange(nir.key(), nir.descriptor());
      }
      if (r instanceof KvResult.Busy b) {
        throw new RangeException.Busy(b.reason());
      }
      if (r instanceof KvResult.Refused ref) {
        throw ref.staleGeneration() ? new RangeException.StaleGeneration(ref.reason()) : new RangeException.Rejected(ref.reason());
      }
      return onResult.apply((KvResult) r);
    });
  }

  /** Maps a read's or admin request's future: only errors are translated. */
  <T> CompletableFuture<T> plain(long rangeId, CompletableFuture<T> f) {
    return f.handle((r, e) -> {
      if (e != null) {
        throw translate(rangeId, e);
      }
      return r;
    });
  }

  RuntimeException translate(long rangeId, Throwable e) {
    Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    if (c instanceof RaftException.NotLeader nl) {
      router.noteLeader(rangeId, nl.leaderHint());
      return new RangeException.NotLeader(rangeId, nl.leaderHint());
    }
    if (c instanceof RaftException.GroupNotFound) {
      return new RangeException.RangeNotFound(rangeId, "no replica of it on this node");
    }
    if (c instanceof RangeException.KeyNotInRange k) {
      router.update(k.descriptor());
      return k;
    }
    if (c instanceof RuntimeException re) {
      return re;
    }
    return new CompletionException(c);
  }
}
