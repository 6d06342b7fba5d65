package io.multiraft;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency arrows of ARCHITECTURE.md that can be checked from this module's classpath
 * (batching and multiraft). transport, rangestore and bench get their own arrow tests.
 *
 * <p>The rule factories are package-visible so that {@link ArchitectureRulesCanFailTest} can prove
 * each rule reports violations on deliberately bad fixture classes.
 */
class ArchitectureTest {

    static final String CORE = "io.multiraft.core..";
    static final String BATCHING = "io.multiraft.batching..";

    /** Only production classes: test classes (and the violating fixtures) are not imported. */
    private static JavaClasses production;

    @BeforeAll
    static void importClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.multiraft");
    }

    /** Guards against vacuous passes: the rules below allow empty subjects, so check the import. */
    @Test
    void importSeesProductionClassesButNoTestFixtures() {
        assertTrue(production.contain("io.multiraft.demo.CoreDemo"),
                "the class import found no multiraft production classes; every rule would pass vacuously");
        assertFalse(production.stream().anyMatch(c -> c.getPackageName().startsWith("io.multiraft.archfixture")),
                "test fixtures must not be imported as production classes");
    }

    // ---------------------------------------------------------------------------------------------
    // (a) the Raft core is pure: no threads, clock, I/O, randomness, logging

    /** Classes that are not allowed in the core although they live in java.lang / java.util. */
    private static final Set<String> FORBIDDEN_JDK_CLASSES = Set.of(
            "java.lang.Thread",
            "java.lang.ThreadGroup",
            "java.lang.ThreadLocal",
            "java.lang.InheritableThreadLocal",
            "java.lang.Runnable",
            "java.lang.Runtime",
            "java.lang.Process",
            "java.lang.ProcessBuilder",
            "java.util.Random",
            "java.util.Timer",
            "java.util.TimerTask");

    private static final DescribedPredicate<JavaClass> FORBIDDEN_JDK = new DescribedPredicate<>(
            "a thread, timer, process or java.util.Random class") {
        @Override
        public boolean test(JavaClass c) {
            JavaClass base = c.isArray() ? c.getBaseComponentType() : c;
            String name = base.getName();
            int nested = name.indexOf('$');
            String outer = nested < 0 ? name : name.substring(0, nested);
            return FORBIDDEN_JDK_CLASSES.contains(outer);
        }
    };

    private static DescribedPredicate<JavaClass> allowedInCore(String corePackage) {
        return resideInAnyPackage("java.lang..", "java.util..", corePackage)
                .and(not(resideInAnyPackage(
                        "java.util.concurrent..", "java.util.logging..", "java.lang.management..")))
                .and(not(FORBIDDEN_JDK))
                .as("java.lang.., java.util.. or " + corePackage
                        + " (but no threads, java.util.concurrent.., java.util.Random, timers, logging)");
    }

    private static final DescribedPredicate<JavaMethodCall> CLOCK_OR_RANDOM_CALL =
            new DescribedPredicate<>(
                    "System.currentTimeMillis/nanoTime/exit/getenv or Math.random / StrictMath.random") {
                @Override
                public boolean test(JavaMethodCall call) {
                    String owner = call.getTargetOwner().getName();
                    String method = call.getName();
                    return switch (owner) {
                        case "java.lang.System" -> Set.of("currentTimeMillis", "nanoTime", "exit", "getenv")
                                .contains(method);
                        case "java.lang.Math", "java.lang.StrictMath" -> method.equals("random");
                        default -> false;
                    };
                }
            };

    /** The core's classes depend only on basic JDK types and on the core itself. */
    static ArchRule pureCoreDependencies(String corePackage) {
        return classes().that().resideInAPackage(corePackage)
                .should().onlyDependOnClassesThat(allowedInCore(corePackage))
                .because("one group's Raft has no threads, clock, I/O, randomness or logging of its own")
                .allowEmptyShould(true);
    }

    /** The core does not read the clock, the environment or a global random source. */
    static ArchRule pureCoreCalls(String corePackage) {
        return noClasses().that().resideInAPackage(corePackage)
                .should().callMethodWhere(CLOCK_OR_RANDOM_CALL)
                .because("time and randomness enter the core only through its inputs (tick(), a seeded source)")
                .allowEmptyShould(true);
    }

    @Test
    void coreDependsOnlyOnJdkBasicsAndItself() {
        pureCoreDependencies(CORE).check(production);
    }

    @Test
    void coreReadsNoClockAndNoGlobalRandomness() {
        pureCoreCalls(CORE).check(production);
    }

    // ---------------------------------------------------------------------------------------------
    // (b) multiraft (and batching) know nothing of the modules to their left, Netty or RocksDB

    static final String[] OUTSIDE_MULTIRAFT = {
        "io.netty..", "org.rocksdb..", "io.multiraft.transport..", "io.multiraft.rangestore..", "io.multiraft.bench.."
    };

    static ArchRule knowsNoOuterModule(String subjectPackage, String... forbiddenPackages) {
        return noClasses().that().resideInAPackage(subjectPackage)
                .should().dependOnClassesThat().resideInAnyPackage(forbiddenPackages)
                .because("bench -> rangestore -> transport -> multiraft -> batching; multiraft knows no Netty or RocksDB")
                .allowEmptyShould(true);
    }

    @Test
    void multiraftDependsOnNoOuterModuleNettyOrRocksDb() {
        knowsNoOuterModule("io.multiraft..", OUTSIDE_MULTIRAFT).check(production);
    }

    // ---------------------------------------------------------------------------------------------
    // (c) batching is generic: no Raft, no Netty, no RocksDB

    static ArchRule batchingIsGeneric(String batchingPackage) {
        return noClasses().that().resideInAPackage(batchingPackage)
                .should().dependOnClassesThat(resideInAnyPackage("io.multiraft..", "io.netty..", "org.rocksdb..")
                        .and(not(resideInAnyPackage(batchingPackage)))
                        .as("any io.multiraft class outside batching (core, node, spi, ...), Netty or RocksDB"))
                .because("batching is the bottom module: it knows nothing of Raft, RocksDB or Netty")
                .allowEmptyShould(true);
    }

    @Test
    void batchingKnowsNoRaftNettyOrRocksDb() {
        batchingIsGeneric(BATCHING).check(production);
    }
}
