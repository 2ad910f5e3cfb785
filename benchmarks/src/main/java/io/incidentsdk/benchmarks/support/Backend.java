package io.incidentsdk.benchmarks.support;

import io.incidentsdk.benchmarks.stub.StubDataSource;
import io.incidentsdk.benchmarks.stub.StubDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The database under a benchmark: the do-nothing stub driver (wrapper cost made visible) or H2 in memory
 * (real work). Both hold table {@code account(id INT PRIMARY KEY, balance INT)} with rows 1 to 100 as
 * far as the benchmark SQL can tell ({@link BenchSql}).
 *
 * @since 0.1.0
 */
public final class Backend {

    /** {@code @Param} value of the stub driver. */
    public static final String STUB = "stub";
    /** {@code @Param} value of H2 in memory. */
    public static final String H2 = "h2";

    private static final AtomicInteger H2_DATABASES = new AtomicInteger();

    private final String name;
    private final DataSource dataSource;
    private final Connection keepAlive;

    private Backend(String name, DataSource dataSource, Connection keepAlive) {
        this.name = name;
        this.dataSource = dataSource;
        this.keepAlive = keepAlive;
    }

    /**
     * Opens a backend.
     *
     * @param name {@link #STUB} or {@link #H2}
     * @return the backend, ready for the benchmark SQL
     * @throws SQLException when H2 cannot be set up
     */
    public static Backend open(String name) throws SQLException {
        switch (name) {
            case STUB:
                return new Backend(name, new StubDataSource(StubDatabase.postgresLike()), null);
            case H2:
                return h2();
            default:
                throw new IllegalArgumentException("backend must be " + STUB + " or " + H2 + ", was " + name);
        }
    }

    private static Backend h2() throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        // a database of its own per backend (the smoke test opens several in one JVM); kept alive by a connection
        h2.setURL("jdbc:h2:mem:bench" + H2_DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=0");
        h2.setUser("sa");
        h2.setPassword("");
        Connection keepAlive = h2.getConnection();
        try (Statement s = keepAlive.createStatement()) {
            s.execute("CREATE TABLE account (id INT PRIMARY KEY, balance INT NOT NULL)");
        }
        try (PreparedStatement insert = keepAlive.prepareStatement("INSERT INTO account (id, balance) VALUES (?, ?)")) {
            for (int id = 1; id <= 100; id++) {
                insert.setInt(1, id);
                insert.setInt(2, 1_000);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        return new Backend(H2, h2, keepAlive);
    }

    /**
     * The backend's name.
     *
     * @return {@link #STUB} or {@link #H2}
     */
    public String name() {
        return name;
    }

    /**
     * The raw data source (no pool, no wrapper).
     *
     * @return the data source
     */
    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * Drops the database (H2: closes the connection that kept it alive).
     *
     * @throws SQLException when closing fails
     */
    public void close() throws SQLException {
        if (keepAlive != null) {
            keepAlive.close();
        }
    }
}
