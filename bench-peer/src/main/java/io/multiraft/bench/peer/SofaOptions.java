package io.multiraft.bench.peer;

import com.alipay.sofa.jraft.StateMachine;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.option.NodeOptions;
import com.alipay.sofa.jraft.option.RaftOptions;
import com.alipay.sofa.jraft.storage.impl.RocksDBLogStorage;
import com.alipay.sofa.jraft.util.StorageOptionsFactory;
import java.nio.file.Path;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.util.SizeUnit;

/**
 * SOFAJRaft 1.3.15 node options for many groups in one process, as its 1.3.1 release notes advise
 * ("multi raft groups share the timer and scheduler threads", sofa-jraft#414): every timer the
 * API lets a node share is shared. Everything else is SOFAJRaft's default unless a comment says why.
 */
final class SofaOptions {
  /**
   * SOFAJRaft preallocates a ring of this many slots in each of a replica's four disruptors
   * (apply, log manager, FSM caller, read-only). The default, 16384, is 65536 slots per replica,
   * which heap-limits the group count long before anything else; the workload never has more than
   * clients × outstanding (512) writes in flight, so 1024 never fills.
   */
  static final int DISRUPTOR_BUFFER_SIZE = 1024;

  /** jraft's own write buffer per column family (StorageOptionsFactory), with a bloom filter 1/8 its size. */
  static final int DEFAULT_WRITE_BUFFER_MB = 64;

  private SofaOptions() {}

  /**
   * Opt-in deviation from SOFAJRaft's defaults, for group counts its defaults cannot hold: every
   * replica's RocksDB gets memtables of {@code mb} instead of 64 MB (the memtable bloom filter and
   * arena blocks scale with it). Registered once, before any replica opens its log, through the
   * hook SOFAJRaft provides for it.
   */
  static void registerLogWriteBuffer(int mb) {
    ColumnFamilyOptions o = StorageOptionsFactory.getDefaultRocksDBColumnFamilyOptions();
    o.setWriteBufferSize(mb * SizeUnit.MB);
    StorageOptionsFactory.registerRocksDBColumnFamilyOptions(RocksDBLogStorage.class, o);
  }

  static NodeOptions forReplica(Configuration conf, StateMachine fsm, Path replicaDir, int electionTimeoutMs,
      boolean metrics) {
    NodeOptions o = new NodeOptions();
    // heartbeat = electionTimeoutMs / RaftOptions.electionHeartbeatFactor (10): 1 s and 100 ms, as ours
    o.setElectionTimeoutMs(electionTimeoutMs);
    o.setInitialConf(conf);
    o.setFsm(fsm);
    o.setLogUri(replicaDir.resolve("log").toString());         // RocksDBLogStorage, the default factory
    o.setRaftMetaUri(replicaDir.resolve("meta").toString());
    // no snapshot URI: NodeImpl then creates no snapshot executor, so snapshots are off
    o.setSharedTimerPool(true);
    o.setSharedElectionTimer(true);
    o.setSharedVoteTimer(true);
    o.setSharedStepDownTimer(true);
    o.setSharedSnapshotTimer(true);
    // the idle workload counts heartbeats from the node's metric registry; off under load (its cost)
    o.setEnableMetrics(metrics);
    RaftOptions raft = new RaftOptions();
    raft.setSync(true); // the default, stated: every log append is fsynced, as ours
    raft.setDisruptorBufferSize(DISRUPTOR_BUFFER_SIZE);
    o.setRaftOptions(raft);
    return o;
  }
}
