package io.incidentsdk.benchmarks.support;

import io.incidentsdk.benchmarks.stub.StubDataSource;
import io.incidentsdk.benchmarks.stub.StubDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The database under a benchmark: the do-nothing stub driver (wrapper cost made visible), H2 in memory (real work
 * in process) or PostgreSQL through pgjdbc (a real server on this machine, a round trip per call). All hold table
 * {@code account(id INT PRIMARY KEY, balance INT)} with rows 1 to 100 as far as the benchmark SQL can tell
 * ({@link BenchSql}).
 *
 * <p>{@code pgjdbc} needs {@value #PG_URL}, {@value #PG_USER} and {@value #PG_PASSWORD} (as the tests and
 * {@code TransferCostCheck} read them: {@code eval "$(scripts/test-databases.sh env)"}); its table lives in a schema
 * of its own, made at set-up and dropped at tear-down. Without {@value #PG_URL} {@link #open(String)} refuses it with
 * a message saying it is skipped, and {@code scripts/run-benchmarks.sh} leaves it out.
 *
 * @since 0.1.0
 */
public final class Backend {

    /** {@code @Param} value of the stub driver. */
    public static final String STUB = "stub";
    /** {@code @Param} value of H2 in memory. */
    public static final String H2 = "h2";
    /** {@code @Param} value of PostgreSQL through pgjdbc. */
    public static final String PGJDBC = "pgjdbc";

    /** The PostgreSQL URL (a JDBC URL of pgjdbc); without it the {@code pgjdbc} backend is skipped. */
    public static final String PG_URL = "INCIDENT_SDK_PG_URL";
    /** The PostgreSQL user. */
    public static final String PG_USER = "INCIDENT_SDK_PG_USER";
    /** The PostgreSQL password. */
    public static final String PG_PASSWORD = "INCIDENT_SDK_PG_PASSWORD";
    private static final AtomicInteger PG_SCHEMAS = new AtomicInteger();

    private static final AtomicInteger H2_DATABASES = new AtomicInteger();

    private final String name;
    private final DataSource dataSource;
    private final Connection keepAlive;
    /** The schema to drop at {@link #close()} (PostgreSQL), or {@code null}. */
    private final String schema;

    private Backend(String name, DataSource dataSource, Connection keepAlive) {
        this(name, dataSource, keepAlive, null);
    }

    private Backend(String name, DataSource dataSource, Connection keepAlive, String schema) {
        this.name = name;
        this.dataSource = dataSource;
        this.keepAlive = keepAlive;
        this.schema = schema;
    }

    /**
     * Whether the {@code pgjdbc} backend can run: {@value #PG_URL} is set.
     *
     * @return {@code true} when a PostgreSQL URL is given
     */
    public static boolean pgjdbcConfigured() {
        String url = System.getenv(PG_URL);
        return url != null && !url.isBlank();
    }

    /**
     * Opens a backend.
     *
     * @param name {@link #STUB}, {@link #H2} or {@link #PGJDBC}
     * @return the backend, ready for the benchmark SQL
     * @throws SQLException when H2 or PostgreSQL cannot be set up
     * @throws IllegalStateException for {@link #PGJDBC} when {@value #PG_URL} is not set (the message says the
     *                               backend is skipped and how to give it)
     */
    public static Backend open(String name) throws SQLException {
        return open(name, System::getenv);
    }

    /**
     * Opens a backend, reading the PostgreSQL settings from {@code settings} instead of the environment.
     *
     * @param name     {@link #STUB}, {@link #H2} or {@link #PGJDBC}
     * @param settings the settings by name ({@value #PG_URL} ...), answering {@code null} for one not set
     * @return the backend
     * @throws SQLException when H2 or PostgreSQL cannot be set up
     */
    public static Backend open(String name, UnaryOperator<String> settings) throws SQLException {
        switch (name) {
            case STUB:
                return new Backend(name, new StubDataSource(StubDatabase.postgresLike()), null);
            case H2:
                return h2();
            case PGJDBC:
                String url = settings.apply(PG_URL);
                if (url == null || url.isBlank()) {
                    throw new IllegalStateException("backend " + PGJDBC + " skipped: " + PG_URL + " is not set (eval "
                            + "\"$(scripts/test-databases.sh env)\" gives it, with " + PG_USER + " and " + PG_PASSWORD
                            + ")");
                }
                return pgjdbc(url, setting(settings, PG_USER, "app"), setting(settings, PG_PASSWORD, "app"));
            default:
                throw new IllegalArgumentException("backend must be " + STUB + ", " + H2 + " or " + PGJDBC + ", was "
                        + name);
        }
    }

    private static String setting(UnaryOperator<String> settings, String name, String fallback) {
        String value = settings.apply(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /**
     * Opens the {@code pgjdbc} backend on a given PostgreSQL account (the tests lease theirs).
     *
     * @param url      a pgjdbc URL
     * @param user     the user
     * @param password the password
     * @return the backend, its table in a schema of its own
     * @throws SQLException when PostgreSQL cannot be set up
     */
    public static Backend pgjdbc(String url, String user, String password) throws SQLException {
        // a schema of its own per backend and JVM: other runs and the tests may use the same database
        String schema = "incident_bench_" + ProcessHandle.current().pid() + "_" + PG_SCHEMAS.incrementAndGet();
        UrlDataSource admin = new UrlDataSource(url, user, password);
        Connection keepAlive = admin.getConnection();
        try (Statement s = keepAlive.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
            s.execute("CREATE TABLE " + schema + ".account (id INT PRIMARY KEY, balance INT NOT NULL)");
            s.execute("INSERT INTO " + schema + ".account (id, balance) SELECT g, 1000 FROM generate_series(1, 100) g");
        } catch (SQLException e) {
            keepAlive.close();
            throw e;
        }
        String inSchema = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        return new Backend(PGJDBC, new UrlDataSource(inSchema, user, password), keepAlive, schema);
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
     * @return {@link #STUB}, {@link #H2} or {@link #PGJDBC}
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
     * Drops the database (H2: closes the connection that kept it alive; PostgreSQL: drops the schema).
     *
     * @throws SQLException when closing fails
     */
    public void close() throws SQLException {
        if (keepAlive == null) {
            return;
        }
        try {
            if (schema != null) {
                try (Statement s = keepAlive.createStatement()) {
                    s.execute("DROP SCHEMA " + schema + " CASCADE");
                }
            }
        } finally {
            keepAlive.close();
        }
    }
}
