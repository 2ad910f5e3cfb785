package io.incidentsdk.jdbc.internal.forensics;

import io.incidentsdk.jdbc.internal.wrap.ConnectionState;
import io.incidentsdk.jdbc.internal.wrap.DataSourceContext;
import io.incidentsdk.jdbc.internal.wrap.TransactionHistory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The connections in use right now, across every watched data source of the process, so that a deadlock
 * victim can find the other participants of the cycle; and the last connections closed (a connection
 * watched in front of a pool is closed, returned, as soon as its transaction commits, often before the
 * victim looks: its history stays readable here a little longer). Adding and removing claim or free one slot
 * of a fixed array with a compare-and-set: no allocation and no lock on the borrow path. When every slot
 * near a connection's home slot is taken (thousands of connections at once), the connection is simply not
 * registered and forensics know less about it.
 *
 * <p>Internal: not part of the public API.
 */
public final class ConnectionRegistry {

    /** The registry of the process. */
    public static final ConnectionRegistry GLOBAL = new ConnectionRegistry(4096);

    private static final int PROBES = 64;
    private static final int RETIRED = 256;

    private final AtomicReferenceArray<ConnectionState> slots;
    private final AtomicReferenceArray<ConnectionState> retired = new AtomicReferenceArray<>(RETIRED);
    private final AtomicLong retiredCount = new AtomicLong();
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
    public boolean add(ConnectionState state) {
        int start = home(state);
        for (int i = 0; i < PROBES; i++) {
            int index = (start + i) & mask;
            if (slots.get(index) == null && slots.compareAndSet(index, null, state)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Unregisters a closed connection; one that ran explicit transactions is kept among the last
     * {@value #RETIRED} closed ones, for its history.
     */
    public void remove(ConnectionState state) {
        int start = home(state);
        for (int i = 0; i < PROBES; i++) {
            int index = (start + i) & mask;
            if (slots.get(index) == state) {
                slots.compareAndSet(index, state, null);
                break;
            }
        }
        if (state.history() != null) {
            state.historyClosed();
            ConnectionState evicted = retired.getAndSet((int) (retiredCount.getAndIncrement() & (RETIRED - 1)), state);
            if (evicted != null) {
                TransactionHistory.recycle(evicted.releaseHistory());
            }
        }
    }

    /**
     * Calls {@code action} with every registered open connection (no allocation; a connection added or removed
     * meanwhile may or may not be seen).
     *
     * @param action what to do with each
     */
    public void forEachOpen(java.util.function.Consumer<ConnectionState> action) {
        for (int i = 0; i < slots.length(); i++) {
            ConnectionState state = slots.get(i);
            if (state != null) {
                action.accept(state);
            }
        }
    }

    /**
     * Every connection, open or recently closed, whose database session id is {@code sessionId}: of
     * {@code dataSource} first, then of data sources with the same URL. A pool reuses one session for many
     * borrows, so there may be several.
     */
    List<ConnectionState> allBySessionId(long sessionId, DataSourceContext dataSource) {
        List<ConnectionState> same = new ArrayList<>(2);
        List<ConnectionState> sameUrl = new ArrayList<>(0);
        String url = dataSource.database().url();
        for (int pass = 0; pass < 2; pass++) {
            AtomicReferenceArray<ConnectionState> array = pass == 0 ? slots : retired;
            for (int i = 0; i < array.length(); i++) {
                ConnectionState state = array.get(i);
                if (state == null || !state.hasConnection() || same.contains(state) || sameUrl.contains(state)) {
                    continue;
                }
                Long id = pass == 0 || state.history() != null ? state.knownSessionId(pass == 0) : null;
                if (id == null || id != sessionId) {
                    continue;
                }
                if (state.dataSource() == dataSource) {
                    same.add(state);
                } else if (url != null && url.equals(state.dataSource().database().url())) {
                    sameUrl.add(state);
                }
            }
        }
        same.addAll(sameUrl);
        return same;
    }

    /** Connections of {@code dataSource}, open or recently closed, other than {@code except}, with a history. */
    List<ConnectionState> withHistory(DataSourceContext dataSource, ConnectionState except) {
        List<ConnectionState> found = new ArrayList<>();
        for (int pass = 0; pass < 2; pass++) {
            AtomicReferenceArray<ConnectionState> array = pass == 0 ? slots : retired;
            for (int i = 0; i < array.length(); i++) {
                ConnectionState state = array.get(i);
                if (state != null && state != except && state.dataSource() == dataSource && state.history() != null
                        && !found.contains(state)) {
                    found.add(state);
                }
            }
        }
        return found;
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
