package io.incidentsdk.jdbc.internal.wrap;

/**
 * What the application was doing when a watched JDBC call failed.
 *
 * <p>Internal: not part of the public API.
 *
 * @since 0.1.0
 */
public enum JdbcOperation {

    /** {@code DataSource.getConnection(..)} or {@code ConnectionBuilder.build()}. */
    GET_CONNECTION,

    /** {@code Connection.createStatement(..)}, {@code prepareStatement(..)} or {@code prepareCall(..)}. */
    PREPARE,

    /** {@code Statement.execute(..)} or {@code PreparedStatement.execute()}. */
    EXECUTE,

    /** {@code executeQuery(..)}. */
    EXECUTE_QUERY,

    /** {@code executeUpdate(..)} or {@code executeLargeUpdate(..)}. */
    EXECUTE_UPDATE,

    /** {@code executeBatch()} or {@code executeLargeBatch()}. */
    EXECUTE_BATCH,

    /** {@code Connection.commit()}. */
    COMMIT,

    /** {@code Connection.rollback()} or {@code rollback(Savepoint)}. */
    ROLLBACK,

    /** {@code Connection.setAutoCommit(..)}. */
    SET_AUTO_COMMIT,

    /** Any {@code ResultSet} method, and {@code Statement.getResultSet()}/{@code getGeneratedKeys()}. */
    RESULT_SET,

    /** {@code Connection.getMetaData()} and any {@code DatabaseMetaData} method. */
    METADATA,

    /** {@code close()} of a connection, statement or result set, and {@code Connection.abort(..)}. */
    CLOSE,

    /** Everything else: parameter setters, getters and settings, savepoints, warnings ... */
    OTHER;

    /**
     * Whether this operation ran SQL against the database: one of the {@code execute*} operations.
     *
     * @return {@code true} for {@link #EXECUTE}, {@link #EXECUTE_QUERY}, {@link #EXECUTE_UPDATE} and
     *         {@link #EXECUTE_BATCH}
     * @since 0.1.0
     */
    public boolean isExecution() {
        return this == EXECUTE || this == EXECUTE_QUERY || this == EXECUTE_UPDATE || this == EXECUTE_BATCH;
    }

    /**
     * Whether a failure of this operation inside an explicit transaction ({@code autoCommit = false})
     * dooms that transaction in our model: executions, commits and result set reads (a cursor fetch
     * runs on the server). Such a transaction must be rolled back before the work is retried.
     *
     * @return {@code true} when a failure of this operation dooms the enclosing explicit transaction
     * @since 0.1.0
     */
    public boolean doomsTransaction() {
        return isExecution() || this == COMMIT || this == RESULT_SET;
    }
}
