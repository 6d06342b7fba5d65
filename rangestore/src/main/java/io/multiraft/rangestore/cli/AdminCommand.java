package io.multiraft.rangestore.cli;

import io.multiraft.core.ConfState;
import io.multiraft.rangestore.codec.Decoder;
import io.multiraft.rangestore.codec.Encoder;
import io.multiraft.rangestore.range.DescriptorCodec;
import io.multiraft.rangestore.range.Keys;
import io.multiraft.rangestore.range.RangeDescriptor;
import io.multiraft.transport.TlsConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code admin <command> --node HOST:PORT [--tls-cert C --tls-key K --tls-trust T]}: admin requests
 * to a node's listener (the address its Raft traffic uses), with mutual TLS when the node has it.
 */
@Command(name = "admin", mixinStandardHelpOptions = true, description = "Send an admin request to a node.",
    subcommands = {AdminCommand.Ranges.class, AdminCommand.Status.class, AdminCommand.Split.class, AdminCommand.Merge.class,
        AdminCommand.AddReplica.class, AdminCommand.RemoveReplica.class, AdminCommand.Relocate.class,
        AdminCommand.TransferLeader.class, AdminCommand.Put.class, AdminCommand.Get.class})
public final class AdminCommand {
  /** Options every admin command takes. */
  abstract static class Base implements Callable<Integer> {
    @Option(names = "--node", required = true, description = "listen address of any node, HOST:PORT")
    String node;

    @Option(names = "--tls-cert", description = "this client's certificate (PEM), for a node with mutual TLS")
    Path tlsCert;

    @Option(names = "--tls-key", description = "this client's PKCS#8 private key (PEM)")
    Path tlsKey;

    @Option(names = "--tls-trust", description = "certificates to trust (PEM): the cluster's CA or the nodes' certificates")
    Path tlsTrust;

    @Option(names = "--json", description = "print JSON instead of a table")
    boolean json;

    InetSocketAddress node() {
      return ServerConfig.address(node, "--node");
    }

    /** Null for plaintext; all three TLS options or none. */
    TlsConfig tls() {
      if (tlsCert == null && tlsKey == null && tlsTrust == null) {
        return null;
      }
      if (tlsCert == null || tlsKey == null || tlsTrust == null) {
        throw new IllegalArgumentException("--tls-cert, --tls-key and --tls-trust go together: give all three, or none for plaintext");
      }
      return TlsConfig.fromPem(tlsCert, tlsKey, tlsTrust);
    }

    Decoder call(String method, Encoder body) {
      byte[] b = body.toBytes();
      return AdminCall.call(node(), tls(), method, () -> new Encoder(b.length).raw(b));
    }

    void printDescriptor(RangeDescriptor d) {
      System.out.println(json ? Json.of(d, 0) : d.toString());
    }

    void printConf(ConfState c) {
      System.out.println(json ? "{\"voters\":" + c.voters() + ",\"learners\":" + c.learners() + "}" : c.toString());
    }
  }

  @Command(name = "ranges", description = "List the ranges this node knows of.")
  static final class Ranges extends Base {
    @Override
    public Integer call() {
      Decoder d = call("ranges", new Encoder(8));
      int n = d.count("ranges", 29);
      StringBuilder out = new StringBuilder(json ? "[" : String.format("%-22s %-20s %-20s %5s %-16s %s%n", "range", "start", "end", "gen", "replicas", "leader"));
      for (int i = 0; i < n; i++) {
        RangeDescriptor r = DescriptorCodec.read(d);
        long leader = d.i64("leader");
        if (json) {
          out.append(i == 0 ? "" : ",").append(Json.of(r, leader));
        } else {
          out.append(String.format("%-22d %-20s %-20s %5d %-16s %s%n", r.rangeId(), Keys.show(r.startKey()), Keys.show(r.endKey()),
              r.generation(), r.nodeIds(), leader == 0 ? "?" : "n" + leader));
        }
      }
      System.out.print(json ? out.append("]\n") : out);
      return 0;
    }
  }

