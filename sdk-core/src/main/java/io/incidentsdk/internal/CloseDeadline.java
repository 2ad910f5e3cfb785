package io.incidentsdk.internal;

import java.util.OptionalLong;

/**
 * The deadline by which a sink's {@code close()} must return, when the SDK closes it: the end of the SDK's
 * close timeout. {@link SinkChannel} sets it on its own thread for the duration of the sink's {@code close()},
 * so a sink (or a sink that wraps one and closes it on the same thread) can end its own work in time, however
 * long its own close timeout is: past the SDK's deadline the SDK no longer waits for it, and whatever the sink
 * still holds (a spool directory's lock, for one) would outlive the SDK's {@code close()}.
 */
public final class CloseDeadline {

    private static final ThreadLocal<long[]> CURRENT = new ThreadLocal<>();

    private CloseDeadline() {
    }

    /**
     * The deadline of the close running on this thread.
     *
     * @return a {@link System#nanoTime()} deadline, empty when no SDK close set one (the sink was closed directly)
     */
    public static OptionalLong current() {
        long[] deadline = CURRENT.get();
        return deadline == null ? OptionalLong.empty() : OptionalLong.of(deadline[0]);
    }

    /**
     * Runs {@code action} with {@code deadlineNanos} as this thread's close deadline.
     *
     * @param deadlineNanos a {@link System#nanoTime()} deadline
     * @param action        what to run, typically the sink's {@code close()}
     * @throws Exception what {@code action} throws
     */
    public static void within(long deadlineNanos, Action action) throws Exception {
        long[] previous = CURRENT.get();
        CURRENT.set(new long[] {deadlineNanos});
        try {
            action.run();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    /** Something that may throw. */
    @FunctionalInterface
    public interface Action {
        /**
         * Runs.
         *
         * @throws Exception anything
         */
        void run() throws Exception;
    }
}
