package io.incidentsdk.jdbc.testing;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Hands out {@link DataSource}s for the real databases of this test run. One instance per JVM, obtained
 * through {@link RealDatabases}.
 *
 * <p>PostgreSQL and MariaDB are shared servers: give each test its own tables with {@link #uniqueName(String)}.
 * Every H2 data source is a new, empty in-memory database.
 *
 * @since 0.1.0
 */
public final class TestDatabases {

    private static final Pattern NAME_PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,39}");
    private static final String RUN_TOKEN = runToken();
    private static final AtomicLong NEXT_NAME = new AtomicLong();

    private final ServerAccounts accounts;
    private final Queue<DriverManagerDataSource> h2Databases = new ConcurrentLinkedQueue<>();

    TestDatabases(ServerAccounts accounts) {
        this.accounts = Objects.requireNonNull(accounts, "accounts");
    }

    /**
     * The server accounts in use.
     *
     * @return the accounts
     * @since 0.1.0
     */
    public ServerAccounts accounts() {
        return accounts;
    }

    /**
     * A data source for a database: the application account on PostgreSQL, the application account
     * (with {@code PROCESS}) on MariaDB, or a fresh H2 in-memory database ({@link #freshH2()}).
     *
     * @param database which database
     * @return a data source without a pool
     * @since 0.1.0
     */
    public DataSource dataSource(Database database) {
        return switch (Objects.requireNonNull(database, "database")) {
            case POSTGRESQL -> new DriverManagerDataSource(accounts.postgres());
            case MARIADB -> new DriverManagerDataSource(accounts.mariaDb());
            case H2 -> freshH2();
        };
    }

    /**
     * A data source for the MariaDB user without the {@code PROCESS} privilege: on it
     * {@code SHOW ENGINE INNODB STATUS} fails with 42000/1227.
     *
     * @return a data source without a pool
     * @since 0.1.0
     */
    public DataSource mariaDbWithoutProcess() {
        return new DriverManagerDataSource(accounts.mariaDbWithoutProcess());
    }

    /**
     * A new, empty H2 in-memory database with a unique name. It lives until this JVM's test run ends, even
     * while no connection is open, so several connections see the same data.
     *
     * @return a data source without a pool, user {@code sa} (an H2 admin)
     * @since 0.1.0
     */
    public DataSource freshH2() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(new DatabaseAccount(
                "jdbc:h2:mem:" + uniqueName("h2") + ";DB_CLOSE_DELAY=-1", "sa", ""));
        h2Databases.add(dataSource);
        return dataSource;
    }

    /**
     * A name no other call in any test JVM returns (in practice): the prefix, a random token of this JVM
     * and a counter, for example {@code orders_k3x9q2_17}. Lower case, so it needs no quoting on any of
     * the databases.
     *
     * @param prefix lower-case letters, digits and underscores, starting with a letter, at most 40 long
     * @return a table, schema or database name of at most 63 characters
     * @since 0.1.0
     */
    public static String uniqueName(String prefix) {
        if (prefix == null || !NAME_PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException(
                    "prefix must match " + NAME_PREFIX.pattern() + " but was " + prefix);
        }
        return prefix + "_" + RUN_TOKEN + "_" + NEXT_NAME.incrementAndGet();
    }

    /**
     * The server's id for a connection: {@code pg_backend_pid()} on PostgreSQL (the "Process N" in deadlock
     * details), {@code CONNECTION_ID()} on MariaDB (the "(conn=N)" in messages and the thread id in
     * {@code SHOW ENGINE INNODB STATUS}), {@code SESSION_ID()} on H2.
     *
     * @param connection an open connection
     * @return the id
     * @throws SQLException if the query fails
     * @since 0.1.0
     */
    public static long backendId(Connection connection) throws SQLException {
        String query = switch (Database.of(connection)) {
            case POSTGRESQL -> "SELECT pg_backend_pid()";
            case MARIADB -> "SELECT CONNECTION_ID()";
            case H2 -> "SELECT SESSION_ID()";
        };
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    void shutDownH2Databases() {
        DriverManagerDataSource dataSource;
        while ((dataSource = h2Databases.poll()) != null) {
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("SHUTDOWN");
            } catch (SQLException alreadyClosed) {
                // a test may have shut it down itself; nothing is left to free then
            }
        }
    }

    private static String runToken() {
        SecureRandom random = new SecureRandom();
        StringBuilder token = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            token.append(Character.forDigit(random.nextInt(36), 36));
        }
        return token.toString().toLowerCase(Locale.ROOT);
    }
}
