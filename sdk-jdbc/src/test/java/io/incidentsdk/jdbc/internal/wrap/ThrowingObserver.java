package io.incidentsdk.jdbc.internal.wrap;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** An observer that breaks its contract on every call: it throws what the supplier makes. */
final class ThrowingObserver implements JdbcObserver {

    final AtomicInteger calls = new AtomicInteger();
    private final Supplier<? extends Throwable> failure;

    ThrowingObserver(Supplier<? extends Throwable> failure) {
        this.failure = failure;
    }

    static ThrowingObserver runtimeExceptions() {
        return new ThrowingObserver(() -> new IllegalStateException("observer is broken"));
    }

    @Override
    public void succeeded(ConnectionState connection, boolean autoCommit) {
        fail();
    }

    @Override
    public void failed(SQLException error, ConnectionState connection, StatementState statement,
                       JdbcOperation operation) {
        fail();
    }

    @Override
    public void connectionOpened(ConnectionState connection) {
        fail();
    }

    @Override
    public void connectionClosed(ConnectionState connection) {
        fail();
    }

    private void fail() {
        calls.incrementAndGet();
        ThrowingObserver.<RuntimeException>sneakyThrow(failure.get());
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }
}
