package io.incidentsdk.jdbc.internal.wrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.params.provider.Arguments.arguments;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.sql.BatchUpdateException;
import java.sql.ClientInfoStatus;
import java.sql.Connection;
import java.sql.DataTruncation;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLClientInfoException;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLNonTransientException;
import java.sql.SQLRecoverableException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever the driver throws, the application receives that very object; the observer sees it once with
 * the right operation; an observer that throws changes nothing for the application.
 */
class OriginalExceptionTest {

    private static final String SQL = "update account set balance = balance - 1 where id = 7";

    /** The JDBC calls under test: each one can be made to fail, or to succeed with a known result. */
    enum Call {
        GET_CONNECTION(JdbcOperation.GET_CONNECTION),
        EXECUTE(JdbcOperation.EXECUTE),
        EXECUTE_QUERY(JdbcOperation.EXECUTE_QUERY),
        EXECUTE_UPDATE(JdbcOperation.EXECUTE_UPDATE),
        EXECUTE_BATCH(JdbcOperation.EXECUTE_BATCH),
        COMMIT(JdbcOperation.COMMIT),
        NEXT(JdbcOperation.RESULT_SET);

        final JdbcOperation operation;

        Call(JdbcOperation operation) {
            this.operation = operation;
        }
    }

    static List<Supplier<SQLException>> exceptions() {
        return List.of(
                () -> new SQLException("plain", "HY000", 1),
                () -> new SQLWarning("warning", "01000"),
                () -> new DataTruncation(2, true, true, 10, 5),
                () -> new BatchUpdateException("batch", "40001", 0, new int[] {1, Statement.EXECUTE_FAILED}),
                () -> new SQLClientInfoException("client info", Map.of("ApplicationName",
                        ClientInfoStatus.REASON_UNKNOWN_PROPERTY)),
                () -> new SQLTransactionRollbackException("deadlock detected", "40P01"),
                () -> new SQLTimeoutException("canceling statement due to statement timeout", "57014"),
                () -> new SQLTransientException("transient", "40000"),
                () -> new SQLTransientConnectionException("connection reset", "08006"),
                () -> new SQLNonTransientException("non transient", "0A000"),
                () -> new SQLNonTransientConnectionException("terminating connection", "57P01"),
                () -> new SQLRecoverableException("recoverable", "08003"),
                () -> new SQLIntegrityConstraintViolationException("duplicate key", "23505"),
                () -> new SQLSyntaxErrorException("syntax error", "42601"),
                () -> new SQLDataException("division by zero", "22012"),
                () -> new SQLFeatureNotSupportedException("not supported", "0A000"),
                () -> new SQLInvalidAuthorizationSpecException("password authentication failed", "28P01"));
    }

    static Stream<Arguments> failures() {
        return exceptions().stream().flatMap(exception -> Stream.of(Call.values())
                .map(call -> arguments(exception.get().getClass().getSimpleName(), call, exception)));
    }

    @ParameterizedTest(name = "{0} from {1}")
    @MethodSource("failures")
    void theApplicationGetsTheDriversExceptionObjectAndTheObserverSeesItOnce(
            String name, Call call, Supplier<SQLException> exception) throws SQLException {
        RecordingObserver observer = new RecordingObserver();
        Driver driver = new Driver(observer);
        SQLException thrown = exception.get();
        driver.failOn(call, thrown);

        Throwable received = catchThrowable(() -> driver.make(call));

        assertThat(received).isSameAs(thrown);
        assertThat(received.getSuppressed()).isEmpty();
        assertThat(received.getCause()).isNull();
        assertThat(observer.failures).hasSize(1);
        RecordingObserver.Failure failure = observer.failures.get(0);
        assertThat((Object) failure.error()).isSameAs(thrown);
        assertThat(failure.operation()).isEqualTo(call.operation);
        switch (call) {
            case GET_CONNECTION -> {
                assertThat(failure.connection().hasConnection()).isFalse();
                assertThat(failure.connection().dataSource()).isSameAs(driver.dataSource.context());
                assertThat(failure.statement()).isNull();
            }
            case EXECUTE, EXECUTE_UPDATE -> {
                assertThat(failure.connection()).isSameAs(driver.connection);
                assertThat(failure.statement()).isSameAs(driver.statement);
                assertThat(failure.statement().sql()).isEqualTo(SQL);
                assertThat(failure.connection().currentSql()).isEqualTo(SQL);
            }
            case EXECUTE_QUERY, EXECUTE_BATCH, NEXT -> {
                assertThat(failure.connection()).isSameAs(driver.connection);
                assertThat(failure.statement()).isSameAs(driver.prepared);
                assertThat(failure.statement().sql()).isEqualTo("select balance from account where id = ?");
            }
            case COMMIT -> {
                assertThat(failure.connection()).isSameAs(driver.connection);
                assertThat(failure.statement()).isNull();
            }
        }
    }

