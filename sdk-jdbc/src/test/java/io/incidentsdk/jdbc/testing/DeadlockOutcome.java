package io.incidentsdk.jdbc.testing;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What happened when {@link RealFailures#deadlock()} ran two transactions that update two rows in opposite
 * order. Normally exactly one side failed (the victim) and the other committed (the survivor).
 *
 * @param database the database
 * @param first the side that updated row 1 first, then row 2
 * @param second the side that updated row 2 first, then row 1
 * @param rowsAfter the table's rows ({@code id -> v}) after both sides ended
 * @since 0.1.0
 */
public record DeadlockOutcome(Database database, Side first, Side second, Map<Integer, Integer> rowsAfter) {

    /**
     * Checks for nulls and freezes the rows.
     *
     * @since 0.1.0
     */
    public DeadlockOutcome {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
        rowsAfter = Map.copyOf(rowsAfter);
    }

    /**
     * How many sides failed; 1 when the database detected the deadlock as expected.
     *
     * @return 0, 1 or 2
     * @since 0.1.0
     */
    public long failedSides() {
        return Stream.of(first, second).filter(side -> side.failure().isPresent()).count();
    }

    /**
     * The side that failed.
     *
     * @return the victim
     * @throws IllegalStateException unless exactly one side failed
     * @since 0.1.0
     */
    public Side victim() {
        requireOneVictim();
        return first.failure().isPresent() ? first : second;
    }

    /**
     * The side that did not fail.
     *
     * @return the survivor
     * @throws IllegalStateException unless exactly one side failed
     * @since 0.1.0
     */
    public Side survivor() {
        requireOneVictim();
        return first.failure().isPresent() ? second : first;
    }

    /**
     * The victim's exception.
     *
     * @return the exception the victim's second update threw
     * @throws IllegalStateException unless exactly one side failed
     * @since 0.1.0
     */
    public SQLException exception() {
        return victim().failure().orElseThrow();
    }

    private void requireOneVictim() {
        if (failedSides() != 1) {
            throw new IllegalStateException("expected exactly one failed side but " + failedSides() + " failed: " + this);
        }
    }

    /**
     * One of the two transactions.
     *
     * @param ownRowId the id of the row this side inserted before its updates
     * @param backendId this side's server connection id ({@link TestDatabases#backendId(java.sql.Connection)})
     * @param firstStatement the update that took this side's first row lock
     * @param secondStatement the update that waited for the other side's lock
     * @param failure the exception of the second update or the commit, if one failed
     * @param transactionAfter what was left of the transaction after the failure, if one failed
     * @param committed whether the commit succeeded
     * @param elapsed from the start of the second update to its failure or to the end of the commit
     * @since 0.1.0
     */
    public record Side(
            int ownRowId,
            long backendId,
            String firstStatement,
            String secondStatement,
            Optional<SQLException> failure,
            Optional<TransactionAfterFailure> transactionAfter,
            boolean committed,
            Duration elapsed) {

        /**
         * Checks for nulls.
         *
         * @since 0.1.0
         */
        public Side {
            Objects.requireNonNull(firstStatement, "firstStatement");
            Objects.requireNonNull(secondStatement, "secondStatement");
            Objects.requireNonNull(failure, "failure");
            Objects.requireNonNull(transactionAfter, "transactionAfter");
            Objects.requireNonNull(elapsed, "elapsed");
        }
    }
}
