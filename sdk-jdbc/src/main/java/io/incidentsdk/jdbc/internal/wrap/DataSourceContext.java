package io.incidentsdk.jdbc.internal.wrap;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every wrapper of one watched {@code DataSource} shares: its name, the observer, and what the
 * database said about itself.
 *
 * <p>The name and observer never change. The {@linkplain #database() database facts} are read once, from
 * the first connection's {@link DatabaseMetaData}, on the thread that obtained it; until then (or if
 * reading them keeps failing) they are {@link DatabaseInfo#UNKNOWN}. Reading them never affects the
 * application: failures are swallowed, and after {@value #METADATA_ATTEMPTS} failed attempts no further
 * attempt is made.
 *
 * <p>Calls into the observer go through this class, which catches what the observer throws (anything but
 * an {@link Error}), counts it and logs it at WARN at most once a minute.
 *
 * <p>Thread-safe. Internal: not part of the public API.
 *
 * @since 0.1.0
 */
public final class DataSourceContext {

    /** How many connections may be asked for their metadata before we give up. */
    static final int METADATA_ATTEMPTS = 3;

    private static final Logger LOG = LoggerFactory.getLogger(DataSourceContext.class);
    private static final long WARN_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final String name;
    private final JdbcObserver observer;
    private final LongAdder observerFailures = new LongAdder();
    private final AtomicLong lastWarnNanos = new AtomicLong();
    private final AtomicInteger metadataAttempts = new AtomicInteger();
    private volatile DatabaseInfo database;
    /**
     * Raw SQL of statements whose application call site the observer wants (a statement of a deadlock cycle
     * whose code is not known yet); {@code null} while none is wanted, so the success path pays one read.
     */
    private volatile String[] callSitesWanted;
    /** The lock-order analysis of this data source, {@code null} when off (DESIGN section 11). */
    private final io.incidentsdk.jdbc.internal.lockorder.LockOrderAnalysis lockOrder;
    private static final int MAX_CALL_SITES_WANTED = 8;

    /**
     * Creates the shared context of one watched data source.
     *
     * @param name     the data source's name (a bean name, a pool name), may be {@code null}
     * @param observer where the wrappers report to, not {@code null}
     * @since 0.1.0
     */
    public DataSourceContext(String name, JdbcObserver observer) {
        this.name = name;
        this.observer = Objects.requireNonNull(observer, "observer");
        this.lockOrder = observer.lockOrder();
    }

    /**
     * The lock-order analysis of this data source.
     *
     * @return the analysis, or {@code null} when it is off
     */
    public io.incidentsdk.jdbc.internal.lockorder.LockOrderAnalysis lockOrder() {
        return lockOrder;
    }

    /**
     * The data source's name.
     *
     * @return the name given when it was wrapped, may be {@code null}
     * @since 0.1.0
     */
    public String name() {
        return name;
    }

    /**
     * Asks for the call site of the next run of a statement (DESIGN section 6: a blocker's code, sampled for
     * the statements of a cycle already seen). At most a few are wanted at once; more are dropped.
     *
     * @param rawSql the statement's SQL as the application runs it
     */
    public synchronized void wantCallSite(String rawSql) {
        if (rawSql == null) {
            return;
        }
        String[] wanted = callSitesWanted;
        int n = wanted == null ? 0 : wanted.length;
        for (int i = 0; i < n; i++) {
            if (wanted[i].equals(rawSql)) {
                return;
            }
        }
        if (n >= MAX_CALL_SITES_WANTED) {
            return;
        }
        String[] more = wanted == null ? new String[1] : java.util.Arrays.copyOf(wanted, n + 1);
        more[n] = rawSql;
        callSitesWanted = more;
    }

    /** A statement of an explicit transaction is about to run: one read, unless a call site is wanted. */
    void statementStarting(String sql, ConnectionState connection) {
        String[] wanted = callSitesWanted;
        if (wanted != null && sql != null) {
            sampleIfWanted(sql, wanted, connection);
        }
    }

    private void sampleIfWanted(String sql, String[] wanted, ConnectionState connection) {
        for (String w : wanted) {
            if (w == sql || (w.length() == sql.length() && w.equals(sql))) {
                if (unwant(w)) {
                    try {
                        observer.callSiteWanted(sql, connection);
                    } catch (Throwable t) {
                        observerThrew(t);
                    }
                }
                return;
            }
        }
    }

    private synchronized boolean unwant(String sql) {
        String[] wanted = callSitesWanted;
        if (wanted == null) {
            return false;
        }
        for (int i = 0; i < wanted.length; i++) {
            if (wanted[i] == sql) {
                if (wanted.length == 1) {
                    callSitesWanted = null;
                } else {
                    String[] fewer = new String[wanted.length - 1];
                    System.arraycopy(wanted, 0, fewer, 0, i);
                    System.arraycopy(wanted, i + 1, fewer, i, wanted.length - i - 1);
                    callSitesWanted = fewer;
                }
                return true;
            }
        }
        return false;
    }

    /**
     * The observer the wrappers report to.
     *
     * @return the observer, never {@code null}
     * @since 0.1.0
     */
    public JdbcObserver observer() {
        return observer;
    }

    /**
     * What the database said about itself, read once from the first connection's metadata.
     *
     * @return the facts, or {@link DatabaseInfo#UNKNOWN} while they are not known
     * @since 0.1.0
     */
    public DatabaseInfo database() {
        DatabaseInfo known = database;
        return known == null ? DatabaseInfo.UNKNOWN : known;
    }

    /**
     * How many times the observer threw (and the throwable was swallowed) since this context was created.
     *
     * @return the count, never negative
     * @since 0.1.0
     */
    public long observerFailures() {
        return observerFailures.sum();
    }

    /**
     * Reads the database facts from this (physical) connection unless they are known, are being read by
     * another thread, or failed too often. Never throws (but an {@link Error}).
     */
    void readDatabaseInfoOnce(Connection connection) {
        if (database != null) {
            return;
        }
        int attempt = metadataAttempts.get();
        if (attempt >= METADATA_ATTEMPTS || !metadataAttempts.compareAndSet(attempt, attempt + 1)) {
            return;
        }
        try {
            DatabaseMetaData metaData = connection.getMetaData();
            database = new DatabaseInfo(metaData.getDatabaseProductName(), metaData.getDatabaseProductVersion(),
                    metaData.getURL(), metaData.getUserName());
        } catch (SQLException | RuntimeException e) {
            // the application asked for a connection, not for our metadata: never let this reach it
            LOG.debug("Could not read the database metadata of data source {} (attempt {} of {})",
                    name, attempt + 1, METADATA_ATTEMPTS, e);
        }
    }

    void notifySucceeded(ConnectionState connection, boolean autoCommit) {
        try {
            observer.succeeded(connection, autoCommit);
        } catch (Throwable t) {
            observerThrew(t);
        }
    }

    void notifyCommitted(ConnectionState connection) {
        try {
            observer.committed(connection);
        } catch (Throwable t) {
            observerThrew(t);
        }
    }

    void notifyFailed(SQLException error, ConnectionState connection, StatementState statement,
                      JdbcOperation operation) {
        try {
            observer.failed(error, connection, statement, operation);
        } catch (Throwable t) {
            observerThrew(t);
        }
    }

    boolean askRetryAutoCommit(SQLException error, ConnectionState connection, StatementState statement, int failures) {
        try {
            return observer.retryAutoCommit(error, connection, statement, failures);
        } catch (Throwable t) {
            observerThrew(t);
            return false;
        }
    }

    void notifyAutoCommitRetrySucceeded(ConnectionState connection, StatementState statement, int attempts) {
        try {
            observer.autoCommitRetrySucceeded(connection, statement, attempts);
        } catch (Throwable t) {
            observerThrew(t);
        }
    }

    void notifyOpened(ConnectionState connection) {
        try {
            observer.connectionOpened(connection);
        } catch (Throwable t) {
            observerThrew(t);
        }
    }

    void notifyClosed(ConnectionState connection) {
        try {
            observer.connectionClosed(connection);
        } catch (Throwable t) {
            observerThrew(t);
        }
    }

    /**
     * Reports a failure of a data-source-level call (no connection exists) and returns the same exception.
     */
    <E extends SQLException> E failedWithoutConnection(E error, JdbcOperation operation) {
        notifyFailed(error, new ConnectionState(this, null), null, operation);
        return error;
    }

    private void observerThrew(Throwable t) {
        if (t instanceof Error) {
            throw (Error) t;
        }
        observerFailures.increment();
        long now = System.nanoTime();
        long last = lastWarnNanos.get();
        boolean first = last == 0L;
        if ((first || now - last >= WARN_INTERVAL_NANOS) && lastWarnNanos.compareAndSet(last, now == 0L ? 1L : now)) {
            LOG.warn("The JDBC observer of data source {} threw; the application's call was not affected "
                    + "({} observer failures so far, logged at most once a minute)", name, observerFailures.sum(), t);
        }
    }

    @Override
    public String toString() {
        return "DataSourceContext[" + name + "]";
    }

    /**
     * What a database said about itself in its {@link DatabaseMetaData}.
     *
     * @param productName    {@link DatabaseMetaData#getDatabaseProductName()}, may be {@code null}
     * @param productVersion {@link DatabaseMetaData#getDatabaseProductVersion()}, may be {@code null}
     * @param url            {@link DatabaseMetaData#getURL()} as the driver returned it: it may contain
     *                       credentials, strip them before recording it; may be {@code null}
     * @param userName       {@link DatabaseMetaData#getUserName()}, may be {@code null}
     * @since 0.1.0
     */
    public record DatabaseInfo(String productName, String productVersion, String url, String userName) {

        /**
         * Nothing known (yet).
         *
         * @since 0.1.0
         */
        public static final DatabaseInfo UNKNOWN = new DatabaseInfo(null, null, null, null);
    }
}
