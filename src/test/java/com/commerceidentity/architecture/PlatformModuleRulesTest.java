package com.commerceidentity.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A platform is one module: its package under {@code platform}, its route file and its simulator under
 * {@code sandbox}. The core reaches platforms only through the extension point ({@code platform.PlatformModule},
 * found with ServiceLoader), so adding a platform never means editing the core; and the simulators never use
 * client code, which is what makes them a yardstick for it.
 */
class PlatformModuleRulesTest {
    static final String[] CORE = {"com.commerceidentity.app..", "com.commerceidentity.graph..",
            "com.commerceidentity.feed..", "com.commerceidentity.store..", "com.commerceidentity.sync..",
            "com.commerceidentity.webhook..", "com.commerceidentity.budget..", "com.commerceidentity.drop..",
            "com.commerceidentity.model..", "com.commerceidentity.http.."};
    /** Any platform's own package (not the extension point in {@code platform} itself). */
    static final String A_PLATFORM = "com.commerceidentity.platform.*..";

    static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("com.commerceidentity");
    }

    @Test
    void theCoreNamesNoPlatform() {
        noClasses().that().resideInAnyPackage(CORE).should().dependOnClassesThat().resideInAPackage(A_PLATFORM)
                .because("the core reaches a platform only through PlatformModule").check(production);
    }

    @Test
    void theCoreDoesNotUseTheSandbox() {
        noClasses().that().resideInAnyPackage(CORE).should().dependOnClassesThat()
                .resideInAPackage("com.commerceidentity.sandbox..")
                .because("the sandbox is found with ServiceLoader (store.StoreSandbox) and may be left out of a build")
                .check(production);
    }

    @Test
    void noPlatformUsesAnother() {
        slices().matching("com.commerceidentity.platform.(*)..").should().notDependOnEachOther().check(production);
    }

    @Test
    void simulatorsUseNoClientCode() {
        noClasses().that().resideInAPackage("com.commerceidentity.sandbox..").should().dependOnClassesThat()
                .resideInAPackage("com.commerceidentity.platform..")
                .because("a simulator built from the client's own code would agree with its mistakes").check(production);
    }

    @Test
    void noSimulatorUsesAnother() {
        slices().matching("com.commerceidentity.sandbox.(*)..").should().notDependOnEachOther().check(production);
    }
}
