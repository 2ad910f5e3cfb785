package io.incidentsdk.jdbc.internal.wrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.UUID;

import javax.sql.DataSource;

import org.h2.jdbc.JdbcConnection;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariConfigMXBean;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;

/** A watched HikariCP pool: the pool, its MXBeans and the driver beneath stay reachable. */
class HikariTest {

    private final RecordingObserver observer = new RecordingObserver();
    private JdbcDataSource h2;
    private HikariDataSource hikari;
    private DataSource watched;

    @BeforeEach
    void startPool() {
        h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:hikari-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        hikari = pool(true);
        watched = WatchedDataSource.wrap(hikari, "orders", observer);
    }

    @AfterEach
    void stopPool() throws SQLException {
        hikari.close();
        try (Connection connection = h2.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("shutdown");
        }
    }

    private HikariDataSource pool(boolean autoCommit) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(h2);
        config.setPoolName("watched-pool-" + autoCommit);
        config.setMaximumPoolSize(2);
        config.setAutoCommit(autoCommit);
        return new HikariDataSource(config);
    }

    @Test
    void aWatchedHikariDataSourceUnwrapsToTheHikariDataSource() throws SQLException {
        assertThat(watched).isInstanceOf(WatchedDataSource.class);

        assertThat(watched.isWrapperFor(HikariDataSource.class)).isTrue();
        assertThat(watched.unwrap(HikariDataSource.class)).isSameAs(hikari);
    }

    @Test
    void thePoolMxBeanIsUsableThroughTheUnwrappedDataSource() throws SQLException {
        HikariPoolMXBean pool = watched.unwrap(HikariDataSource.class).getHikariPoolMXBean();

        try (Connection connection = watched.getConnection()) {
            assertThat(connection).isInstanceOf(WatchedConnection.class);
            assertThat(pool.getActiveConnections()).isEqualTo(1);
        }
        assertThat(pool.getActiveConnections()).isZero();
        assertThat(pool.getTotalConnections()).isPositive();
    }

    @Test
    void theConfigMxBeanIsReachableByUnwrapAsFromHikariItself() throws SQLException {
        assertThat(watched.isWrapperFor(HikariConfigMXBean.class)).isTrue();
        assertThat(watched.unwrap(HikariConfigMXBean.class).getPoolName()).isEqualTo("watched-pool-true");
    }

    @Test
    void thePoolMxBeanIsNotAWrapperTargetOfHikariSoNotOfOursEither() throws SQLException {
        // a pool over a JDBC URL: H2's own data source would write a trace file for the failed unwrap
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(h2.getURL());
        config.setUsername("sa");
        config.setMaximumPoolSize(1);
        try (HikariDataSource byUrl = new HikariDataSource(config)) {
            DataSource watchedByUrl = WatchedDataSource.wrap(byUrl, "by-url", observer);

            // HikariDataSource.unwrap knows itself and the data source beneath it, not its pool MXBean
            Throwable fromHikari = catchThrowable(() -> byUrl.unwrap(HikariPoolMXBean.class));
            Throwable fromWatched = catchThrowable(() -> watchedByUrl.unwrap(HikariPoolMXBean.class));

            assertThat(fromHikari).isInstanceOf(SQLException.class);
            assertThat(fromWatched).isInstanceOf(fromHikari.getClass()).hasMessage(fromHikari.getMessage());
            assertThat(watchedByUrl.isWrapperFor(HikariPoolMXBean.class))
                    .isEqualTo(byUrl.isWrapperFor(HikariPoolMXBean.class));
            assertThat(observer.failures).as("type probes are not database failures").isEmpty();
        }
    }

    @Test
    void unwrappingReachesTheDriversDataSourceBeneathThePool() throws SQLException {
        assertThat(watched.isWrapperFor(JdbcDataSource.class)).isTrue();
        assertThat(watched.unwrap(JdbcDataSource.class)).isSameAs(h2);
    }

    @Test
    void aPooledConnectionUnwrapsToTheDriversConnection() throws SQLException {
        try (Connection connection = watched.getConnection()) {
            assertThat(connection.isWrapperFor(JdbcConnection.class)).isTrue();
            assertThat(connection.unwrap(JdbcConnection.class)).isInstanceOf(JdbcConnection.class);
            assertThat(connection.unwrap(WatchedConnection.class)).isSameAs(connection);
            assertThat(((ConnectionState) connection).sessionId()).as("H2 exposes none").isNull();
        }
    }

    @Test
    void wrappingTheWatchedPoolAgainReturnsItUnchanged() {
        assertThat(WatchedDataSource.wrap(watched, "again", new RecordingObserver())).isSameAs(watched);
    }

    @Test
    void aPoolHandingOutManualCommitConnectionsIsSeenAsSuch() throws SQLException {
        try (HikariDataSource manualCommit = pool(false)) {
            DataSource watchedManual = WatchedDataSource.wrap(manualCommit, "manual", observer);

            try (Connection connection = watchedManual.getConnection();
                 Statement statement = connection.createStatement()) {
                ConnectionState state = (ConnectionState) connection;
                assertThat(state.autoCommit()).isFalse();

                statement.execute("select 1");

                assertThat(state.transactionStartMillis()).isPositive();
                connection.rollback();
                assertThat(state.transactionStartMillis()).isZero();
            }
        }
    }

    @Test
    void eachCheckoutIsOneOpenedAndOneClosedConnection() throws SQLException {
        for (int i = 0; i < 3; i++) {
            try (Connection connection = watched.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("select 1");
            }
        }

        assertThat(observer.opened).hasSize(3).doesNotHaveDuplicates();
        assertThat(observer.closed).containsExactlyElementsOf(observer.opened);
        assertThat(observer.successes).hasValue(3);
    }

    /**
     * The watch under the pool: the pool makes its connections with a watched data source, and the pool is
     * watched too, for failures to borrow.
     */
    @Nested
    class UnderThePool {

        private final RecordingObserver below = new RecordingObserver();
        private DataSource physical;
        private HikariDataSource underPool;
        private DataSource app;

        @BeforeEach
        void startPoolOverWatchedConnections() {
            physical = WatchedDataSource.wrap(h2, "orders", below);
            HikariConfig config = new HikariConfig();
            config.setDataSource(physical);
            config.setPoolName("under-pool");
            config.setMaximumPoolSize(1);
            config.setConnectionTimeout(250);
            underPool = new HikariDataSource(config);
            app = WatchedDataSource.wrapPool(underPool, physical);
        }

        @AfterEach
        void stopPoolOverWatchedConnections() {
            underPool.close();
        }

        @Test
        void eachPhysicalConnectionIsWatchedOnceForItsWholeLifeInThePool() throws SQLException {
            ConnectionState first;
            try (Connection connection = app.getConnection()) {
                assertThat(connection).as("the pool's own proxy reaches the application")
                        .isNotInstanceOf(ConnectionState.class);
                first = connection.unwrap(ConnectionState.class);
            }
            for (int i = 0; i < 3; i++) {
                try (Connection connection = app.getConnection(); Statement statement = connection.createStatement()) {
                    statement.execute("select 1");
                    assertThat(connection.unwrap(ConnectionState.class)).isSameAs(first);
                }
            }

            assertThat(below.opened).containsExactly(first);
            assertThat(below.closed).as("the pool keeps it open").isEmpty();
            assertThat(below.successes).hasValue(3);
            assertThat(first.isClosedByApplication()).isFalse();
            underPool.close();
            assertThat(below.closed).as("closed when the pool closes it").containsExactly(first);
        }

        @Test
        void aStatementFailureIsReportedOnceEvenWithTheWatchAlsoOverThePool() throws SQLException {
            // wrapping the pool as usual, not knowing its connections are watched: nothing is watched twice
            RecordingObserver over = new RecordingObserver();
            DataSource alsoOver = WatchedDataSource.wrap(underPool, "orders-over", over);

            try (Connection connection = alsoOver.getConnection(); Statement statement = connection.createStatement()) {
                assertThat(connection).isNotInstanceOf(ConnectionState.class);
                Throwable thrown = catchThrowable(() -> statement.execute("select * from no_such_table"));
                assertThat(thrown).isInstanceOf(SQLException.class);
            }

            assertThat(below.failures).hasSize(1);
            assertThat(below.failures.get(0).statement().sql()).isEqualTo("select * from no_such_table");
            assertThat(over.failures).isEmpty();
            assertThat(over.opened).isEmpty();
        }

        @Test
        void aFailureToBorrowIsReportedToTheWatchUnderThePool() throws SQLException {
            try (Connection held = app.getConnection()) {
                Throwable exhausted = catchThrowable(app::getConnection);

                assertThat(exhausted).isInstanceOf(SQLTransientConnectionException.class);
                assertThat(below.failures).hasSize(1);
                RecordingObserver.Failure failure = below.failures.get(0);
                assertThat((Throwable) failure.error()).as("the very exception").isSameAs(exhausted);
                assertThat(failure.operation()).isEqualTo(JdbcOperation.GET_CONNECTION);
                assertThat(failure.connection().hasConnection()).isFalse();
                assertThat(failure.connection().dataSource().name()).isEqualTo("orders");
                assertThat(held.isValid(1)).isTrue();
            }
        }

        @Test
        void aTransactionLeftOpenEndsWithThePoolsRollbackAndTheNextBorrowerStartsClean() throws SQLException {
            ConnectionState state;
            try (Connection connection = app.getConnection(); Statement statement = connection.createStatement()) {
                state = connection.unwrap(ConnectionState.class);
                connection.setAutoCommit(false);
                statement.execute("select 1");
                state.doom("a statement failed");
                assertThat(state.transactionStatementCount()).isEqualTo(1);
                // closed without commit or rollback: the pool rolls back and restores auto-commit
            }

            assertThat(state.isDoomed()).isFalse();
            assertThat(state.transactionStartNanos()).isZero();
            assertThat(state.autoCommit()).isTrue();
            try (Connection connection = app.getConnection()) {
                assertThat(connection.unwrap(ConnectionState.class)).isSameAs(state);
                connection.setAutoCommit(false);
                assertThat(state.transactionStatementCount()).as("nothing ran in this transaction yet").isZero();
                connection.commit();
            }
        }

        @Test
        void theWatchedPoolStillUnwrapsToHikariAndRefusesAnUnwatchedDataSourceBelow() throws SQLException {
            assertThat(app.unwrap(HikariDataSource.class)).isSameAs(underPool);
            assertThat(WatchedDataSource.wrapPool(app, physical)).as("already watched").isSameAs(app);

            Throwable notWatched = catchThrowable(() -> WatchedDataSource.wrapPool(underPool, h2));

            assertThat(notWatched).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not watched").hasMessageContaining(JdbcDataSource.class.getName());
        }
    }
}
