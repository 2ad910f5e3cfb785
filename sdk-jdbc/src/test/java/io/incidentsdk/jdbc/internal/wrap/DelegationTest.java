package io.incidentsdk.jdbc.internal.wrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URL;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.ConnectionBuilder;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.RowIdLifetime;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.Calendar;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TimeZone;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For every method of every wrapped JDBC interface (found by reflection, arguments made up from their
 * types with a seeded {@link Random}): the wrapper calls the same method of the target, once, with the
 * same arguments, calls nothing else on it, and returns the target's result (or our wrapper of it).
 */
class DelegationTest {

    private static final long SEED = 20_261_125L;

    private static final List<Class<?>> INTERFACES = List.of(DataSource.class, ConnectionBuilder.class,
            Connection.class, Statement.class, PreparedStatement.class, CallableStatement.class, ResultSet.class,
            DatabaseMetaData.class);

    private static final Map<Class<?>, Class<?>> WRAPPER_OF = Map.of(
            Connection.class, WatchedConnection.class,
            Statement.class, WatchedStatement.class,
            PreparedStatement.class, WatchedPreparedStatement.class,
            CallableStatement.class, WatchedCallableStatement.class,
            ResultSet.class, WatchedResultSet.class,
            DatabaseMetaData.class, WatchedDatabaseMetaData.class,
            ConnectionBuilder.class, WatchedConnectionBuilder.class);

