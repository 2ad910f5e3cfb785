package io.incidentsdk.benchmarks.stub;

import java.sql.SQLIntegrityConstraintViolationException;

/**
 * The failures the benchmarks make the stub driver throw, with the messages real drivers give (measured
 * texts, see {@code shared/reference/databases.md}).
 *
 * @since 0.1.0
 */
public final class StubFailures {

    /** A duplicate key, as a driver that maps SQLState class 23 to the JDBC subclass throws it. */
    public static final StubFailure DUPLICATE_KEY = () -> new SQLIntegrityConstraintViolationException(
            "ERROR: duplicate key value violates unique constraint \"account_pkey\"\n"
                    + "  Detail: Key (id)=(1) already exists.", "23505", 0);

    /** A PostgreSQL deadlock (SQLState 40P01, vendor code 0) naming two backend processes. */
    public static final StubFailure POSTGRES_DEADLOCK = () -> new PgLikeSQLException(
            "ERROR: deadlock detected\n"
                    + "  Detail: Process 19076 waits for ShareLock on transaction 1090; blocked by process 19074.\n"
                    + "Process 19074 waits for ShareLock on transaction 1091; blocked by process 19076.\n"
                    + "  Hint: See server log for query details.\n"
                    + "  Where: while updating tuple (0,1) in relation \"account\"", "40P01");

    /** A PostgreSQL lock timeout (SQLState 55P03, vendor code 0): an incident category without deadlock forensics. */
    public static final StubFailure POSTGRES_LOCK_TIMEOUT = () -> new PgLikeSQLException(
            "ERROR: canceling statement due to lock timeout\n"
                    + "  Where: while updating tuple (0,1) in relation \"account\"", "55P03");

    private StubFailures() {
    }
}
