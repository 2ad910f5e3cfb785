package io.incidentsdk.jdbc.internal.wrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import javax.sql.DataSource;

import org.h2.jdbc.JdbcConnection;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
}