    @ParameterizedTest(name = "{0} from {1}, observer throwing")
    @MethodSource("failures")
    void anObserverThatThrowsDoesNotChangeTheExceptionTheApplicationGets(
            String name, Call call, Supplier<SQLException> exception) throws SQLException {
        ThrowingObserver observer = ThrowingObserver.runtimeExceptions();
        Driver driver = new Driver(observer);
        SQLException thrown = exception.get();
        driver.failOn(call, thrown);

        Throwable received = catchThrowable(() -> driver.make(call));

        assertThat(received).isSameAs(thrown);
        assertThat(received.getSuppressed()).isEmpty();
        // every throw of the observer (the failure report included) was caught and counted
        assertThat(observer.calls).hasPositiveValue();
        assertThat(driver.dataSource.context().observerFailures()).isEqualTo(observer.calls.get());
    }

    @ParameterizedTest(name = "{0} succeeds with an observer that throws")
    @EnumSource(Call.class)
    void anObserverThatThrowsDoesNotChangeASuccessfulResult(Call call) throws SQLException {
        Driver driver = new Driver(ThrowingObserver.runtimeExceptions());

        Object result = driver.make(call);

        switch (call) {
            case GET_CONNECTION -> assertThat(DelegationTest.delegateOf(result)).isSameAs(driver.rawConnection);
            case EXECUTE -> assertThat(result).isEqualTo(true);
            case EXECUTE_QUERY -> {
                assertThat(result).isInstanceOf(WatchedResultSet.class);
                assertThat(DelegationTest.delegateOf(result)).isSameAs(driver.rawResultSet);
            }
            case EXECUTE_UPDATE -> assertThat(result).isEqualTo(3);
            case EXECUTE_BATCH -> assertThat(result).isEqualTo(new int[] {1, 1});
            case COMMIT -> assertThat(result).isNull();
            case NEXT -> assertThat(result).isEqualTo(true);
        }
        assertThat(driver.dataSource.context().observerFailures()).isPositive();
    }

    @Test
    void anObserverThatSneaksACheckedSqlExceptionOutIsContainedToo() throws SQLException {
        SQLException fromObserver = new SQLException("observer's own");
        Driver driver = new Driver(new ThrowingObserver(() -> fromObserver));
        SQLException thrown = new SQLTransactionRollbackException("deadlock", "40001");
        driver.failOn(Call.EXECUTE_UPDATE, thrown);

        Throwable received = catchThrowable(() -> driver.make(Call.EXECUTE_UPDATE));

        assertThat(received).isSameAs(thrown);
        assertThat(driver.make(Call.COMMIT)).isNull();
    }

    @Test
    void anErrorFromTheObserverPropagates() throws SQLException {
        ObserverBroke broke = new ObserverBroke();
        Driver driver = new Driver(new ThrowingObserver(() -> broke));

        Throwable received = catchThrowable(driver.dataSource::getConnection);

        assertThat(received).isSameAs(broke);
        assertThat(driver.dataSource.context().observerFailures()).isZero();
    }

