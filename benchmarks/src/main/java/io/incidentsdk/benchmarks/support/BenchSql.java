package io.incidentsdk.benchmarks.support;

/**
 * The statements of the benchmark paths. On the stub driver every {@code INSERT} fails with a duplicate key
 * every statement naming {@code deadlock_victim} fails with a PostgreSQL deadlock and every statement naming
 * {@code lock_timeout_victim} with a PostgreSQL lock timeout; on H2 row 1 exists,
 * so {@link #INSERT} fails with a duplicate key there too.
 *
 * @since 0.1.0
 */
public final class BenchSql {

    /** Point select by primary key; parameter 1 is the id. */
    public static final String SELECT = "SELECT balance FROM account WHERE id = ?";
    /** Update by primary key; parameter 1 is the id. */
    public static final String UPDATE = "UPDATE account SET balance = balance + 1 WHERE id = ?";
    /** Insert; parameters id and balance. With id 1 it fails with a duplicate key (23505). */
    public static final String INSERT = "INSERT INTO account (id, balance) VALUES (?, ?)";
    /** An update the stub driver fails with a PostgreSQL deadlock (40P01); parameter 1 is the id. */
    public static final String DEADLOCK_VICTIM = "UPDATE deadlock_victim SET balance = balance - 1 WHERE id = ?";
    /** An update the stub driver fails with a PostgreSQL lock timeout (55P03); parameter 1 is the id. */
    public static final String LOCK_TIMEOUT_VICTIM = "UPDATE lock_timeout_victim SET balance = balance - 1 WHERE id = ?";

    private BenchSql() {
    }

    /**
     * An update the stub fails with a deadlock, on a table of its own: each number gives a statement with a
     * different fingerprint, hence a new incident.
     *
     * @param n any number
     * @return {@code UPDATE deadlock_victim_<n> SET balance = balance - 1 WHERE id = 1}
     */
    public static String deadlockVictimOnTable(long n) {
        return "UPDATE deadlock_victim_" + n + " SET balance = balance - 1 WHERE id = 1";
    }
}
