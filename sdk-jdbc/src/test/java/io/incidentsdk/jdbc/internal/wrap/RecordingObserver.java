package io.incidentsdk.jdbc.internal.wrap;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A thread-safe observer that remembers what it was told. Like the SDK's own observer for a transaction the
 * database rolled back, it dooms an explicit transaction on every failure of a server operation, so the
 * wrapper's doom bookkeeping can be tested on its own.
 */
final class RecordingObserver implements JdbcObserver {

    /** One {@link #failed} call. */
    record Failure(SQLException error, ConnectionState connection, StatementState statement, JdbcOperation operation) {
    }

    final AtomicInteger successes = new AtomicInteger();
    final List<Failure> failures = new CopyOnWriteArrayList<>();
    final List<ConnectionState> opened = new CopyOnWriteArrayList<>();
    final List<ConnectionState> closed = new CopyOnWriteArrayList<>();
    /** The SQL of each {@link #callSiteWanted} call, with the caller's stack top seen from it. */
    final List<String> callSitesWanted = new CopyOnWriteArrayList<>();
    /** The SQL the connection state showed at each success, in order. */
    final List<String> succeededSql = new CopyOnWriteArrayList<>();

    @Override
    public void succeeded(ConnectionState connection, boolean autoCommit) {
        successes.incrementAndGet();
        succeededSql.add(String.valueOf(connection.currentSql()));
    }

    @Override
    public void failed(SQLException error, ConnectionState connection, StatementState statement,
                       JdbcOperation operation) {
        failures.add(new Failure(error, connection, statement, operation));
        if (operation.doomsTransaction()) {
            connection.doom(operation + " failed");
        }
    }

    @Override
    public void connectionOpened(ConnectionState connection) {
        opened.add(connection);
    }

    @Override
    public void connectionClosed(ConnectionState connection) {
        closed.add(connection);
    }

    @Override
    public void callSiteWanted(String sql, ConnectionState connection) {
        callSitesWanted.add(sql);
    }
}
