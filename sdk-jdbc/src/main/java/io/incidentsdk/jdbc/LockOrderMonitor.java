package io.incidentsdk.jdbc;

import io.incidentsdk.jdbc.internal.lockorder.LockOrderAnalysis;
import java.util.ArrayList;
import java.util.List;

/**
 * Records the lock-order risks that watched data sources find, for tests: while a {@link Recording} is open,
 * every watched data source of the process analyses <em>every</em> explicit transaction (whatever its sampling
 * rate), and each risk found is kept in the recording, as well as reported as a {@code LOCK_ORDER_RISK} incident.
 * The test extension of {@code incident-sdk-test} opens one per test class.
 *
 * <pre>{@code
 * try (LockOrderMonitor.Recording recording = LockOrderMonitor.record()) {
 *     transferService.transfer(1, 2, 100);
 *     transferService.transfer(2, 1, 100);
 *     assertThat(recording.risks()).isEmpty();
 * }
 * }</pre>
 *
 * @since 0.2.0
 */
public final class LockOrderMonitor {

    private LockOrderMonitor() {
    }

    /**
     * Opens a recording.
     *
     * @return the recording; close it to stop
     */
    public static Recording record() {
        return new Recording();
    }

    /**
     * The risks found while it is open. Thread-safe.
     *
     * @since 0.2.0
     */
    public static final class Recording implements AutoCloseable {

        private final List<LockOrderRisk> risks = new ArrayList<>();
        private final AutoCloseable registration;

        private Recording() {
            this.registration = LockOrderAnalysis.record(this::found);
        }

        private synchronized void found(LockOrderRisk risk) {
            risks.add(risk);
        }

        /**
         * The risks found so far, in the order they were found.
         *
         * @return a copy
         */
        public synchronized List<LockOrderRisk> risks() {
            return List.copyOf(risks);
        }

        /** Stops recording; the data sources go back to their sampling rates when no recording is open. */
        @Override
        public void close() {
            try {
                registration.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
