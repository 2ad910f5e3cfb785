package io.incidentsdk.jdbc.internal.watch;

import io.incidentsdk.jdbc.internal.wrap.ConnectionState;
import io.incidentsdk.jdbc.internal.wrap.DataSourceContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The connections in use right now, across every watched data source of the process, so that a deadlock
 * victim can find the other participants of the cycle. Adding and removing claim or free one slot of a
 * fixed array with a compare-and-set: no allocation and no lock on the borrow path. When every slot near a
 * connection's home slot is taken (thousands of connections at once), the connection is simply not
 * registered and forensics know less about it.
 */
final class ConnectionRegistry {

    /** The registry of the process. */
    static final ConnectionRegistry GLOBAL = new ConnectionRegistry(4096);

    private static final int PROBES = 64;

    private final AtomicReferenceArray<ConnectionState> slots;
    private final int mask;

    ConnectionRegistry(int capacity) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two, was " + capacity);
        }
        this.slots = new AtomicReferenceArray<>(capacity);
        this.mask = capacity - 1;
    }

    private int home(ConnectionState state) {
        long h = state.id() * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & mask;
    }

    /**
     * Registers a connection.
     *
     * @return {@code false} when no slot was free near its home
     */
    boolean add(ConnectionState state) {
        int start = home(state);
        for (int i = 0; i < PROBES; i++) {
            int index = (start + i) & mask;
            if (slots.get(index) == null && slots.compareAndSet(index, null, state)) {
                return true;
            }
        }
        return false;
    }

    void remove(ConnectionState state) {
        int start = home(state);
        for (int i = 0; i < PROBES; i++) {
            int index = (start + i) & mask;
            if (slots.get(index) == state) {
                slots.compareAndSet(index, state, null);
                return;
            }
        }
    }

    /**
     * The registered connection whose database session id is {@code sessionId}, preferring connections of
     * {@code dataSource}, then connections of data sources with the same URL.
     */
    ConnectionState bySessionId(long sessionId, DataSourceContext dataSource) {
        ConnectionState sameUrl = null;
        String url = dataSource.database().url();
        for (int i = 0; i < slots.length(); i++) {
            ConnectionState state = slots.get(i);
            if (state == null || state.isClosedByApplication()) {
                continue;
            }
            Long id = state.sessionId();
            if (id == null || id != sessionId) {
                continue;
            }
            if (state.dataSource() == dataSource) {
                return state;
            }
            if (sameUrl == null && url != null && url.equals(state.dataSource().database().url())) {
                sameUrl = state;
            }
        }
        return sameUrl;
    }

    /**
     * The other registered connections of {@code dataSource} inside an explicit transaction that began before
     * {@code beforeNanos} ({@link System#nanoTime()}).
     */
    List<ConnectionState> inTransaction(DataSourceContext dataSource, ConnectionState except, long beforeNanos) {
        List<ConnectionState> found = new ArrayList<>(2);
        for (int i = 0; i < slots.length(); i++) {
            ConnectionState state = slots.get(i);
            if (state != null && state != except && state.dataSource() == dataSource
                    && !state.isClosedByApplication() && state.transactionStartNanos() != 0L
                    && state.transactionStartNanos() - beforeNanos < 0) {
                found.add(state);
            }
        }
        return found;
    }

    /** Registered connections (for tests). */
    int size() {
        int n = 0;
        for (int i = 0; i < slots.length(); i++) {
            if (slots.get(i) != null) {
                n++;
            }
        }
        return n;
    }
}
