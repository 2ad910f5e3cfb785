package io.incidentsdk.jdbc.testing;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What happened when {@link RealFailures} provoked a failure on one connection.
 *
 * @param database the database
 * @param exception the exception the failing statement threw, as the driver threw it
 * @param transactionAfter what was left of the failing connection's transaction
 * @param backendId the failing connection's server id ({@link TestDatabases#backendId(java.sql.Connection)})
 * @param failedStatement the SQL that failed
 * @param ownRowId the id of the row the failing transaction had inserted before the failure
 * @param elapsed how long the failing statement ran before it failed
 * @param rowsAfter the table's rows ({@code id -> v}) after everything was committed or rolled back
 * @since 0.1.0
 */
public record FailureOutcome(
        Database database,
        SQLException exception,
        TransactionAfterFailure transactionAfter,
        long backendId,
        String failedStatement,
        int ownRowId,
        Duration elapsed,
        Map<Integer, Integer> rowsAfter) {

    /**
     * Checks for nulls and freezes the rows.
     *
     * @since 0.1.0
     */
    public FailureOutcome {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(exception, "exception");
        Objects.requireNonNull(transactionAfter, "transactionAfter");
        Objects.requireNonNull(failedStatement, "failedStatement");
        Objects.requireNonNull(elapsed, "elapsed");
        rowsAfter = Map.copyOf(rowsAfter);
    }
}
