package io.incidentsdk.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keeps the layering of the modules honest. */
class ArchitectureTest {

    private static final String[] CORE_PACKAGES = {
        "io.incidentsdk", "io.incidentsdk.internal..", "io.incidentsdk.sink..", "io.incidentsdk.micrometer.."
    };

    private static JavaClasses sdk;

    @BeforeAll
    static void importProductionClasses() {
        sdk = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.incidentsdk");
    }

    @Test
    void theCoreDependsOnNoSpringNoJdbcAndNoOtherSdkModule() {
        ArchRule rule = noClasses().that().resideInAnyPackage(CORE_PACKAGES)
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.springframework..", "java.sql..", "javax.sql..",
                        "org.postgresql..", "org.mariadb..", "com.mysql..", "org.h2..", "org.hsqldb..",
                        "oracle.jdbc..", "com.microsoft.sqlserver..", "org.sqlite..", "com.zaxxer..",
                        "io.incidentsdk.jdbc..", "io.incidentsdk.spring..", "io.incidentsdk.examples..")
                .because("sdk-core needs the JDK, SLF4J, Jackson and (optionally) Micrometer only");
        rule.check(sdk);
    }

    @Test
    void theJdbcModuleDependsOnNoSpringAndNoDriver() {
        noClasses().that().resideInAPackage("io.incidentsdk.jdbc..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.springframework..", "org.postgresql..", "org.mariadb..", "com.mysql..", "org.h2..",
                        "com.zaxxer..", "io.incidentsdk.spring..", "io.incidentsdk.examples..")
                .because("drivers are reached through JDBC interfaces and, where needed, by class name")
                .check(sdk);
    }

    @Test
    void publicApiOfOtherModulesDoesNotUseCoreInternals() {
        noClasses().that().resideInAnyPackage("io.incidentsdk.jdbc", "io.incidentsdk.spring", "io.incidentsdk.examples..")
                .should().dependOnClassesThat().resideInAPackage("io.incidentsdk.internal..")
                .because("internal packages are not API and may change in any release")
                .check(sdk);
    }

    @Test
    void internalsOfOneModuleAreNotUsedByAnotherModulesApi() {
        noClasses().that().resideInAnyPackage(CORE_PACKAGES)
                .should().dependOnClassesThat().resideInAPackage("io.incidentsdk.jdbc.internal..")
                .check(sdk);
        noClasses().that().resideInAnyPackage("io.incidentsdk.spring", "io.incidentsdk.examples..")
                .should().dependOnClassesThat().resideInAPackage("io.incidentsdk.jdbc.internal..")
                .check(sdk);
    }
}
