package io.multiraft.rangestore.cli;

import io.multiraft.rangestore.api.ConfigException;
import io.multiraft.rangestore.api.RangeStoreConfig;
import io.multiraft.rangestore.split.AutoSplitConfig;
import io.multiraft.transport.TlsConfig;
import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * A server's configuration file (Java properties). Every error names the key, what was found and
 * what is expected, so a malformed file is fixed from the message alone (lesson 20):
 *
 * <pre>
 * node.id=1
 * data.dir=/var/lib/rangestore/n1
 * listen=127.0.0.1:7001          # Raft transport and admin requests
 * cluster.id=prod
 * peers=2@127.0.0.1:7002, 3@127.0.0.1:7003
 * bootstrap.voters=1,2,3         # optional: first start creates the first range on these nodes
 * tick.ms=50                     # optional
 * read.lease=false               # optional: answer reads on the leader's lease
 * log.budget.bytes=268435456     # optional: the node's Raft log, all ranges (0 = no budget)
 * raft.append.window=1           # optional: appends in flight per follower
 * split.max.bytes=0              # optional: split a range led here above this size (0 = never)
 * split.max.writes.per.sec=0     # optional: ... or above this write rate (0 = never)
 * split.check.interval.ms=0      # optional: how often to check (0 = automatic splits off)
 * replica.gc.interval.ms=30000   # optional: how often to drop stale replicas of this node and
 *                                #   re-create missing ones, asking the other nodes (0 = off)
 * tls.cert=n1.pem                # optional, all three or none: mutual TLS with this certificate,
 * tls.key=n1.key                 #   its PKCS#8 private key (PEM), and the certificates to trust
 * tls.trust=ca.pem
 * </pre>
 */
public record ServerConfig(RangeStoreConfig store, Set<Long> bootstrapVoters, long replicaGcIntervalMs) {
  /** How often a server looks for replicas of its own that no Raft message will repair (stale or missing). */
  public static final long DEFAULT_REPLICA_GC_MS = 30_000;

  private static final Set<String> KEYS = Set.of("node.id", "data.dir", "listen", "cluster.id", "peers", "tls.cert", "tls.key", "tls.trust",
      "bootstrap.voters", "tick.ms", "raft.workers", "read.lease", "log.budget.bytes", "raft.append.window",
      "split.max.bytes", "split.max.writes.per.sec", "split.check.interval.ms", "replica.gc.interval.ms");

  public static ServerConfig load(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
    }
    for (String k : p.stringPropertyNames()) {
      if (k.equals("admin")) {
        throw new ConfigException(file + ": key 'admin' is no longer used: admin requests are served on the 'listen' address; remove it");
      }
      if (!KEYS.contains(k)) {
        throw new ConfigException(file + ": unknown key '" + k + "'; known keys: " + new TreeSet<>(KEYS));
      }
    }
    long id = number(p, "node.id", null);
    String dir = required(p, "data.dir");
    RangeStoreConfig.Builder b = RangeStoreConfig.builder(id, Path.of(dir))
        .listenAddress(address(required(p, "listen"), "listen"))
        .clusterId(p.getProperty("cluster.id", "rangestore").trim())
        .tickIntervalMs(number(p, "tick.ms", 50L))
        .leaseReads(bool(p, "read.lease"))
        .logBudgetBytes(number(p, "log.budget.bytes", 256L << 20))
        .appendWindow((int) number(p, "raft.append.window", 1L))
        .autoSplit(autoSplit(p))
        .tls(tls(p))
        .raftWorkers((int) number(p, "raft.workers", (long) Math.max(1, Runtime.getRuntime().availableProcessors())));
    String peers = p.getProperty("peers", "").trim();
    if (!peers.isEmpty()) {
      for (String entry : peers.split(",")) {
        String e = entry.trim();
        int at = e.indexOf('@');
        if (at <= 0 || e.indexOf('/') >= 0) {
          throw new ConfigException("peers: entry '" + e + "' is not ID@HOST:PORT (the node's listen address; it serves"
              + " admin requests too, so no separate admin address is given)");
        }
        long peer = parseLong(e.substring(0, at), "peers (node id of '" + e + "')");
        b.peer(peer, address(e.substring(at + 1), "peers (address of node " + peer + ")"));
      }
    }
    Set<Long> voters = new TreeSet<>();
    String boot = p.getProperty("bootstrap.voters", "").trim();
    if (!boot.isEmpty()) {
      for (String v : boot.split(",")) {
        voters.add(parseLong(v.trim(), "bootstrap.voters"));
      }
      if (!voters.contains(id)) {
        throw new ConfigException("bootstrap.voters " + voters + " does not include this node (" + id + "); list it or drop the key");
      }
    }
    long gcMs = number(p, "replica.gc.interval.ms", DEFAULT_REPLICA_GC_MS);
    if (gcMs < 0) {
      throw new ConfigException("replica.gc.interval.ms must be 0 (off) or a positive number of milliseconds, not " + gcMs);
    }
    return new ServerConfig(b.build().validate(), voters, gcMs);
  }

  private static String required(Properties p, String key) {
    String v = p.getProperty(key);
    if (v == null || v.isBlank()) {
      throw new ConfigException("missing required key '" + key + "'");
    }
    return v.trim();
  }

  private static long number(Properties p, String key, Long dflt) {
    String v = p.getProperty(key);
    if (v == null || v.isBlank()) {
      if (dflt == null) {
        throw new ConfigException("missing required key '" + key + "'");
      }
      return dflt;
    }
    return parseLong(v.trim(), key);
  }

  private static TlsConfig tls(Properties p) {
    String cert = p.getProperty("tls.cert", "").trim();
    String key = p.getProperty("tls.key", "").trim();
    String trust = p.getProperty("tls.trust", "").trim();
    if (cert.isEmpty() && key.isEmpty() && trust.isEmpty()) {
      return null;
    }
    if (cert.isEmpty() || key.isEmpty() || trust.isEmpty()) {
      throw new ConfigException("tls.cert, tls.key and tls.trust go together: give all three PEM files for mutual TLS, or none");
    }
    try {
      return TlsConfig.fromPem(Path.of(cert), Path.of(key), Path.of(trust));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("tls.*: " + e.getMessage());
    }
  }

  private static AutoSplitConfig autoSplit(Properties p) {
    try {
      return new AutoSplitConfig(number(p, "split.max.bytes", 0L), number(p, "split.max.writes.per.sec", 0L),
          number(p, "split.check.interval.ms", 0L));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("split.*: " + e.getMessage());
    }
  }

  private static boolean bool(Properties p, String key) {
    String v = p.getProperty(key, "false").trim();
    if (!v.equals("true") && !v.equals("false")) {
      throw new ConfigException(key + ": '" + v + "' is neither true nor false");
    }
    return Boolean.parseBoolean(v);
  }

  private static long parseLong(String v, String key) {
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new ConfigException(key + ": '" + v + "' is not a whole number");
    }
  }

  static InetSocketAddress address(String v, String key) {
    int colon = v.lastIndexOf(':');
    if (colon <= 0) {
      throw new ConfigException(key + ": '" + v + "' is not HOST:PORT");
    }
    long port = parseLong(v.substring(colon + 1), key + " port");
    if (port < 0 || port > 65535) {
      throw new ConfigException(key + ": port " + port + " is outside 0-65535");
    }
    return new InetSocketAddress(v.substring(0, colon), (int) port);
  }
}
