package io.multiraft.bench.xjvm;

/** A benchmark cluster run cannot go on: a node died, refused a command or did not answer in time. */
public final class ClusterFailure extends RuntimeException {
  public ClusterFailure(String message) {
    super(message);
  }
}
