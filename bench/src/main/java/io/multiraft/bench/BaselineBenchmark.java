package io.multiraft.bench;

import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Floor of the harness on this machine, and a smoke test that forked JMH JVMs get the flags agrona
 * needs ({@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED}).
 *
 * <p>{@code java -jar bench/target/bench.jar jmh -f 1 -wi 1 -i 1 -w 1s -r 1s Baseline}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BaselineBenchmark {

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
    private long value;

    /** An empty method: what JMH itself costs per call. */
    @Benchmark
    public void empty() {}

    /** One 8-byte write and read through agrona's {@code UnsafeBuffer}. */
    @Benchmark
    public long agronaPutGetLong() {
        buffer.putLong(8, ++value);
        return buffer.getLong(8);
    }
}
