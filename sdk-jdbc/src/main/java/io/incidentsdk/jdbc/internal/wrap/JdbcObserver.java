package io.incidentsdk.jdbc.internal.wrap;

import java.sql.SQLException;

/**
 * What the watched JDBC wrappers report to.
 *
 * <p>Contract for implementations:
 * <ul>
 *   <li><b>Thread-safe.</b> Every method is called on the application thread that made the JDBC call,
 *       from many threads at once.</li>
 *   <li><b>Must not throw.</b> The wrappers still defend against it: anything but an {@link Error}
 *       thrown from here is caught, counted ({@link DataSourceContext#observerFailures()}), logged with a
 *       rate limit, and never reaches the application, whose call returns or throws exactly what the
 *       driver returned or threw. An {@code Error} (out of memory ...) propagates.</li>
 *   <li><b>Cheap.</b> {@link #succeeded} is the only work on the success path (and not even that for a
 *       connection that counts its own successes, see {@link ConnectionState#countOwnSuccesses()}): it must not
 *       block, allocate or log.</li>
 *   <li><b>Hands off.</b> The {@link SQLException} given to {@link #failed} is the very object the
 *       application receives next: never modify it (no {@code addSuppressed}, {@code initCause},
 *       {@code setNextException}).</li>
 *   <li>The {@link ConnectionState} and {@link StatementState} objects are live and keep changing while
 *       the application uses the connection; copy what must be kept. Their accessors may be called from
 *       any thread.</li>
 * </ul>
 *
 * <p>Internal: not part of the public API.
 *
 * @since 0.1.0
 */
public interface JdbcObserver {

    /**
     * An observer that ignores everything.
     *
     * @since 0.1.0
     */
    JdbcObserver NO_OP = new JdbcObserver() {
        @Override
        public void succeeded(ConnectionState connection, boolean autoCommit) {
            // nothing to do
        }

        @Override
        public void failed(SQLException error, ConnectionState connection, StatementState statement,
                           JdbcOperation operation) {
            // nothing to do
        }

        @Override
        public void connectionOpened(ConnectionState connection) {
            // nothing to do
        }

        @Override
        public void connectionClosed(ConnectionState connection) {
            // nothing to do
        }

        @Override
        public String toString() {
            return "JdbcObserver.NO_OP";
        }
    };

    /**
     * One successful {@code execute*} or {@code executeBatch}/{@code executeLargeBatch} (a commit is reported to
     * {@link #committed}, which calls this by default).
     * Called once per such call, after the driver returned; not called for a call in auto-commit mode on a
     * connection the observer let {@linkplain ConnectionState#countOwnSuccesses() count its own successes}
     * while no unit of work is open ({@link ConnectionState#unitsOpen()}): that connection counts it.
     *
     * @param connection the connection the call ran on; its current SQL is the statement that ran
     *                   (for a commit, the last statement of the committed transaction)
     * @param autoCommit whether the call ran in auto-commit mode (read once by the wrapper; for a commit
     *                   {@code false})
     * @since 0.1.0
     */
    void succeeded(ConnectionState connection, boolean autoCommit);

    /**
     * A watched JDBC call threw. Called once per failed call, before the original exception is rethrown
     * to the application. Every method that can throw {@link SQLException} reports, except the type and
     * feature probes {@code unwrap}, {@code isWrapperFor} and {@code DataSource.getParentLogger()}.
     *
     * @param error      the exception the driver threw; the application receives this very object next
     * @param connection the connection the call ran on; for a failed {@link JdbcOperation#GET_CONNECTION}
     *                   (and other {@code DataSource} methods) a fresh state that has no connection
     *                   ({@link ConnectionState#hasConnection()} is {@code false}) but knows its data source
     * @param statement  the statement the call ran on, {@code null} when there is none (connection-level
     *                   calls, result sets of {@code DatabaseMetaData}); for a failed
     *                   {@link JdbcOperation#PREPARE} of a prepared or callable statement, a state holding
     *                   the SQL that failed to prepare
     * @param operation  what the application was doing
     * @since 0.1.0
     */
    void failed(SQLException error, ConnectionState connection, StatementState statement, JdbcOperation operation);

    /**
     * A connection was obtained from the watched data source (or a connection builder). Called once per
     * wrapped connection, before the application receives it: the place to call
     * {@link ConnectionState#countOwnSuccesses()} or {@link ConnectionState#countsNotTaken()}.
     *
     * @param connection the new connection's state
     * @since 0.1.0
     */
    void connectionOpened(ConnectionState connection);

    /**
     * A wrapped connection was closed (or aborted) by the application. Called at most once per connection,
     * also when {@code close()} threw.
     *
     * @param connection the closed connection's state
     * @since 0.1.0
     */
    void connectionClosed(ConnectionState connection);

    /**
     * Asked after {@link #failed} for a single statement that failed in auto-commit mode (not a batch, not a
     * stored-procedure call): whether the wrapper should run it again. The observer may wait (backoff)
     * before answering. By default never.
     *
     * @param error      the failure just reported
     * @param connection the connection
     * @param statement  the statement
     * @param failures   how many times this execution failed so far (1 after the first failure)
     * @return {@code true} to run the statement again
     * @since 0.1.0
     */
    default boolean retryAutoCommit(SQLException error, ConnectionState connection, StatementState statement,
                                    int failures) {
        return false;
    }

    /**
     * A statement re-run after {@link #retryAutoCommit} returned {@code true} succeeded.
     *
     * @param connection the connection
     * @param statement  the statement
     * @param attempts   attempts in all, the successful one included
     * @since 0.1.0
     */
    default void autoCommitRetrySucceeded(ConnectionState connection, StatementState statement, int attempts) {
    }

    /**
     * A {@code commit()} succeeded. Called once per successful commit, after the driver returned and before the
     * connection's transaction state is reset; by default reported as {@link #succeeded}.
     *
     * @param connection the connection; its current SQL is the last statement of the committed transaction
     */
    default void committed(ConnectionState connection) {
        succeeded(connection, false);
    }

    /**
     * A statement of an explicit transaction is about to run whose SQL was {@linkplain
     * DataSourceContext#wantCallSite(String) asked for}: the observer may take the application's call site now
     * (on the application's thread). Called once per request. By default does nothing.
     *
     * @param sql        the raw SQL (never kept in a record)
     * @param connection the connection it runs on
     */
    default void callSiteWanted(String sql, ConnectionState connection) {
    }

    /**
     * The lock-order analysis the wrappers feed (DESIGN section 11), asked once per data source. By default none.
     *
     * @return the analysis, or {@code null}
     */
    default io.incidentsdk.jdbc.internal.lockorder.LockOrderAnalysis lockOrder() {
        return null;
    }
}
