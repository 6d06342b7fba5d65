package io.multiraft.bench.peer;

import io.multiraft.bench.ExtraJvmFlags;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the peer child's runtime is and how to start it. The runtime is {@code peer-lib/} (the
 * libraries jraft-core was built against, and bench-peer's classes in {@code peer-lib/classes}),
 * which the build puts beside bench.jar and bench's {@code target/classes}; the system property
 * {@value #LIB_PROPERTY} overrides the place.
 */
final class PeerRuntime {
  static final String LIB_PROPERTY = "multiraft.peer.lib";
  static final String MAIN_CLASS = "io.multiraft.bench.peer.SofaPeerMain";

  private PeerRuntime() {}

  /** The peer-lib directory, or null if there is none with the peer's main class in it. */
  static Path locate() {
    String configured = System.getProperty(LIB_PROPERTY);
    Path lib;
    if (configured != null) {
      lib = Path.of(configured);
    } else {
      try {
        Path codeSource = Path.of(PeerRuntime.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        lib = codeSource.toAbsolutePath().getParent().resolve("peer-lib");
      } catch (URISyntaxException | RuntimeException e) {
        return null;
      }
    }
    Path main = lib.resolve("classes").resolve(MAIN_CLASS.replace('.', '/') + ".class");
    return Files.isRegularFile(main) ? lib : null;
  }

  /** The child's command line: this JVM's java, our child-JVM flags, the run's own tmpdir and logs. */
  static List<String> command(Path lib, Path runDir, PeerRequest req) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    // the flags BenchMain.Jmh.forkedJvmFlags() gives our child JVMs (that method is not visible here)
    cmd.add("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED");
    cmd.add("--enable-native-access=ALL-UNNAMED");
    if (Runtime.version().feature() >= 23) {
      cmd.add("--sun-misc-unsafe-memory-access=allow");
    }
    // a heap or thread exhaustion ends the child at once, to be reported, instead of limping on
    cmd.add("-XX:+ExitOnOutOfMemoryError");
    // Not JvmFlags.forNode(): each side runs as it is meant to be run. Deferred card refinement
    // made the peer slower at 100 groups (1,378 and 1,184 writes/s against 1,882 and 1,456 with
    // the JVM's defaults, PeerCli throughput 100, 2026-12-08).
    // RocksDB unpacks its native library into java.io.tmpdir: keep it in the run directory
    cmd.add("-Djava.io.tmpdir=" + runDir.resolve("tmp"));
    // bolt's logging (sofa-common-tools) writes under ${logging.path}, by default ~/logs
    cmd.add("-Dlogging.path=" + runDir.resolve("logs"));
    cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    cmd.addAll(req.jvmArgs());
    // -Dbench.peerJvmFlags="...": extra flags for the peer's JVM, after ours (so they may undo them)
    cmd.addAll(ExtraJvmFlags.from("bench.peerJvmFlags"));
    cmd.add("-cp");
    cmd.add(lib.resolve("*") + java.io.File.pathSeparator + lib.resolve("classes"));
    cmd.add(MAIN_CLASS);
    // the child exits, and deletes the run directory, when our end of its stdin closes: covers SIGKILL
    cmd.add("--exit-with-parent=" + runDir);
    cmd.addAll(req.childArgs(runDir.resolve("data")));
    return cmd;
  }
}
