package io.incidentsdk.jdbc.internal.wrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.sql.Connection;
import java.sql.ConnectionBuilder;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.util.concurrent.Executor;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

/** Wrapping, unwrapping and the life of connections handed out by a watched data source. */
class WatchedDataSourceTest {

    private final RecordingObserver observer = new RecordingObserver();
    private final DataSource target = mock(DataSource.class);

    @Test
    void wrappingTwiceReturnsTheSameObject() {
        DataSource once = WatchedDataSource.wrap(target, "orders", observer);

        DataSource twice = WatchedDataSource.wrap(once, "orders", new RecordingObserver());

        assertThat(twice).isSameAs(once);
        assertThat(((WatchedDataSource) once).context().name()).isEqualTo("orders");
        assertThat(((WatchedDataSource) once).context().observer()).isSameAs(observer);
    }

    @Test
    void aWrapperAroundAWatchedDataSourceIsNotWatchedAgain() throws SQLException {
        DataSource foreignWrapper = mock(DataSource.class);
        when(foreignWrapper.isWrapperFor(WatchedDataSource.class)).thenReturn(true);

        assertThat(WatchedDataSource.wrap(foreignWrapper, "orders", observer)).isSameAs(foreignWrapper);
    }

    @Test
    void aDataSourceThatFailsTheWrapperProbeIsWatched() throws SQLException {
        when(target.isWrapperFor(WatchedDataSource.class)).thenThrow(new SQLException("no idea"));

        assertThat(WatchedDataSource.wrap(target, "orders", observer)).isInstanceOf(WatchedDataSource.class);
    }

    @Test
    void nullTargetOrObserverIsRejected() {
        assertThatNullPointerException().isThrownBy(() -> WatchedDataSource.wrap(null, "x", observer))
                .withMessage("target");
        assertThatNullPointerException().isThrownBy(() -> WatchedDataSource.wrap(target, "x", null))
                .withMessage("observer");
    }

    @Test
    void unwrapAnswersForTheWrapperFirstThenAsksTheTarget() throws SQLException {
        DataSource watched = WatchedDataSource.wrap(target, "orders", observer);
        when(target.isWrapperFor(Executor.class)).thenReturn(true);
        Executor inner = mock(Executor.class);
        when(target.unwrap(Executor.class)).thenReturn(inner);
        SQLException notAWrapper = new SQLException("not a wrapper for Runnable");
        when(target.unwrap(Runnable.class)).thenThrow(notAWrapper);

        assertThat(watched.unwrap(WatchedDataSource.class)).isSameAs(watched);
        assertThat(watched.unwrap(DataSource.class)).as("peels the watch (Spring Boot derives from it)")
                .isSameAs(target);
        assertThat(watched.isWrapperFor(DataSource.class)).isTrue();
        assertThat(watched.isWrapperFor(WatchedDataSource.class)).isTrue();
        assertThat(watched.isWrapperFor(Executor.class)).isTrue();
        assertThat(watched.unwrap(Executor.class)).isSameAs(inner);
        assertThat(catchThrowable(() -> watched.unwrap(Runnable.class))).isSameAs(notAWrapper);
        assertThat(observer.failures).as("type probes are not reported").isEmpty();
    }

    @Test
    void aDataSourceThatHandsOutNullHandsOutNull() throws SQLException {
        DataSource watched = WatchedDataSource.wrap(target, "orders", observer);

        assertThat(watched.getConnection()).isNull();
        assertThat(observer.opened).isEmpty();
    }

    @Test
    void theConnectionOfUserAndPasswordIsWatchedToo() throws SQLException {
        Connection raw = mock(Connection.class);
        when(target.getConnection("app", "secret")).thenReturn(raw);

        Connection connection = WatchedDataSource.wrap(target, "orders", observer).getConnection("app", "secret");

        assertThat(connection).isInstanceOf(WatchedConnection.class);
        assertThat(DelegationTest.delegateOf(connection)).isSameAs(raw);
        assertThat(observer.opened).containsExactly((ConnectionState) connection);
    }

    @Test
    void aConnectionBuilderBuildsWatchedConnections() throws SQLException {
        ConnectionBuilder rawBuilder = mock(ConnectionBuilder.class);
        Connection raw = mock(Connection.class);
        when(target.createConnectionBuilder()).thenReturn(rawBuilder);
        when(rawBuilder.user("app")).thenReturn(rawBuilder);
        when(rawBuilder.password("secret")).thenReturn(rawBuilder);
        when(rawBuilder.build()).thenReturn(raw);

        ConnectionBuilder builder = WatchedDataSource.wrap(target, "orders", observer).createConnectionBuilder();
        Connection connection = builder.user("app").password("secret").build();

        assertThat(builder).isInstanceOf(WatchedConnectionBuilder.class);
        assertThat(builder.user("app")).as("a builder returning itself stays one wrapper").isSameAs(builder);
        assertThat(connection).isInstanceOf(WatchedConnection.class);
        assertThat(DelegationTest.delegateOf(connection)).isSameAs(raw);
        assertThat(observer.opened).hasSize(1);
    }

