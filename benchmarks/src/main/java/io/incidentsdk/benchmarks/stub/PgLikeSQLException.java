package io.incidentsdk.benchmarks.stub;

import java.sql.SQLException;

/**
 * An exception shaped like pgjdbc's {@code PSQLException}: a plain {@link SQLException} (no JDBC subclass)
 * whose vendor code is always 0, so that only its SQLState tells what happened.
 *
 * @since 0.1.0
 */
public final class PgLikeSQLException extends SQLException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message  the server's message, as pgjdbc formats it
     * @param sqlState the SQLState
     */
    public PgLikeSQLException(String message, String sqlState) {
        super(message, sqlState, 0);
    }
}
