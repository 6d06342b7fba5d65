package io.multiraft.rangestore.cli;

import io.multiraft.node.JvmFlags;
import io.multiraft.rangestore.admin.AdminClient;
import io.multiraft.rangestore.codec.Decoder;
import io.multiraft.rangestore.codec.Encoder;
import io.multiraft.rangestore.range.DescriptorCodec;
import io.multiraft.rangestore.range.RangeDescriptor;
import io.multiraft.rangestore.range.RangeException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Three server processes on loopback started from this jar, driven through their admin endpoints. */
final class ProcessTarget implements DemoTarget {
  private final List<Process> processes = new ArrayList<>();
  private final List<InetSocketAddress> admins = new ArrayList<>();

  ProcessTarget(Path dir) throws IOException, InterruptedException {
    int[] raft = LoopbackPorts.reserve(3);
    String jar = classPath();
    for (int i = 1; i <= 3; i++) {
      StringBuilder peers = new StringBuilder();
      for (int j = 1; j <= 3; j++) {
        if (j != i) {
          peers.append(peers.length() == 0 ? "" : ",").append(j).append("@127.0.0.1:").append(raft[j - 1]);
        }
      }
      Path cfg = dir.resolve("n" + i + ".properties");
      Files.writeString(cfg, "node.id=" + i + "\ndata.dir=" + dir.resolve("n" + i) + "\nlisten=127.0.0.1:" + raft[i - 1]
          + "\ncluster.id=demo\npeers=" + peers + "\nbootstrap.voters=1,2,3\nraft.workers=2\n");
      Path tmp = Files.createDirectories(dir.resolve("tmp" + i)); // RocksDB unpacks its native library here
      List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
          "-Djava.io.tmpdir=" + tmp, "-Xmx512m"));
      cmd.addAll(JvmFlags.forNode());
      cmd.addAll(List.of("-cp", jar, RangeStoreMain.class.getName(), "server", "--config", cfg.toString()));
      ProcessBuilder pb = new ProcessBuilder(cmd)
          .redirectErrorStream(true).redirectOutput(dir.resolve("n" + i + ".log").toFile());
      processes.add(pb.start());
      admins.add(new InetSocketAddress("127.0.0.1", raft[i - 1])); // admin requests go to the listen address
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (InetSocketAddress a : admins) {
      while (true) {
        try {
          new AdminClient(a).call("node", new Encoder(8));
          break;
        } catch (RangeException e) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("server at " + a + " did not start within 60 s; see " + dir + "/n*.log", e);
          }
          Thread.sleep(100); // polling a process start-up, not synchronising threads
        }
      }
    }
  }

  private Decoder call(String method, Encoder body) {
    byte[] b = body.toBytes();
    RangeException last = null;
    for (int attempt = 0; attempt < 200; attempt++) {
      try {
        return AdminCall.call(admins.get(attempt % admins.size()), method, () -> new Encoder(b.length).raw(b));
      } catch (RangeException.Rejected e) {
        throw e;
      } catch (RangeException e) {
        last = e; // no leader yet, a range moving, a busy (frozen) range: try again, maybe elsewhere
        try {
          Thread.sleep(Math.min(100, 5L * (attempt + 1)));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
    throw last;
  }

  private long rangeIdAt(byte[] key) {
    Decoder d = call("route", new Encoder(32).bytes(key));
    if (d.u8("present") != 1) {
      throw new RangeException.RangeNotFound(0, "no range covers the key yet");
    }
    return DescriptorCodec.read(d).rangeId();
  }

  @Override
  public void put(byte[] key, byte[] value) {
    call("put", new Encoder(64).bytes(key).bytes(value));
  }

  @Override
  public byte[] get(byte[] key) {
    return call("get", new Encoder(32).bytes(key)).bytes("value");
  }

  @Override
  public RangeDescriptor splitAt(byte[] key) {
    Decoder d = call("split-at", new Encoder(32).bytes(key));
    DescriptorCodec.read(d);
    return DescriptorCodec.read(d);
  }

  @Override
  public RangeDescriptor mergeAt(byte[] key) {
    return DescriptorCodec.read(call("merge", new Encoder(16).i64(rangeIdAt(key))));
  }

  @Override
  public RangeDescriptor rangeAt(byte[] key) {
    return DescriptorCodec.read(call("descriptor", new Encoder(16).i64(rangeIdAt(key))));
  }

  @Override
  public void relocate(byte[] key, Set<Long> nodes) {
    Encoder e = new Encoder(32).i64(rangeIdAt(key)).i32(nodes.size());
    nodes.forEach(e::i64);
    DescriptorCodec.readConf(call("relocate", e));
  }

  @Override
  public int rangeCount() {
    return call("ranges", new Encoder(8)).count("ranges", 29);
  }

  @Override
  public String groupsPerNode() {
    StringBuilder sb = new StringBuilder();
    for (InetSocketAddress a : admins) {
      Decoder d = new AdminClient(a).call("node", new Encoder(8));
      sb.append(sb.length() == 0 ? "" : ", ").append("n").append(d.i64("node")).append("=").append(d.i64("groups"));
    }
    return sb.toString();
  }

  /** SIGTERM each server (its shutdown hook closes it in order) and waits for it. */
  @Override
  public void close() {
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      try {
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
  }

  /**
   * The fat jar this class was loaded from; from a build tree (tests, IDE) the class lives in a
   * directory without its dependencies, so the children get this JVM's whole class path instead.
   */
  private static String classPath() {
    Path own = Path.of(ProcessTarget.class.getProtectionDomain().getCodeSource().getLocation().getPath());
    return Files.isDirectory(own) ? System.getProperty("java.class.path") : own.toString();
  }
}
