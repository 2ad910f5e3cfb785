package io.incidentsdk.jdbc.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit extension that gives tests real databases: {@code @ExtendWith(RealDatabases.class)} on the class,
 * then a {@link TestDatabases} parameter on any test, lifecycle method or constructor.
 *
 * <p>Once per JVM it uses the servers named by the {@code INCIDENT_SDK_*} settings ({@link ServerAccounts}),
 * or, when none are set, finds {@code scripts/test-databases.sh} above the working directory and leases the
 * servers from it: it starts them unless they already run, and at the end of the run stops them if it
 * started them and no other test JVM still uses them. If the databases cannot be started or reached, every
 * test of the class fails with a message that says what is missing and how to fix it; nothing is skipped.
 *
 * @since 0.1.0
 */
public final class RealDatabases implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RealDatabases.class);

    /**
     * Creates the extension; JUnit calls this.
     *
     * @since 0.1.0
     */
    public RealDatabases() {
    }

    /**
     * Makes sure the databases are there before the class's first test.
     *
     * @param context the class's context
     * @since 0.1.0
     */
    @Override
    public void beforeAll(ExtensionContext context) {
        databases(context);
    }

    /**
     * Supports parameters of type {@link TestDatabases}.
     *
     * @param parameterContext the parameter
     * @param extensionContext the context
     * @return whether the parameter is a {@link TestDatabases}
     * @since 0.1.0
     */
    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == TestDatabases.class;
    }

    /**
     * Resolves a {@link TestDatabases} parameter.
     *
     * @param parameterContext the parameter
     * @param extensionContext the context
     * @return this run's {@link TestDatabases}
     * @since 0.1.0
     */
    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return databases(extensionContext);
    }

    /**
     * This run's databases, for other extensions.
     *
     * @param context any extension context of the run
     * @return the databases, shared by all tests of this JVM
     * @throws IllegalStateException if the databases could not be started or reached (the same failure for
     *     every caller)
     * @since 0.1.0
     */
    public static TestDatabases databases(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent(TestDatabaseServers.class, key -> TestDatabaseServers.open(), TestDatabaseServers.class)
                .databases();
    }
}
