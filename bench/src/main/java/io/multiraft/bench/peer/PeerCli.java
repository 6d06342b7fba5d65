package io.multiraft.bench.peer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the SOFAJRaft peer alone, for measuring it before it is wired into our scenarios:
 * {@code java -cp bench/target/bench.jar io.multiraft.bench.peer.PeerCli throughput|idle GROUPS[,GROUPS...]
 * [leadersBoundMs [logWriteBufferMb]]}, with our scenarios' default shapes ({@link PeerRequest#throughput},
 * {@link PeerRequest#idle}). Prints one JSON line per group count.
 */
public final class PeerCli {
  private PeerCli() {}

  public static void main(String[] args) {
    if (args.length < 2) {
      System.err.println("usage: PeerCli throughput|idle GROUPS[,GROUPS...] [leadersBoundMs [logWriteBufferMb]]");
      System.exit(2);
    }
    for (String g : args[1].split(",")) {
      int groups = Integer.parseInt(g.trim());
      PeerRequest req = args[0].equals("idle") ? PeerRequest.idle(groups) : PeerRequest.throughput(groups);
      if (args.length > 2) {
        req = req.withBounds(Long.parseLong(args[2]), 0);
      }
      if (args.length > 3) {
        req = req.withLogWriteBufferMb(Integer.parseInt(args[3]));
      }
      System.out.println(json(SofaPeer.run(req)));
    }
  }

  static String json(Map<String, Object> m) {
    List<String> fields = new ArrayList<>();
    m.forEach((k, v) -> fields.add('"' + k + "\":" + value(v)));
    return "{" + String.join(",", fields) + "}";
  }

  private static String value(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Double d) {
      return Double.isFinite(d) ? String.format(Locale.ROOT, "%.4f", d) : "null";
    }
    if (v instanceof Number || v instanceof Boolean) {
      return v.toString();
    }
    return '"' + v.toString().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
  }
}