  @Command(name = "status", description = "Show the node's group counts.")
  static final class Status extends Base {
    @Override
    public Integer call() {
      Decoder d = call("node", new Encoder(8));
      long id = d.i64("node");
      long groups = d.i64("groups");
      long leaders = d.i64("leaders");
      long active = d.i64("active");
      long syncs = d.i64("syncs");
      System.out.println(json
          ? String.format("{\"node\":%d,\"groups\":%d,\"leaders\":%d,\"active\":%d,\"logSyncs\":%d}", id, groups, leaders, active, syncs)
          : String.format("node %d: %d groups, %d led here, %d active (not quiesced), %d log syncs", id, groups, leaders, active, syncs));
      return 0;
    }
  }

  @Command(name = "split", description = "Split a range at a key.")
  static final class Split extends Base {
    @Option(names = "--range", required = true) long range;
    @Option(names = "--key", required = true) String key;

    @Override
    public Integer call() {
      Decoder d = call("split", new Encoder(32).i64(range).bytes(key.getBytes(StandardCharsets.UTF_8)));
      printDescriptor(DescriptorCodec.read(d));
      printDescriptor(DescriptorCodec.read(d));
      return 0;
    }
  }

  @Command(name = "merge", description = "Merge a range with its right neighbour.")
  static final class Merge extends Base {
    @Option(names = "--range", required = true) long range;

    @Override
    public Integer call() {
      printDescriptor(DescriptorCodec.read(call("merge", new Encoder(16).i64(range))));
      return 0;
    }
  }

  @Command(name = "add-replica", description = "Add a voting replica of a range on a node.")
  static final class AddReplica extends Base {
    @Option(names = "--range", required = true) long range;
    @Option(names = "--target", required = true) long target;

    @Override
    public Integer call() {
      printConf(DescriptorCodec.readConf(call("add-replica", new Encoder(16).i64(range).i64(target))));
      return 0;
    }
  }

  @Command(name = "remove-replica", description = "Remove a range's replica from a node.")
  static final class RemoveReplica extends Base {
    @Option(names = "--range", required = true) long range;
    @Option(names = "--target", required = true) long target;

    @Override
    public Integer call() {
      printConf(DescriptorCodec.readConf(call("remove-replica", new Encoder(16).i64(range).i64(target))));
      return 0;
    }
  }

  @Command(name = "relocate", description = "Move a range's replicas to exactly these nodes.")
  static final class Relocate extends Base {
    @Option(names = "--range", required = true) long range;
    @Option(names = "--targets", required = true, split = ",") List<Long> targets;

    @Override
    public Integer call() {
      Encoder e = new Encoder(32).i64(range).i32(targets.size());
      targets.forEach(e::i64);
      printConf(DescriptorCodec.readConf(call("relocate", e)));
      return 0;
    }
  }

  @Command(name = "transfer-leader", description = "Move a range's leadership to a node.")
  static final class TransferLeader extends Base {
    @Option(names = "--range", required = true) long range;
    @Option(names = "--target", required = true) long target;

    @Override
    public Integer call() {
      call("transfer-leader", new Encoder(16).i64(range).i64(target));
      System.out.println(json ? "{\"leader\":" + target + "}" : "range " + range + " is led by node " + target);
      return 0;
    }
  }

  @Command(name = "put", description = "Write a key (UTF-8).")
  static final class Put extends Base {
    @Option(names = "--key", required = true) String key;
    @Option(names = "--value", required = true) String value;

    @Override
    public Integer call() {
      call("put", new Encoder(32).bytes(key.getBytes(StandardCharsets.UTF_8)).bytes(value.getBytes(StandardCharsets.UTF_8)));
      return 0;
    }
  }

  @Command(name = "get", description = "Read a key (UTF-8); exit code 1 if absent.")
  static final class Get extends Base {
    @Option(names = "--key", required = true) String key;

    @Override
    public Integer call() {
      byte[] v = call("get", new Encoder(32).bytes(key.getBytes(StandardCharsets.UTF_8))).bytes("value");
      if (v == null) {
        System.err.println("key " + key + " is absent");
        return 1;
      }
      System.out.println(new String(v, StandardCharsets.UTF_8));
      return 0;
    }
  }
}
