package io.multiraft.sim;

/**
 * Whether a healed simulated cluster has gone idle: every group quiesced and no frame on the
 * network for a whole virtual second. With the clients stopped and the faults over, an idle cluster
 * must cost nothing; a group that cannot quiesce after a fault costs CPU and messages for ever.
 */
public final class IdleWatch {
  private static final long SILENCE_NS = 1_000_000_000L;
  private final SimNetwork net;
  private long framesAtLastLook = -1;
  private long silentSinceNs;

  public IdleWatch(SimNetwork net) {
    this.net = net;
  }

  /** One look at {@code nowNs}; {@code activeGroups} is the number of groups still ticking on live nodes. */
  public boolean idle(long nowNs, long activeGroups) {
    if (net.frames != framesAtLastLook) {
      framesAtLastLook = net.frames;
      silentSinceNs = nowNs;
      return false;
    }
    return activeGroups == 0 && nowNs - silentSinceNs >= SILENCE_NS;
  }
}