    @Test
    void theSuccessOfEachWatchedCallIsReportedExactlyOnce() throws SQLException {
        RecordingObserver observer = new RecordingObserver();
        Driver driver = new Driver(observer);

        for (Call call : Call.values()) {
            driver.make(call);
        }

        // execute, executeQuery, executeUpdate, executeBatch, commit: not getConnection, not next
        assertThat(observer.successes).hasValue(5);
        assertThat(observer.failures).isEmpty();
    }

    /** An Error an observer might throw (an out-of-memory stands for it). */
    static final class ObserverBroke extends Error {
        private static final long serialVersionUID = 1L;
    }

    /** Mocked driver objects behind watched ones, ready to fail on demand. */
    private static final class Driver {

        final DataSource rawDataSource = mock(DataSource.class);
        final Connection rawConnection = mock(Connection.class);
        final Statement rawStatement = mock(Statement.class);
        final PreparedStatement rawPrepared = mock(PreparedStatement.class);
        final ResultSet rawResultSet = mock(ResultSet.class);
        final WatchedDataSource dataSource;
        WatchedConnection connection;
        Statement statement;
        PreparedStatement prepared;
        ResultSet resultSet;

        Driver(JdbcObserver observer) throws SQLException {
            dataSource = (WatchedDataSource) WatchedDataSource.wrap(rawDataSource, "orders", observer);
            when(rawDataSource.getConnection()).thenReturn(rawConnection);
            when(rawConnection.getAutoCommit()).thenReturn(true);
            when(rawConnection.createStatement()).thenReturn(rawStatement);
            when(rawConnection.prepareStatement("select balance from account where id = ?")).thenReturn(rawPrepared);
            when(rawStatement.execute(SQL)).thenReturn(true);
            when(rawStatement.executeUpdate(SQL)).thenReturn(3);
            when(rawPrepared.executeQuery()).thenReturn(rawResultSet);
            when(rawPrepared.executeBatch()).thenReturn(new int[] {1, 1});
            when(rawResultSet.next()).thenReturn(true);
        }

        void failOn(Call call, SQLException exception) throws SQLException {
            switch (call) {
                case GET_CONNECTION -> when(rawDataSource.getConnection()).thenThrow(exception);
                case EXECUTE -> when(rawStatement.execute(SQL)).thenThrow(exception);
                case EXECUTE_QUERY -> when(rawPrepared.executeQuery()).thenThrow(exception);
                case EXECUTE_UPDATE -> when(rawStatement.executeUpdate(SQL)).thenThrow(exception);
                case EXECUTE_BATCH -> when(rawPrepared.executeBatch()).thenThrow(exception);
                case COMMIT -> doThrow(exception).when(rawConnection).commit();
                case NEXT -> when(rawResultSet.next()).thenThrow(exception);
            }
        }

        /** Makes the call (after whatever it needs); returns its result ({@code null} for void). */
        Object make(Call call) throws SQLException {
            if (call == Call.GET_CONNECTION) {
                return dataSource.getConnection();
            }
            if (connection == null) {
                connection = (WatchedConnection) dataSource.getConnection();
                statement = connection.createStatement();
                prepared = connection.prepareStatement("select balance from account where id = ?");
            }
            switch (call) {
                case EXECUTE:
                    return statement.execute(SQL);
                case EXECUTE_QUERY:
                    resultSet = prepared.executeQuery();
                    return resultSet;
                case EXECUTE_UPDATE:
                    return statement.executeUpdate(SQL);
                case EXECUTE_BATCH:
                    prepared.addBatch();
                    prepared.addBatch();
                    return prepared.executeBatch();
                case COMMIT:
                    connection.commit();
                    return null;
                case NEXT:
                    if (resultSet == null) {
                        resultSet = prepared.executeQuery();
                    }
                    return resultSet.next();
                default:
                    throw new AssertionError(call);
            }
        }
    }
}
