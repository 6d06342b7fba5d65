package io.multiraft.core;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The interpreter behind the golden-file scripts ({@link InteractionTest}): replicas of one group
 * driven through the {@link Ready} contract, with a network the script controls message by message.
 * Modelled on etcd-io/raft's {@code rafttest.InteractionEnv}. Everything is deterministic: node
 * {@code n} draws its election jitter from {@code new SplittableRandom(n)}, iteration is by node id,
 * and messages stay in the order they were handed out.
 *
 * <p>Each Ready is handled as an owner must: immediate messages are queued, then snapshot, entries
 * and hard state are written to the node's {@link MemoryStorage}, then the persisted messages are
 * queued, then committed entries are applied (membership changes through {@link
 * RaftGroup#applyConfChange(Entry)}) and the Ready advanced. Messages travel only on {@code
 * deliver-msgs} and {@code stabilize}. A message is lost if its link is cut when it is sent or when
 * it is delivered, or if its receiver is down.
 *
 * <p>Commands are listed in {@code src/test/resources/interaction/README.md}.
 */
final class InteractionEnv {
  static final long GROUP = 1;

  /** A parsed command: its name, its arguments in order, positional ones with a null key. */
  record Command(String name, List<Arg> args) {
    static Command parse(List<String> input) {
      List<String> tokens = new ArrayList<>();
      for (String line : input) {
        tokens.addAll(tokenize(line));
      }
      if (tokens.isEmpty()) {
        throw new IllegalArgumentException("empty command");
      }
      List<Arg> args = new ArrayList<>();
      for (String t : tokens.subList(1, tokens.size())) {
        int eq = t.indexOf('=');
        if (eq > 0 && !t.startsWith("(")) {
          args.add(new Arg(t.substring(0, eq), t.substring(eq + 1)));
        } else {
          args.add(new Arg(null, t));
        }
      }
      return new Command(tokens.get(0), args);
    }

    /** Splits on whitespace, except inside parentheses: {@code voters=(1, 2, 3)} is one token. */
    private static List<String> tokenize(String line) {
      List<String> out = new ArrayList<>();
      StringBuilder cur = new StringBuilder();
      int depth = 0;
      for (char c : line.trim().toCharArray()) {
        if (c == '(') {
          depth++;
        } else if (c == ')') {
          depth--;
        }
        if (Character.isWhitespace(c) && depth == 0) {
          if (cur.length() > 0) {
            out.add(cur.toString());
            cur.setLength(0);
          }
        } else if (!Character.isWhitespace(c)) {
          cur.append(c);
        }
      }
      if (cur.length() > 0) {
        out.add(cur.toString());
      }
      return out;
    }

    List<String> positional() {
      List<String> out = new ArrayList<>();
      for (Arg a : args) {
        if (a.key == null) {
          out.add(a.value);
        }
      }
      return out;
    }

    String pos(int i) {
      List<String> p = positional();
      if (i >= p.size()) {
        throw new IllegalArgumentException(name + ": missing argument " + (i + 1));
      }
      return p.get(i);
    }

    long id(int i) {
      return Long.parseLong(pos(i));
    }

    String opt(String key) {
      String v = null;
      for (Arg a : args) {
        if (key.equals(a.key)) {
          v = a.value;
        }
      }
      return v;
    }

    void allowOnly(Set<String> keys) {
      for (Arg a : args) {
        if (a.key != null && !keys.contains(a.key)) {
          throw new IllegalArgumentException(name + ": unknown option " + a.key + " (known: " + new TreeSet<>(keys) + ")");
        }
      }
    }
  }

  record Arg(String key, String value) {}

  /** One replica: its settings (kept for restarts), its storage and the group over it. */
  private static final class Node {
    final long id;
    final RaftConfig cfg;
    final MemoryStorage storage;
    RaftGroup group;
    boolean crashed;

    Node(long id, RaftConfig cfg, MemoryStorage storage) {
      this.id = id;
      this.cfg = cfg;
      this.storage = storage;
    }

    Raft raft() {
      return group.raft();
    }
  }

  private final TreeMap<Long, Node> nodes = new TreeMap<>();
  /** Messages handed out and not yet delivered or dropped, in order. */
  private final List<Message> network = new ArrayList<>();
  /** Messages sent over a link that was cut at the time: lost even if the link heals before delivery. */
  private final Set<Message> lostInTransit = Collections.newSetFromMap(new IdentityHashMap<>());
  /** Directed links that lose every message, as "from->to". */
  private final Set<String> cut = new HashSet<>();
  private StringBuilder out = new StringBuilder();

  /** Runs one command and returns its output ("ok" if it printed nothing). */
  String handle(Command c) {
    out = new StringBuilder();
    switch (c.name()) {
      case "add-nodes" -> addNodes(c);
      case "campaign" -> node(c.id(0)).group.campaign();
      case "propose" -> result(node(c.id(0)).group.propose(c.pos(1).getBytes(StandardCharsets.UTF_8)));
      case "propose-conf-change" -> proposeConfChange(c);
      case "process-ready" -> {
        for (long id : ids(c, 0, false)) {
          Node n = node(id);
          if (!n.group.hasReady()) {
            line("> " + id + " has no Ready");
          } else {
            processReady(n);
          }
        }
      }
      case "deliver-msgs" -> deliverMsgs(c);
      case "stabilize" -> {
        c.allowOnly(Set.of("quiet"));
        if (Boolean.parseBoolean(c.opt("quiet"))) {
          // For setup steps the script is not about: run silently, then show where it ended.
          StringBuilder saved = out;
          out = new StringBuilder();
          stabilize(ids(c, 0, true));
          out = saved;
          raftState();
        } else {
          stabilize(ids(c, 0, true));
        }
      }
      case "tick" -> tick(node(c.id(0)), c.positional().size() > 1 ? Integer.parseInt(c.pos(1)) : 1);
      case "tick-heartbeat" -> tick(node(c.id(0)), node(c.id(0)).cfg.heartbeatTicks());
      case "tick-election" -> tickElection(c);
      case "partition" -> partition(c);
      case "isolate" -> {
        long id = c.id(0);
        for (long other : nodes.keySet()) {
          if (other != id) {
            cut.add(id + "->" + other);
            cut.add(other + "->" + id);
          }
        }
      }
      case "heal" -> cut.clear();
      case "status" -> status(node(c.id(0)));
      case "raft-state" -> raftState();
      case "raft-log" -> raftLog(node(c.id(0)));
      case "read-index" -> result(node(c.id(0)).group.readIndex(Long.parseLong(c.pos(1))));
      case "transfer-leader" -> result(node(c.id(0)).group.transferLeader(c.id(1)));
      case "report-unreachable" -> node(c.id(0)).group.reportUnreachable(c.id(1));
      case "report-snapshot" -> node(c.id(0)).group.reportSnapshot(c.id(1), parseOk(c.pos(2)));
      case "compact" -> compact(node(c.id(0)), Long.parseLong(c.pos(1)));
      case "set-snapshot-unavailable" -> node(c.id(0)).storage.setSnapshotUnavailable(Boolean.parseBoolean(c.pos(1)));
      case "crash" -> crash(node(c.id(0)));
      case "restart" -> restart(c.id(0));
      case "counters" -> counters(node(c.id(0)));
      default -> throw new IllegalArgumentException("unknown command " + c.name());
    }
    String s = out.toString().stripTrailing();
    return s.isEmpty() ? "ok" : s;
  }

  // ---------------------------------------------------------------- nodes

  private static final Set<String> CONFIG_KEYS = Set.of("election", "heartbeat", "max-inflight", "max-inflight-bytes",
      "max-size-per-msg", "max-uncommitted-size", "prevote", "checkquorum", "read-only", "fast-first-election",
      "step-down-on-removal");

  private void addNodes(Command c) {
    Set<String> keys = new HashSet<>(CONFIG_KEYS);
    keys.addAll(Set.of("voters", "learners", "index", "term"));
    c.allowOnly(keys);
    int count = Integer.parseInt(c.pos(0));
    long first = nodes.isEmpty() ? 1 : nodes.lastKey() + 1;
    long index = c.opt("index") == null ? 0 : Long.parseLong(c.opt("index"));
    long term = c.opt("term") == null ? 0 : Long.parseLong(c.opt("term"));
    if (index > 0 && term == 0) {
      throw new IllegalArgumentException("add-nodes: index=" + index + " needs term=");
    }
    Set<Long> voters = c.opt("voters") == null ? null : parseIds(c.opt("voters"));
    Set<Long> learners = c.opt("learners") == null ? Set.of() : parseIds(c.opt("learners"));
    if (voters == null && nodes.isEmpty()) {
      voters = new TreeSet<>();
      for (long id = first; id < first + count; id++) {
        voters.add(id); // a fresh group of exactly these replicas
      }
    }
    for (long id = first; id < first + count; id++) {
      RaftConfig cfg = config(id, c);
      // Without voters (and with nodes already present) the replica starts empty: it joins once a
      // membership change names it and the leader replicates the log or a snapshot to it.
      MemoryStorage storage = voters == null ? new MemoryStorage() : MemoryStorage.at(index, term, ConfState.of(voters, learners));
      Node n = new Node(id, cfg, storage);
      n.group = newGroup(n);
      nodes.put(id, n);
      describe(n);
    }
  }

  private static RaftConfig config(long id, Command c) {
    RaftConfig.Builder b = RaftConfig.builder(GROUP, id);
    for (Arg a : c.args()) {
      if (a.key() == null || !CONFIG_KEYS.contains(a.key())) {
        continue;
      }
      String v = a.value();
      switch (a.key()) {
        case "election" -> b.electionTicks(Integer.parseInt(v));
        case "heartbeat" -> b.heartbeatTicks(Integer.parseInt(v));
        case "max-inflight" -> b.maxInflightMsgs(Integer.parseInt(v));
        case "max-inflight-bytes" -> b.maxInflightBytes(Long.parseLong(v));
        case "max-size-per-msg" -> b.maxSizePerMsgBytes(Long.parseLong(v));
        case "max-uncommitted-size" -> b.maxUncommittedEntriesBytes(Long.parseLong(v));
        case "prevote" -> b.preVote(Boolean.parseBoolean(v));
        case "checkquorum" -> b.checkQuorum(Boolean.parseBoolean(v));
        case "read-only" -> b.readOnlyOption(switch (v) {
          case "safe" -> ReadOnlyOption.SAFE;
          case "lease" -> ReadOnlyOption.LEASE_BASED;
          default -> throw new IllegalArgumentException("read-only=safe|lease, not " + v);
        });
        case "fast-first-election" -> b.fastFirstElection(Boolean.parseBoolean(v));
        case "step-down-on-removal" -> b.stepDownOnRemoval(Boolean.parseBoolean(v));
        default -> throw new IllegalStateException(a.key());
      }
    }
    return b.build();
  }

  private static RaftGroup newGroup(Node n) {
    return new RaftGroup(n.cfg, n.storage, new SplittableRandom(n.id));
  }

  /** Restarts a replica from its storage: what it had not persisted is gone, and it re-applies its log. */
  private void restart(long id) {
    Node n = nodes.get(id);
    if (n == null) {
      throw new IllegalArgumentException("no node " + id);
    }
    n.crashed = false;
    n.group = newGroup(n);
    describe(n);
  }

  /** A crash loses the messages in flight to the node; it keeps only what its storage holds. */
  private void crash(Node n) {
    n.crashed = true;
    for (Iterator<Message> it = network.iterator(); it.hasNext(); ) {
      Message m = it.next();
      if (m.to == n.id) {
        it.remove();
        lostInTransit.remove(m);
        line("dropped (node down): " + fmt(m));
      }
    }
  }

  private Node node(long id) {
    Node n = nodes.get(id);
    if (n == null) {
      throw new IllegalArgumentException("no node " + id);
    }
    if (n.crashed) {
      throw new IllegalArgumentException("node " + id + " is down (restart it first)");
    }
    return n;
  }

  /** The ids named from positional argument {@code from} on, or every (running) node if none. */
  private List<Long> ids(Command c, int from, boolean withCrashed) {
    List<String> p = c.positional();
    List<Long> out = new ArrayList<>();
    if (p.size() <= from) {
      for (Node n : nodes.values()) {
        if (withCrashed || !n.crashed) {
          out.add(n.id);
        }
      }
      return out;
    }
    for (String s : p.subList(from, p.size())) {
      out.addAll(parseIds(s));
    }
    return out;
  }

  private static Set<Long> parseIds(String s) {
    String t = s.trim();
    if (t.startsWith("(") && t.endsWith(")")) {
      t = t.substring(1, t.length() - 1);
    }
    Set<Long> ids = new LinkedHashSet<>();
    for (String part : t.split(",")) {
      if (!part.isBlank()) {
        ids.add(Long.parseLong(part.trim()));
      }
    }
    return ids;
  }

  private static boolean parseOk(String s) {
    return switch (s) {
      case "ok", "true" -> true;
      case "fail", "false" -> false;
      default -> throw new IllegalArgumentException("expected ok|fail, got " + s);
    };
  }

  // ---------------------------------------------------------------- requests

  /** Requests print nothing when accepted, else why not. */
  private void result(ProposeResult r) {
    if (r != ProposeResult.ACCEPTED) {
      line(r.toString());
    }
  }

  private void proposeConfChange(Command c) {
    c.allowOnly(Set.of("transition"));
    Node n = node(c.id(0));
    List<ConfChange.Single> changes = new ArrayList<>();
    for (String t : c.positional().subList(1, c.positional().size())) {
      ConfChange.Type type = switch (t.charAt(0)) {
        case 'v' -> ConfChange.Type.ADD_VOTER;
        case 'l' -> ConfChange.Type.ADD_LEARNER;
        case 'r' -> ConfChange.Type.REMOVE;
        default -> throw new IllegalArgumentException("change " + t + ": expected v<id>, l<id> or r<id>");
      };
      changes.add(new ConfChange.Single(type, Long.parseLong(t.substring(1))));
    }
    String tr = c.opt("transition") == null ? "auto" : c.opt("transition");
    ConfChange.Transition transition = switch (tr) {
      case "auto" -> ConfChange.Transition.AUTO;
      case "joint-implicit" -> ConfChange.Transition.JOINT_IMPLICIT;
      case "joint-explicit" -> ConfChange.Transition.JOINT_EXPLICIT;
      default -> throw new IllegalArgumentException("transition=auto|joint-implicit|joint-explicit, not " + tr);
    };
    result(n.group.proposeConfChange(new ConfChange(transition, changes)));
  }

  private void compact(Node n, long index) {
    if (index > n.group.appliedIndex()) {
      throw new IllegalArgumentException("compact " + index + ": node " + n.id + " applied only " + n.group.appliedIndex());
    }
    Snapshot s = n.storage.createSnapshot(index, n.group.confState(), ("snap@" + index).getBytes(StandardCharsets.UTF_8));
    n.storage.compact(index);
    line("created " + s + "; log now starts at " + n.storage.firstIndex());
  }

  // ---------------------------------------------------------------- time

  private static void tick(Node n, int times) {
    for (int i = 0; i < times; i++) {
      n.group.tick();
    }
  }

  /**
   * Ticks until the election timeout elapses once: for a leader, until its CheckQuorum window ends;
   * otherwise until its randomized timeout fires. Reads the core's counters so that scripts need
   * not know the seeded jitter.
   */
  private void tickElection(Command c) {
    Node n = node(c.id(0));
    Raft r = n.raft();
    int ticks;
    if (c.positional().size() > 1) {
      ticks = Integer.parseInt(c.pos(1));
    } else if (r.role == Role.LEADER) {
      ticks = r.cfg.electionTicks() - r.electionElapsed;
    } else {
      ticks = r.randomizedElectionTimeout - r.electionElapsed;
    }
    tick(n, Math.max(1, ticks));
  }

  // ---------------------------------------------------------------- the network

  private void partition(Command c) {
    List<Set<Long>> sides = new ArrayList<>();
    for (String p : c.positional()) {
      sides.add(parseIds(p));
    }
    for (int i = 0; i < sides.size(); i++) {
      for (int j = 0; j < sides.size(); j++) {
        if (i == j) {
          continue;
        }
        for (long a : sides.get(i)) {
          for (long b : sides.get(j)) {
            cut.add(a + "->" + b);
          }
        }
      }
    }
  }

  private void deliverMsgs(Command c) {
    c.allowOnly(Set.of("drop", "type"));
    Set<Long> to = new HashSet<>();
    for (String p : c.positional()) {
      to.addAll(parseIds(p));
    }
    Set<Long> drop = c.opt("drop") == null ? Set.of() : parseIds(c.opt("drop"));
    MessageType type = c.opt("type") == null ? null : MessageType.valueOf(c.opt("type"));
    boolean all = to.isEmpty() && drop.isEmpty();
    int n = 0;
    Iterator<Message> it = new ArrayList<>(network).iterator();
    while (it.hasNext()) {
      Message m = it.next();
      if (!(all || to.contains(m.to) || drop.contains(m.to)) || (type != null && m.type != type)) {
        continue;
      }
      network.remove(m);
      n++;
      if (drop.contains(m.to)) {
        lostInTransit.remove(m);
        line("dropped: " + fmt(m));
      } else {
        deliver(m, "");
      }
    }
    if (n == 0) {
      line("no messages");
    }
  }

  private void send(List<Message> ms) {
    for (Message m : ms) {
      network.add(m);
      if (cut.contains(m.from + "->" + m.to)) {
        lostInTransit.add(m);
      }
    }
  }

  /** Hands one message to its receiver, or says why it was lost. */
  private void deliver(Message m, String indent) {
    Node to = nodes.get(m.to);
    if (to == null) {
      line(indent + "dropped (no node " + m.to + "): " + fmt(m));
    } else if (lostInTransit.remove(m) || cut.contains(m.from + "->" + m.to)) {
      line(indent + "dropped (partition): " + fmt(m));
    } else if (to.crashed) {
      line(indent + "dropped (node down): " + fmt(m));
    } else {
      line(indent + fmt(m));
      to.group.step(m);
    }
  }

  /** Handles Readies and delivers messages among {@code ids} until nothing moves (etcd's stabilize). */
  private void stabilize(List<Long> ids) {
    for (int round = 0; round < 1000; round++) {
      boolean done = true;
      for (long id : ids) {
        Node n = nodes.get(id);
        if (n != null && !n.crashed && n.group.hasReady()) {
          done = false;
          processReady(n);
        }
      }
      for (long id : ids) {
        List<Message> batch = new ArrayList<>();
        for (Message m : network) {
          if (m.to == id) {
            batch.add(m);
          }
        }
        if (batch.isEmpty()) {
          continue;
        }
        done = false;
        network.removeAll(batch);
        line("> " + id + " receiving messages");
        for (Message m : batch) {
          deliver(m, "  ");
        }
      }
      if (done) {
        return;
      }
    }
    throw new AssertionError("stabilize did not converge in 1000 rounds");
  }

  // ---------------------------------------------------------------- the Ready contract

  private void processReady(Node n) {
    Ready rd = n.group.ready();
    line("> " + n.id + " handling Ready");
    line("  Ready mustSync=" + rd.mustSync() + ":");
    if (rd.softState() != null) {
      line("  soft: lead=" + rd.softState().leader() + " role=" + rd.softState().role());
    }
    if (rd.hardState() != null) {
      HardState h = rd.hardState();
      line("  hard: term=" + h.term() + " vote=" + h.vote() + " commit=" + h.commit());
    }
    if (rd.snapshot() != null) {
      line("  snapshot: " + rd.snapshot());
    }
    entries("entries", rd.entries());
    entries("committed", rd.committedEntries());
    messages("messages", rd.messages());
    messages("persisted messages", rd.persistedMessages());
    messages("self messages (stepped on advance)", rd.selfMessages());
    if (!rd.readStates().isEmpty()) {
      line("  read states:");
      for (ReadState rs : rd.readStates()) {
        line("    index=" + rs.index() + " ctx=" + rs.context());
      }
    }

    send(rd.messages());
    if (rd.snapshot() != null) {
      n.storage.applySnapshot(rd.snapshot());
    }
    n.storage.append(rd.entries());
    if (rd.hardState() != null) {
      n.storage.setHardState(rd.hardState());
    }
    send(rd.persistedMessages());
    for (Entry e : rd.committedEntries()) {
      if (e.type() == EntryType.CONF_CHANGE) {
        ConfState cs = n.group.applyConfChange(e);
        line("  applied " + fmt(e) + ": " + cs);
      }
    }
    n.group.advance(rd);
  }

  private void entries(String title, List<Entry> es) {
    if (es.isEmpty()) {
      return;
    }
    line("  " + title + ":");
    for (Entry e : es) {
      line("    " + fmt(e));
    }
  }

  private void messages(String title, List<Message> ms) {
    if (ms.isEmpty()) {
      return;
    }
    line("  " + title + ":");
    for (Message m : ms) {
      line("    " + fmt(m));
    }
  }

  // ---------------------------------------------------------------- formatting

  static String fmt(Entry e) {
    if (e.type() == EntryType.CONF_CHANGE) {
      String cc;
      try {
        cc = ConfChangeCodec.decode(e.data()).toString();
      } catch (IllegalArgumentException ex) {
        cc = "<malformed>";
      }
      return e.term() + "/" + e.index() + " CC " + cc;
    }
    return e.term() + "/" + e.index() + " \"" + new String(e.data(), StandardCharsets.UTF_8) + "\"";
  }

  /** {@link Message#toString()}, except that entries show their payload, not their size. */
  static String fmt(Message m) {
    String s = m.toString();
    if (m.entries.isEmpty()) {
      return s;
    }
    int at = s.indexOf(" entries=");
    StringBuilder sb = new StringBuilder(at < 0 ? s : s.substring(0, at)).append(" entries=[");
    for (int i = 0; i < m.entries.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(fmt(m.entries.get(i)));
    }
    return sb.append(']').toString();
  }

  private void line(String s) {
    out.append(s).append('\n');
  }

  // ---------------------------------------------------------------- inspection

  private void describe(Node n) {
    Raft r = n.raft();
    line(n.id + ": " + r.role + " term=" + r.term + " commit=" + r.log.committed + " applied=" + r.log.applied
        + " last=" + r.log.lastIndex() + " " + r.trk.conf);
  }

  private void status(Node n) {
    Raft r = n.raft();
    line(n.id + ": " + r.role + " term=" + r.term + " vote=" + r.vote + " lead=" + r.lead + " commit=" + r.log.committed
        + " applied=" + r.log.applied + " last=" + r.log.lastIndex());
    line("  conf: " + r.trk.conf);
    if (r.leadTransferee != Raft.NONE) {
      line("  transferring to " + r.leadTransferee);
    }
    if (r.role == Role.LEADER) {
      line("  progress:");
      for (Map.Entry<Long, Progress> e : r.trk.all().entrySet()) {
        line("    " + e.getKey() + ": " + e.getValue());
      }
    }
  }

  private void raftState() {
    for (Node n : nodes.values()) {
      Raft r = n.raft();
      ConfState cs = r.trk.conf;
      String membership = cs.voters().contains(n.id) || cs.votersOutgoing().contains(n.id) ? "voter"
          : cs.learners().contains(n.id) ? "learner" : "non-member";
      line(n.id + ": " + r.role + " (" + membership + ") term=" + r.term + " lead=" + r.lead + " commit=" + r.log.committed
          + (n.crashed ? " (down)" : ""));
    }
  }

  private void raftLog(Node n) {
    RaftLog log = n.raft().log;
    long first = log.firstIndex();
    long last = log.lastIndex();
    if (first > 1) {
      line("compacted through " + log.termOrZero(first - 1) + "/" + (first - 1));
    }
    if (last < first) {
      line("log is empty: first index=" + first + ", last index=" + last);
      return;
    }
    for (Entry e : log.slice(first, last + 1, Long.MAX_VALUE)) {
      line(fmt(e));
    }
  }

  /** The counters that are not zero, one per line. */
  private void counters(Node n) {
    RaftCounters c = n.group.counters();
    boolean any = false;
    for (Field f : RaftCounters.class.getFields()) {
      try {
        Object v = f.get(c);
        if (v != null && !(v instanceof Long l && l == 0)) {
          line(f.getName() + "=" + v);
          any = true;
        }
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }
    if (!any) {
      line("all counters zero");
    }
  }
}
