package io.multiraft.bench;

import io.multiraft.bench.xjvm.NodeCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * Entry point of {@code bench.jar}: {@code java -jar bench/target/bench.jar jmh [JMH options]}.
 *
 * <p>Exit codes: 0 success, 2 bad usage (picocli's usage exit code), otherwise the sub-command's.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        version = "multiraft bench 0.1.0-SNAPSHOT",
        description = "Benchmarks of the multi-raft engine.",
        subcommands = {BenchMain.Jmh.class, IdleScenario.class, ThroughputScenario.class, FailoverScenario.class,
            ScaleScenario.class, LogWriteScenario.class, SplitMergeScenario.class, NodeCommand.class})
public final class BenchMain implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        // No sub-command given: that is a usage error.
        spec.commandLine().usage(System.err);
        return spec.exitCodeOnInvalidInput();
    }

    /**
     * Forwards every argument, options included, to {@code org.openjdk.jmh.Main}, with two defaults:
     *
     * <ul>
     *   <li>the JVM flags agrona (and RocksDB/Netty natives) need are prepended to every forked
     *       benchmark JVM: forks are started with {@code -cp}, so the {@code Add-Exports} of
     *       bench.jar's manifest does not reach them;
     *   <li>{@code -foe true} (fail on error, non-zero exit) unless {@code -foe} is given.
     * </ul>
     */
    @Command(
            name = "jmh",
            description = "Run JMH micro-benchmarks; all arguments go to JMH (try: jmh -h, jmh -l).")
    static final class Jmh implements Callable<Integer> {
        @Unmatched
        List<String> jmhArgs = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            org.openjdk.jmh.Main.main(withDefaults(jmhArgs).toArray(new String[0]));
            return 0;
        }

        static List<String> withDefaults(List<String> userArgs) {
            List<String> args = new ArrayList<>();
            args.add("-jvmArgsPrepend");
            args.add(String.join(" ", forkedJvmFlags()));
            if (!userArgs.contains("-foe")) {
                args.add("-foe");
                args.add("true");
            }
            args.addAll(userArgs);
            return args;
        }

        /** The same flags the surefire argLine gives test JVMs (see the parent pom). */
        static List<String> forkedJvmFlags() {
            List<String> flags = new ArrayList<>(List.of(
                    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"));
            if (Runtime.version().feature() >= 23) {
                flags.add("--sun-misc-unsafe-memory-access=allow");
            }
            return flags;
        }
    }

    /** The command line {@link #main} runs; tests run it too, so they see the same usage handling. */
    static CommandLine commandLine() {
        return new CommandLine(new BenchMain()).setParameterExceptionHandler(new UsageOnError());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
