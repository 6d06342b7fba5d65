package io.multiraft.transport;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The arrows of ARCHITECTURE.md from transport's side: it knows multiraft, never RocksDB or the modules above it. */
class TransportArchitectureTest {
  // only the module's own class directory: scanning the whole class path for the package is slow
  private static final JavaClasses PRODUCTION = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPath(classesDir());

  private static Path classesDir() {
    try {
      return Path.of(NettyTransport.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void importSeesTheTransport() {
    assertTrue(PRODUCTION.contain(NettyTransport.class), "no transport classes imported: the rule would pass vacuously");
  }

  @Test
  void transportKnowsNoRocksDbKeyRangesOrBenchmarks() {
    noClasses().that().resideInAPackage("io.multiraft.transport..")
        .should().dependOnClassesThat().resideInAnyPackage("org.rocksdb..", "io.multiraft.rangestore..", "io.multiraft.bench..")
        .because("bench -> rangestore -> transport -> multiraft: the transport knows nothing of storage or key ranges")
        .check(PRODUCTION);
  }

  @Test
  void theWireCodecKnowsNoConnections() {
    noClasses().that().resideInAPackage("io.multiraft.transport.wire..")
        .should().dependOnClassesThat().resideInAnyPackage("io.netty.channel..", "io.multiraft.node..")
        .because("the codec turns bytes into messages and back; sockets and the runtime are the transport's")
        .check(PRODUCTION);
  }
}