    @Test
    void aFailingConnectionBuilderIsReportedAsAFailedGetConnection() throws SQLException {
        ConnectionBuilder rawBuilder = mock(ConnectionBuilder.class);
        SQLNonTransientConnectionException refused = new SQLNonTransientConnectionException("refused", "08001");
        when(target.createConnectionBuilder()).thenReturn(rawBuilder);
        when(rawBuilder.build()).thenThrow(refused);

        Throwable thrown = catchThrowable(() -> WatchedDataSource.wrap(target, "orders", observer)
                .createConnectionBuilder().build());

        assertThat(thrown).isSameAs(refused);
        assertThat(observer.failures).singleElement().satisfies(failure -> {
            assertThat(failure.operation()).isEqualTo(JdbcOperation.GET_CONNECTION);
            assertThat(failure.connection().hasConnection()).isFalse();
            assertThat(failure.connection().dataSource().name()).isEqualTo("orders");
        });
    }

    @Test
    void aDataSourceWithoutConnectionBuildersSaysSoUnchanged() throws SQLException {
        SQLFeatureNotSupportedException unsupported =
                new SQLFeatureNotSupportedException("createConnectionBuilder not implemented");
        when(target.createConnectionBuilder()).thenThrow(unsupported);

        DataSource watched = WatchedDataSource.wrap(target, "orders", observer);

        Throwable thrown = catchThrowable(watched::createConnectionBuilder);

        assertThat(thrown).isSameAs(unsupported);
    }

    @Test
    void theDatabaseFactsAreReadOnceForAllConnections() throws SQLException {
        Connection first = mock(Connection.class);
        Connection second = mock(Connection.class);
        DatabaseMetaData metaData = mock(DatabaseMetaData.class);
        when(first.getMetaData()).thenReturn(metaData);
        when(metaData.getDatabaseProductName()).thenReturn("PostgreSQL");
        when(metaData.getDatabaseProductVersion()).thenReturn("15.18");
        when(metaData.getURL()).thenReturn("jdbc:postgresql://db/orders");
        when(metaData.getUserName()).thenReturn("app");
        when(target.getConnection()).thenReturn(first, second);
        WatchedDataSource watched = (WatchedDataSource) WatchedDataSource.wrap(target, "orders", observer);

        watched.getConnection();
        watched.getConnection();

        assertThat(watched.context().database())
                .isEqualTo(new DataSourceContext.DatabaseInfo("PostgreSQL", "15.18", "jdbc:postgresql://db/orders",
                        "app"));
        verify(first, times(1)).getMetaData();
        verify(second, never()).getMetaData();
    }

    @Test
    void failingMetadataNeverReachesTheApplicationAndIsTriedAFewTimesOnly() throws SQLException {
        Connection raw = mock(Connection.class);
        when(raw.getMetaData()).thenThrow(new SQLException("metadata unavailable"));
        when(target.getConnection()).thenReturn(raw);
        WatchedDataSource watched = (WatchedDataSource) WatchedDataSource.wrap(target, "orders", observer);

        for (int i = 0; i < 5; i++) {
            assertThat(watched.getConnection()).isInstanceOf(WatchedConnection.class);
        }

        assertThat(watched.context().database()).isEqualTo(DataSourceContext.DatabaseInfo.UNKNOWN);
        verify(raw, times(DataSourceContext.METADATA_ATTEMPTS)).getMetaData();
        assertThat(observer.failures).isEmpty();
    }

    @Test
    void aCloseThatFailsIsReportedAndStillNotifiesTheCloseOnce() throws SQLException {
        Connection raw = mock(Connection.class);
        SQLException broken = new SQLException("I/O error on close", "08006");
        doThrow(broken).when(raw).close();
        when(target.getConnection()).thenReturn(raw);
        Connection connection = WatchedDataSource.wrap(target, "orders", observer).getConnection();

        Throwable thrown = catchThrowable(connection::close);
        Throwable thrownAgain = catchThrowable(connection::close);

        assertThat(thrown).isSameAs(broken);
        assertThat(thrownAgain).isSameAs(broken);
        assertThat(observer.closed).containsExactly((ConnectionState) connection);
        assertThat(observer.failures).hasSize(2)
                .allSatisfy(f -> assertThat(f.operation()).isEqualTo(JdbcOperation.CLOSE));
    }

    @Test
    void anAbortedConnectionCountsAsClosed() throws SQLException {
        when(target.getConnection()).thenReturn(mock(Connection.class));
        Connection connection = WatchedDataSource.wrap(target, "orders", observer).getConnection();

        connection.abort(Runnable::run);
        connection.close();

        assertThat(observer.closed).containsExactly((ConnectionState) connection);
    }

    @Test
    void anObserverThatThrowsWhenAConnectionOpensStillLetsTheApplicationHaveIt() throws SQLException {
        Connection raw = mock(Connection.class);
        when(target.getConnection()).thenReturn(raw);
        WatchedDataSource watched = (WatchedDataSource) WatchedDataSource.wrap(target, "orders",
                ThrowingObserver.runtimeExceptions());

        Connection connection = watched.getConnection();
        connection.close();

        assertThat(DelegationTest.delegateOf(connection)).isSameAs(raw);
        verify(raw).close();
        assertThat(watched.context().observerFailures()).as("opened and closed").isEqualTo(2);
    }
}
