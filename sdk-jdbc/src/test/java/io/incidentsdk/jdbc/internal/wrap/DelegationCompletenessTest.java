package io.incidentsdk.jdbc.internal.wrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.ConnectionBuilder;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A forgotten delegation must fail the build: every method of each JDBC interface (inherited and default
 * methods included) must be implemented by the wrapper itself (or a watched superclass of it), never left
 * to the interface's default.
 */
class DelegationCompletenessTest {

    static Stream<Arguments> wrappers() {
        return Stream.of(
                arguments(WatchedDataSource.class, DataSource.class),
                arguments(WatchedConnectionBuilder.class, ConnectionBuilder.class),
                arguments(WatchedConnection.class, Connection.class),
                arguments(WatchedStatement.class, Statement.class),
                arguments(WatchedPreparedStatement.class, PreparedStatement.class),
                arguments(WatchedCallableStatement.class, CallableStatement.class),
                arguments(WatchedResultSet.class, ResultSet.class),
                arguments(WatchedDatabaseMetaData.class, DatabaseMetaData.class),
                arguments(io.incidentsdk.jdbc.internal.watch.UnitConnection.class, Connection.class));
    }

    @ParameterizedTest(name = "{0} implements every method of {1} itself")
    @MethodSource("wrappers")
    void everyInterfaceMethodIsImplementedByTheWrapper(Class<?> wrapper, Class<?> jdbcInterface) {
        assertThat(jdbcInterface).isAssignableFrom(wrapper);

        assertThat(methodsLeftToTheInterface(wrapper, jdbcInterface)).isEmpty();
    }

    @Test
    void theCheckNoticesAForgottenDefaultMethod() {
        List<String> missing = methodsLeftToTheInterface(ForgetsLargeUpdates.class, Statement.class);

        assertThat(missing).contains("executeLargeUpdate(java.lang.String)", "enquoteLiteral(java.lang.String)");
    }

    @Test
    void wrappersOverrideNothingWithABridgeOrSyntheticMethodOnly() {
        for (Class<?> wrapper : List.of(WatchedDataSource.class, WatchedConnectionBuilder.class,
                WatchedConnection.class, WatchedStatement.class, WatchedPreparedStatement.class,
                WatchedCallableStatement.class, WatchedResultSet.class, WatchedDatabaseMetaData.class)) {
            List<String> synthetic = Arrays.stream(wrapper.getDeclaredMethods())
                    .filter(m -> m.isBridge() || (m.isSynthetic() && !m.getName().startsWith("lambda$")))
                    .map(Method::toString)
                    .collect(Collectors.toList());

            assertThat(synthetic).as(wrapper.getSimpleName()).isEmpty();
        }
    }

    /** Public, non-static methods of the interface whose implementation the wrapper takes from an interface. */
    static List<String> methodsLeftToTheInterface(Class<?> wrapper, Class<?> jdbcInterface) {
        List<String> missing = new ArrayList<>();
        for (Method method : jdbcInterface.getMethods()) {
            if (Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            Method implementation;
            try {
                implementation = wrapper.getMethod(method.getName(), method.getParameterTypes());
            } catch (NoSuchMethodException e) {
                missing.add(signature(method));
                continue;
            }
            Class<?> declaredBy = implementation.getDeclaringClass();
            if (declaredBy.isInterface() || Modifier.isAbstract(implementation.getModifiers())
                    || !declaredBy.getPackageName().equals(wrapper.getPackageName())) {
                missing.add(signature(method));
            }
        }
        return missing;
    }

    private static String signature(Method method) {
        return method.getName() + Arrays.stream(method.getParameterTypes())
                .map(Class::getName)
                .collect(Collectors.joining(",", "(", ")"));
    }

    /** A wrapper that forgot the JDBC 4.2/4.3 defaults (and everything else). */
    abstract static class ForgetsLargeUpdates implements Statement {
    }
}
