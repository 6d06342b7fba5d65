package io.multiraft.bench;

import io.multiraft.core.Entry;
import io.multiraft.core.EntryType;
import io.multiraft.core.Message;
import io.multiraft.core.MessageType;
import io.multiraft.transport.wire.BatchDecoder;
import io.multiraft.transport.wire.BatchEncoder;
import io.multiraft.transport.wire.ProtocolException;
import io.multiraft.transport.wire.WireConstants;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The transport's frame codec for one destination node and 1,000 groups: encoding a frame into a
 * pooled buffer, and decoding it back into the core's messages. {@code batch}: one APPEND per group
 * carrying one 128-byte entry (steady replication); {@code heartbeats}: one heartbeat per group,
 * which the encoder coalesces into packed columns.
 *
 * <p>One operation is one message, so the score is messages per second and {@code -prof gc}'s
 * {@code gc.alloc.rate.norm} is bytes allocated per message:
 * {@code java -jar bench/target/bench.jar jmh TransportCodecBenchmark -prof gc -f 1 -wi 2 -i 3}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TransportCodecBenchmark {
  private static final int GROUPS = 1_000;
  private static final int PAYLOAD_BYTES = 128;

  @Param({"batch", "heartbeats"})
  public String kind;

  private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
  private List<Message> messages;
  private BatchEncoder encoder;
  private ByteBuf encoded;
  private ByteBuf body;
  private ArrayList<Message> decoded;

  @Setup(Level.Trial)
  public void setup() throws ProtocolException {
    messages = new ArrayList<>(GROUPS);
    for (long g = 1; g <= GROUPS; g++) {
      messages.add(kind.equals("batch") ? append(g) : heartbeat(g));
    }
    encoder = new BatchEncoder(16 << 20);
    encoded = encode();
    body = encoded.slice(WireConstants.LENGTH_PREFIX_BYTES, encoded.readableBytes() - WireConstants.LENGTH_PREFIX_BYTES);
    decoded = new ArrayList<>(GROUPS);
    BatchDecoder.decode(body, 1, 2, decoded);
    if (decoded.size() != GROUPS) {
      throw new IllegalStateException("decoded " + decoded.size() + " of " + GROUPS + " messages");
    }
    System.out.printf("%n%s frame for %d groups: %d bytes (%.1f per message)%n", kind, GROUPS, encoded.readableBytes(),
        (double) encoded.readableBytes() / GROUPS);
  }

  private static Message append(long group) {
    byte[] data = new byte[PAYLOAD_BYTES];
    data[0] = (byte) group;
    long index = 1_000 + group;
    return new Message(group, MessageType.APPEND, 1, 2, 7, 7, index - 1, List.of(new Entry(7, index, EntryType.NORMAL, data)),
        index - 1, false, 0, null, 0);
  }

  private static Message heartbeat(long group) {
    return new Message(group, MessageType.HEARTBEAT, 1, 2, 7, 0, 0, null, 1_000 + group, false, 0, null, 0);
  }

  private ByteBuf encode() {
    for (int i = 0; i < messages.size(); i++) {
      if (!encoder.add(messages.get(i))) {
        throw new IllegalStateException("frame full");
      }
    }
    return encoder.encode(alloc);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    encoded.release();
  }

  /** Sizes, writes the frame into a pooled buffer, releases it. */
  @Benchmark
  @OperationsPerInvocation(GROUPS)
  public int encodeFrame() {
    ByteBuf frame = encode();
    int bytes = frame.readableBytes();
    frame.release();
    return bytes;
  }

  /** Parses the frame into Messages (entries and their payloads included). */
  @Benchmark
  @OperationsPerInvocation(GROUPS)
  public int decodeFrame() throws ProtocolException {
    decoded.clear();
    BatchDecoder.decode(body, 1, 2, decoded);
    return decoded.size();
  }
}
