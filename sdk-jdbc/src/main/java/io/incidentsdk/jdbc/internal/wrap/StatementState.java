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
 * <p>Thread-safe to read from any thread (its one field is volatile and what it points to is immutable).
 * Internal: not part of the public API.
 *
 * @since 0.1.0
 */
public class StatementState {

    /**
     * The SQL, and the sanitized form cached for it, in one field (so a statement wrapper is three references
     * and fits 24 bytes): a {@code String} until a form is cached, then a {@link Cached} holding both. Replacing
     * the whole holder keeps the two consistent for readers on other threads. A prepared statement whose SQL may
     * control the transaction at SQL level ({@code BEGIN}, {@code SET autocommit}, rare) holds a {@link Cached}
     * from the start, with that noted: its executes need not look at the SQL again.
     */
    private volatile Object sql;

    /**
     * A SQL string with the sanitized form a later stage cached for it ({@code null} for none yet), and whether a
     * prepared statement's SQL may control the transaction.
     */
    private record Cached(String sql, Object sanitized, boolean mayControlTransaction) {
    }

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
        Object known = sql;
        return known instanceof Cached cached ? cached.sql() : (String) known;
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
     * the SQL of a plain statement changes, and it is always read together with the SQL it was cached for:
     * a reader on another thread that needs both should use {@link #sanitizedFor(String)}.
     *
     * @return the cached value, or {@code null}
     * @since 0.1.0
     */
    public final Object sanitized() {
        return sql instanceof Cached cached ? cached.sanitized() : null;
    }

    /**
     * The sanitized form cached for exactly this SQL string (the same object), if any.
     *
     * @param forSql the SQL string the caller read with {@link #sql()}
     * @return the cached value, or {@code null} when none is cached or it belongs to another SQL
     * @since 0.1.0
     */
    public final Object sanitizedFor(String forSql) {
        return sql instanceof Cached cached && cached.sql() == forSql ? cached.sanitized() : null;
    }

    /**
     * Caches a sanitized form of a given SQL string, unless the statement's SQL has changed since the caller
     * read it (then the value belongs to an older SQL and is not kept).
     *
     * @param forSql the SQL string the value was computed from, as read with {@link #sql()}
     * @param value  the value to cache, may be {@code null} to drop it
     * @since 0.1.0
     */
    public final void sanitized(String forSql, Object value) {
        Object known = sql;
        String current = known instanceof Cached cached ? cached.sql() : (String) known;
        if (current == forSql && current != null) {
            boolean control = known instanceof Cached cached && cached.mayControlTransaction();
            sql = value == null && !control ? current : new Cached(current, value, control);
        }
    }

    /**
     * For a prepared statement, at its creation: notes whether its SQL may control the transaction at SQL level,
     * so that {@link #beginPrepared} need not look at it per execute.
     */
    final void notePreparedSql() {
        Object known = sql;
        if (known instanceof String s && ConnectionState.mayControlTransactionAtSqlLevel(s)) {
            sql = new Cached(s, null, true);
        }
    }

    /**
     * Records with the connection that this prepared statement is about to execute: one read of the SQL field,
     * no look at the SQL (see {@link #notePreparedSql()}).
     *
     * @param connection the statement's connection
     */
    final void beginPrepared(ConnectionState connection) {
        Object known = sql;
        if (known instanceof Cached cached) {
            connection.beginPrepared(cached.sql(), this, cached.mayControlTransaction());
        } else {
            connection.beginPrepared((String) known, this, false);
        }
    }

    /** Records the SQL a plain statement is about to run; ignored for prepared statements. */
    final void noteSql(String newSql) {
        if (!isPrepared() && sql() != newSql) {
            sql = newSql;
        }
    }
}