    static Stream<Arguments> methods() {
        Random seeds = new Random(SEED);
        return INTERFACES.stream().flatMap(jdbcInterface -> Arrays.stream(jdbcInterface.getMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers()))
                .filter(m -> !m.getName().equals("unwrap") && !m.getName().equals("isWrapperFor"))
                .sorted(Comparator.comparing(DelegationTest::describe))
                .map(m -> arguments(jdbcInterface.getSimpleName() + "." + describe(m), jdbcInterface, m,
                        seeds.nextLong())));
    }

    @ParameterizedTest(name = "{0} (seed {3})")
    @MethodSource("methods")
    void theWrapperCallsTheSameMethodWithTheSameArgumentsAndReturnsItsResult(
            String name, Class<?> jdbcInterface, Method method, long seed) throws Exception {
        Random random = new Random(seed);
        Fixture fixture = new Fixture(jdbcInterface);
        Object[] arguments = dummies(method.getParameterTypes(), random);
        Object stubbed = method.getReturnType() == void.class ? null : dummy(method.getReturnType(), random);
        if (stubbed != null) {
            method.invoke(doReturn(stubbed).when(fixture.target), arguments);
        }

        Object returned = method.invoke(fixture.wrapper, arguments);

        method.invoke(verify(fixture.target), arguments);
        verifyNoMoreInteractions(fixture.target);
        assertReturned(jdbcInterface, method, stubbed, returned, fixture);
        boolean reportsSuccess = method.getName().startsWith("execute")
                || (jdbcInterface == Connection.class && method.getName().equals("commit"));
        assertThat(fixture.observer.successes).hasValue(reportsSuccess ? 1 : 0);
        assertThat(fixture.observer.failures).isEmpty();
    }

    private static void assertReturned(Class<?> jdbcInterface, Method method, Object stubbed, Object returned,
                                       Fixture fixture) {
        Class<?> type = method.getReturnType();
        if (type == void.class) {
            assertThat(returned).isNull();
        } else if (method.getName().equals("getConnection") && fixture.connection != null
                && jdbcInterface != Connection.class) {
            assertThat(returned).as("the watched connection").isSameAs(fixture.connection);
        } else if (method.getName().equals("getStatement") && jdbcInterface == ResultSet.class) {
            assertThat(returned).as("the watched statement").isSameAs(fixture.statement);
        } else if (WRAPPER_OF.containsKey(type)) {
            assertThat(returned).isInstanceOf(WRAPPER_OF.get(type));
            assertThat(delegateOf(returned)).isSameAs(stubbed);
        } else if (type.isPrimitive()) {
            assertThat(returned).isEqualTo(stubbed);
        } else {
            assertThat(returned).isSameAs(stubbed);
        }
    }

    /** The target our wrapper delegates to. */
    static Object delegateOf(Object wrapper) {
        if (wrapper instanceof ConnectionState) {
            return ((ConnectionState) wrapper).delegate;
        }
        if (wrapper instanceof WatchedStatement) {
            return ((WatchedStatement) wrapper).delegate;
        }
        if (wrapper instanceof WatchedResultSet) {
            return ((WatchedResultSet) wrapper).delegate;
        }
        if (wrapper instanceof WatchedDatabaseMetaData) {
            return ((WatchedDatabaseMetaData) wrapper).delegate;
        }
        if (wrapper instanceof WatchedConnectionBuilder) {
            return ((WatchedConnectionBuilder) wrapper).delegate;
        }
        if (wrapper instanceof WatchedDataSource) {
            return ((WatchedDataSource) wrapper).delegate;
        }
        throw new AssertionError("not one of our wrappers: " + wrapper);
    }

    /** A mock target of the interface and our wrapper around it (with a watched connection and statement). */
    private static final class Fixture {

        final RecordingObserver observer = new RecordingObserver();
        final DataSourceContext context = new DataSourceContext("delegation", observer);
        WatchedConnection connection;
        WatchedStatement statement;
        Object target;
        Object wrapper;

        Fixture(Class<?> jdbcInterface) {
            target = mock(jdbcInterface);
            if (jdbcInterface == DataSource.class) {
                wrapper = WatchedDataSource.wrap((DataSource) target, "delegation", observer);
                clearInvocations(target);
                return;
            }
            if (jdbcInterface == ConnectionBuilder.class) {
                wrapper = new WatchedConnectionBuilder((ConnectionBuilder) target, context);
                return;
            }
            if (jdbcInterface == Connection.class) {
                connection = WatchedConnection.open((Connection) target, context);
                clearInvocations(target);
                wrapper = connection;
                return;
            }
            connection = WatchedConnection.open(mock(Connection.class), context);
            if (jdbcInterface == Statement.class) {
                statement = new WatchedStatement(connection, (Statement) target, null);
                wrapper = statement;
            } else if (jdbcInterface == PreparedStatement.class) {
                statement = new WatchedPreparedStatement(connection, (PreparedStatement) target, "select ?");
                wrapper = statement;
            } else if (jdbcInterface == CallableStatement.class) {
                statement = new WatchedCallableStatement(connection, (CallableStatement) target, "{call p(?)}");
                wrapper = statement;
            } else if (jdbcInterface == ResultSet.class) {
                statement = new WatchedStatement(connection, mock(Statement.class), "select 1");
                wrapper = new WatchedResultSet((ResultSet) target, connection, statement);
            } else if (jdbcInterface == DatabaseMetaData.class) {
                wrapper = new WatchedDatabaseMetaData(connection, (DatabaseMetaData) target);
            } else {
                throw new AssertionError("no fixture for " + jdbcInterface);
            }
        }
    }

    static Object[] dummies(Class<?>[] types, Random random) throws Exception {
        Object[] values = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            values[i] = dummy(types[i], random);
        }
        return values;
    }

    /** A value of the type; mocks for interfaces. Fails for a type nobody thought of. */
    static Object dummy(Class<?> type, Random random) throws Exception {
        if (type == int.class) {
            return random.nextInt(1_000_000) + 1;
        }
        if (type == long.class) {
            return random.nextLong();
        }
        if (type == short.class) {
            return (short) random.nextInt(Short.MAX_VALUE);
        }
        if (type == byte.class) {
            return (byte) random.nextInt(Byte.MAX_VALUE);
        }
        if (type == boolean.class) {
            return random.nextBoolean();
        }
        if (type == float.class) {
            return random.nextFloat();
        }
        if (type == double.class) {
            return random.nextDouble();
        }
        if (type == String.class) {
            return "s-" + Long.toHexString(random.nextLong());
        }
        if (type == Object.class) {
            return "object-" + random.nextInt();
        }
        if (type == int[].class) {
            return new int[] {random.nextInt(), random.nextInt()};
        }
        if (type == long[].class) {
            return new long[] {random.nextLong()};
        }
        if (type == String[].class) {
            return new String[] {"c-" + random.nextInt()};
        }
        if (type == Object[].class) {
            return new Object[] {"e-" + random.nextInt(), random.nextInt()};
        }
        if (type == byte[].class) {
            byte[] bytes = new byte[1 + random.nextInt(8)];
            random.nextBytes(bytes);
            return bytes;
        }
        if (type == Class.class) {
            return random.nextBoolean() ? Integer.class : String.class;
        }
        if (type == Map.class) {
            Map<String, Class<?>> typeMap = new HashMap<>();
            typeMap.put("type-" + random.nextInt(), Integer.class);
            return typeMap;
        }
        if (type == Properties.class) {
            Properties properties = new Properties();
            properties.setProperty("p-" + random.nextInt(), "v");
            return properties;
        }
        if (type == Calendar.class) {
            return Calendar.getInstance(TimeZone.getTimeZone("UTC"));
        }
        if (type == BigDecimal.class) {
            return BigDecimal.valueOf(random.nextLong(), 2);
        }
        if (type == java.sql.Date.class) {
            return new java.sql.Date(random.nextInt(Integer.MAX_VALUE) * 1000L);
        }
        if (type == Time.class) {
            return new Time(random.nextInt(86_400_000));
        }
        if (type == Timestamp.class) {
            return new Timestamp(random.nextInt(Integer.MAX_VALUE) * 1000L);
        }
        if (type == URL.class) {
            return URI.create("http://example.invalid/" + random.nextInt(1000)).toURL();
        }
        if (type == InputStream.class) {
            return new ByteArrayInputStream(new byte[] {(byte) random.nextInt()});
        }
        if (type == Reader.class) {
            return new StringReader("r-" + random.nextInt());
        }
        if (type == PrintWriter.class) {
            return new PrintWriter(new StringWriter());
        }
        if (type == Logger.class) {
            return Logger.getLogger("dummy-" + random.nextInt(10));
        }
        if (type == SQLWarning.class) {
            return new SQLWarning("warning-" + random.nextInt());
        }
        if (type == RowIdLifetime.class) {
            RowIdLifetime[] values = RowIdLifetime.values();
            return values[random.nextInt(values.length)];
        }
        if (type.isInterface()) {
            return mock(type);
        }
        throw new AssertionError("no dummy value for " + type);
    }

    private static String describe(Method method) {
        return method.getName() + Arrays.stream(method.getParameterTypes())
                .map(Class::getSimpleName)
                .collect(Collectors.joining(", ", "(", ")"));
    }
}
