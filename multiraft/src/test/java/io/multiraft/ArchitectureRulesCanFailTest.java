package io.multiraft;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import io.multiraft.archfixture.CleanFixture;
import io.multiraft.archfixture.ClockFixture;
import io.multiraft.archfixture.ConcurrentFixture;
import io.multiraft.archfixture.LoggingFixture;
import io.multiraft.archfixture.OuterModuleFixture;
import io.multiraft.archfixture.RandomFixture;
import io.multiraft.archfixture.ThreadFixture;
import org.junit.jupiter.api.Test;

/**
 * Proves the rules of {@link ArchitectureTest} are not vacuous: applied to the test-only package
 * {@code io.multiraft.archfixture}, each rule reports the deliberate violations there and accepts
 * the clean fixture.
 */
class ArchitectureRulesCanFailTest {

    private static final String FIXTURE = "io.multiraft.archfixture..";

    private static JavaClasses importOnly(Class<?>... classes) {
        return new ClassFileImporter().importClasses(classes);
    }

    private static void assertViolated(ArchRule rule, Class<?> fixture, String expectedInMessage) {
        AssertionError error = assertThrows(AssertionError.class, () -> rule.check(importOnly(fixture)),
                () -> rule.getDescription() + " should reject " + fixture.getSimpleName());
        assertTrue(error.getMessage().contains(expectedInMessage),
                () -> "violation report should mention " + expectedInMessage + ":\n" + error.getMessage());
    }

    @Test
    void pureCoreRuleRejectsThreads() {
        assertViolated(ArchitectureTest.pureCoreDependencies(FIXTURE), ThreadFixture.class, "java.lang.Thread");
    }

    @Test
    void pureCoreRuleRejectsJavaUtilConcurrent() {
        assertViolated(ArchitectureTest.pureCoreDependencies(FIXTURE), ConcurrentFixture.class,
                "java.util.concurrent.ConcurrentHashMap");
    }

    @Test
    void pureCoreRuleRejectsJavaUtilRandom() {
        assertViolated(ArchitectureTest.pureCoreDependencies(FIXTURE), RandomFixture.class, "java.util.Random");
    }

    @Test
    void pureCoreRuleRejectsLogging() {
        assertViolated(ArchitectureTest.pureCoreDependencies(FIXTURE), LoggingFixture.class, "org.slf4j.Logger");
    }

    @Test
    void pureCoreCallRuleRejectsClockReads() {
        assertViolated(ArchitectureTest.pureCoreCalls(FIXTURE), ClockFixture.class, "System.nanoTime()");
    }

    @Test
    void pureCoreRulesAcceptCleanCode() {
        JavaClasses clean = new ClassFileImporter().importPackagesOf(CleanFixture.class)
                .that(com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf(CleanFixture.class));
        ArchitectureTest.pureCoreDependencies(FIXTURE).check(clean);
        ArchitectureTest.pureCoreCalls(FIXTURE).check(clean);
    }

    @Test
    void outerModuleRuleRejectsDependencyOnOuterModule() {
        assertViolated(ArchitectureTest.knowsNoOuterModule(FIXTURE, "io.multiraft.archfixture.outer.."),
                OuterModuleFixture.class, "FakeTransportModuleClass");
    }

    @Test
    void batchingRuleRejectsDependencyOnOtherMultiraftPackages() {
        // Only the fixture's own package counts as "batching" here; archfixture.outer plays core/spi.
        assertViolated(ArchitectureTest.batchingIsGeneric("io.multiraft.archfixture"),
                OuterModuleFixture.class, "FakeTransportModuleClass");
    }
}
