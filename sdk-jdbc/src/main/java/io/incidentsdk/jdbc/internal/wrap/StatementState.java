package io.incidentsdk.jdbc.internal.wrap;

/**
 * What we know about one statement: its SQL, and a slot where a later stage may cache a sanitized form
 * of it.
 *
 * <p>For a prepared or callable statement the SQL is the one it was prepared with and never changes. For a
 * plain {@code Statement} it is the SQL last passed to {@code execute*(String ..)} or
 * {@code addBatch(String)}; when it changes, the {@linkplain #sanitized() cached sanitized form} is
 * dropped.
 *
 * <p>The statement wrappers extend this class, so watching a statement costs no allocation besides its
 * wrapper. A bare instance stands for a statement that failed to prepare.
 *
 * <p>Thread-safe to read from any thread (both fields are volatile). Internal: not part of the public API.
 *
 * @since 0.1.0
 */
public class StatementState {

    private volatile String sql;
    private volatile Object sanitized;

    /**
     * Creates the state of a statement.
     *
     * @param sql the SQL known so far, may be {@code null} (a plain statement before its first execution)
     */
    StatementState(String sql) {
        this.sql = sql;
    }

    /**
     * The raw SQL of this statement, as the application wrote it (literals included).
     *
     * @return the SQL, {@code null} for a plain statement that has not run anything yet
     * @since 0.1.0
     */
    public final String sql() {
        return sql;
    }

    /**
     * Whether this is a prepared or callable statement (whose SQL never changes).
     *
     * @return {@code true} for a prepared or callable statement
     * @since 0.1.0
     */
    public final boolean isPrepared() {
        // a bare instance stands for a statement that failed to prepare
        return !(this instanceof WatchedStatement) || this instanceof WatchedPreparedStatement;
    }

    /**
     * The sanitized form of {@link #sql()} that a later stage cached here, if any. It is dropped whenever
     * the SQL of a plain statement changes, so it always belongs to the current SQL when read on the
     * thread that uses the statement; a reader on another thread should check what it reads against
     * {@link #sql()} if that matters.
     *
     * @return the cached value, or {@code null}
     * @since 0.1.0
     */
    public final Object sanitized() {
        return sanitized;
    }

    /**
     * Caches a sanitized form of {@link #sql()}.
     *
     * @param value the value to cache, may be {@code null} to drop it
     * @since 0.1.0
     */
    public final void sanitized(Object value) {
        this.sanitized = value;
    }

    /** Records the SQL a plain statement is about to run; ignored for prepared statements. */
    final void noteSql(String newSql) {
        if (newSql != sql && !isPrepared()) {
            sql = newSql;
            sanitized = null;
        }
    }
}
