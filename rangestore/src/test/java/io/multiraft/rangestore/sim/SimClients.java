package io.multiraft.rangestore.sim;

import io.multiraft.rangestore.api.RangeClient;
import io.multiraft.rangestore.range.RangeException;
import io.multiraft.sim.lin.History;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * The workload: clients doing gets, puts and compare-and-sets on a few keys through the production
 * {@link RangeClient} (routing, leader hints, retries), each client a fiber. Everything they see
 * goes into a {@link History}. A write that fails in any way is recorded as of unknown outcome (it
 * may have been applied); a failed read had no effect and is left out.
 */
final class SimClients {
  static final String[] KEYS = {"a", "b", "c", "d", "e", "f"};
  private static final long CLIENT_TIMEOUT_MS = 2_000;

  private final RangeSimulation sim;
  private final SplittableRandom random;
  final History history = new History();
  private final RangeClient client;
  private long valueSeq;
  private int nextClientId;
  volatile boolean running = true;
  long ok;
  long unknown;

  SimClients(RangeSimulation sim, SplittableRandom random) {
    this.sim = sim;
    this.random = random;
    this.client = new RangeClient(sim.live, CLIENT_TIMEOUT_MS, sim.runtime);
  }

  void start(int clients) {
    for (int c = 0; c < clients; c++) {
      int first = nextClientId++;
      sim.fibers.start("client" + c, () -> loop(first));
    }
  }

  private void loop(int clientId) {
    int id = clientId;
    while (running) {
      if (!op(id)) {
        id = 1000 + nextClientId++; // a client with an op of unknown outcome is replaced (it never returns)
      }
      sim.runtime.blocking().pause(1_000_000L + random.nextLong(20_000_000L));
    }
  }

  static byte[] key(String k) {
    return k.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  static byte[] encode(Long v) {
    return v == null ? null : ByteBuffer.allocate(8).putLong(v).array();
  }

  static Long decode(byte[] b) {
    return b == null ? null : ByteBuffer.wrap(b).getLong();
  }

  /** Runs one random operation; false if its outcome is unknown. */
  private boolean op(int clientId) {
    String k = KEYS[random.nextInt(KEYS.length)];
    byte[] key = key(k);
    int dice = random.nextInt(10);
    long value = ++valueSeq;
    if (dice < 4) {
      return read(clientId, k);
    }
    if (dice < 7) {
      int id = history.invokeWrite(clientId, k, value, sim.loop.now());
      try {
        client.callAtMostOnce(key, s -> s.put(key, encode(value)));
        history.returnWrite(id, sim.loop.now());
        sim.trace("c" + clientId + " put " + k + "=" + value + " ok");
        ok++;
        return true;
      } catch (RuntimeException e) {
        history.returnUnknown(id);
        sim.trace("c" + clientId + " put " + k + "=" + value + " ? " + brief(e));
        unknown++;
        return false;
      }
    }
    Long expected = random.nextInt(4) == 0 ? null : (Long) Math.max(1, valueSeq - random.nextInt(6));
    int id = history.invokeCas(clientId, k, expected, value, sim.loop.now());
    try {
      boolean done = client.compareAndSet(key, encode(expected), encode(value));
      history.returnCas(id, done, sim.loop.now());
      sim.trace("c" + clientId + " cas " + k + " " + expected + "->" + value + " " + done);
      ok++;
      return true;
    } catch (RuntimeException e) {
      history.returnUnknown(id);
      sim.trace("c" + clientId + " cas " + k + " " + expected + "->" + value + " ? " + brief(e));
      unknown++;
      return false;
    }
  }

  /** A linearizable read, recorded; true whatever happens (a failed read has no effect). */
  boolean read(int clientId, String k) {
    int id = history.invokeRead(clientId, k, sim.loop.now());
    try {
      Long v = decode(client.get(key(k)));
      history.returnRead(id, v, sim.loop.now());
      sim.trace("c" + clientId + " get " + k + " = " + v);
      ok++;
      return true;
    } catch (RuntimeException e) {
      history.returnFailed(id);
      sim.trace("c" + clientId + " get " + k + " failed " + brief(e));
      return true;
    }
  }

  /** After healing: every key read once more, so a lost acknowledged write shows in the history. */
  void finalReads(java.util.List<String> failures) {
    for (String k : KEYS) {
      int id = history.invokeRead(999_999, k, sim.loop.now());
      try {
        Long v = decode(client.get(key(k)));
        history.returnRead(id, v, sim.loop.now());
        sim.trace("final get " + k + " = " + v);
      } catch (RangeException e) {
        history.returnFailed(id);
        failures.add("liveness: final read of " + k + " failed after healing: " + brief(e));
      }
    }
  }

  static String brief(Throwable e) {
    String m = e.getClass().getSimpleName() + ": " + e.getMessage();
    return m.length() > 200 ? m.substring(0, 200) : m;
  }
}
