package io.multiraft.bench.xjvm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The node side of the line protocol: one command per stdin line, exactly one reply line each on
 * stdout, {@code ok[ payload]} or {@code err message}. The first line, unasked, is
 * {@code ok listening PORT}.
 *
 * <pre>
 * peers ID=PORT,ID=PORT,...          add the other nodes (on loopback)          -> ok
 * create-groups FROM TO              create groups FROM..TO with every node as voter -> ok
 * counts                             -> ok {"groups":..,"leaders":..,"active":..}
 * stats [gc]                         -> ok {counts, cpu_ns, rss_bytes, heap.., wire/log counters}
 * led                                groups led here -> ok GROUP:SINCE_EPOCH_MICROS,...
 * load-start CLIENTS OUTSTANDING PAYLOAD   clients write to the groups led here -> ok {"groups_led":..}
 * load-mark                          start the measured window -> ok
 * load-stop                          -> ok {"writes","failed","window_ns","latency_ns"(base64 HdrHistogram)}
 * quit                               close the node in order -> ok, exit 0
 * </pre>
 *
 * End of stdin (the driver died) closes the node and exits too, so no node outlives its driver.
 */
final class NodeProtocol {
  private final NodeRuntime rt;
  private final BufferedReader in;
  private final PrintStream out;
  private LoadClients load;

  NodeProtocol(NodeRuntime rt, BufferedReader in, PrintStream out) {
    this.rt = rt;
    this.in = in;
    this.out = out;
  }

  /** Serves commands until {@code quit} or end of input; the caller then closes the node. */
  void serve() throws IOException {
    reply("ok listening " + rt.port());
    String line;
    while ((line = in.readLine()) != null) {
      String cmd = line.trim();
      if (cmd.isEmpty()) {
        continue;
      }
      if (cmd.equals("quit")) {
        stopLoad();
        return;
      }
      try {
        reply(handle(cmd.split("\\s+")));
      } catch (Exception e) {
        reply("err " + (e.getClass().getSimpleName() + ": " + e.getMessage()).replace('\n', ' '));
      }
    }
    stopLoad();
  }

  void reply(String line) {
    out.println(line);
    out.flush();
  }

  /** JVMs starting on a loaded machine can take seconds to complete their first handshakes. */
  private static final long PEERS_CONNECT_TIMEOUT_MS = 60_000;

  private String handle(String[] a) throws Exception {
    switch (a[0]) {
      case "peers" -> {
        arity(a, 2);
        for (String p : a[1].split(",")) {
          String[] kv = p.split("=");
          rt.addPeer(Long.parseLong(kv[0]), new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(kv[1])));
        }
        rt.awaitConnected(PEERS_CONNECT_TIMEOUT_MS);
        return "ok";
      }
      case "create-groups" -> {
        arity(a, 3);
        rt.createGroups(Long.parseLong(a[1]), Long.parseLong(a[2]));
        return "ok";
      }
      case "counts" -> {
        return "ok " + FlatJson.write(rt.counts());
      }
      case "stats" -> {
        return "ok " + FlatJson.write(rt.stats(a.length > 1 && a[1].equals("gc")));
      }
      case "led" -> {
        StringJoiner j = new StringJoiner(",");
        for (Map.Entry<Long, Long> e : rt.ledGroups().entrySet()) {
          j.add(e.getKey() + ":" + e.getValue());
        }
        return "ok " + j;
      }
      case "transfer-leaders" -> {
        // group:target,... : asks this node's leaders to hand over; "ok" once each request is taken
        // (the transfers themselves complete asynchronously).
        arity(a, 2);
        rt.transferLeaders(a[1]);
        return "ok";
      }
      case "load-start" -> {
        arity(a, 4);
        if (load != null) {
          throw new IllegalStateException("a load is already running");
        }
        long[] groups = rt.ledGroups().keySet().stream().mapToLong(Long::longValue).toArray();
        load = new LoadClients(rt.node(), groups, Integer.parseInt(a[1]), Integer.parseInt(a[2]), Integer.parseInt(a[3]));
        return "ok " + FlatJson.write(Map.of("groups_led", groups.length));
      }
      case "load-mark" -> {
        requireLoad().mark();
        return "ok";
      }
      case "load-stop" -> {
        Map<String, Object> r = requireLoad().stop();
        load = null;
        return "ok " + FlatJson.write(r);
      }
      default -> throw new IllegalArgumentException("unknown command '" + a[0] + "'");
    }
  }

  private LoadClients requireLoad() {
    if (load == null) {
      throw new IllegalStateException("no load running (load-start first)");
    }
    return load;
  }

  private void stopLoad() {
    if (load != null) {
      try {
        load.stop();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      load = null;
    }
  }

  private static void arity(String[] a, int n) {
    if (a.length != n) {
      throw new IllegalArgumentException("'" + a[0] + "' takes " + (n - 1) + " argument(s), got " + (a.length - 1));
    }
  }
}
