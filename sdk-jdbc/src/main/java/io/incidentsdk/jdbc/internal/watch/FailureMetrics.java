package io.incidentsdk.jdbc.internal.watch;

import io.incidentsdk.RetryInfo;
import io.incidentsdk.jdbc.SqlFailureCategory;

/** Counts failures for metrics; the Micrometer implementation is only loaded when a registry is given. */
interface FailureMetrics {

    /** Counts nothing. */
    FailureMetrics NONE = new FailureMetrics() {
        @Override
        public void failure(SqlFailureCategory category) {
        }

        @Override
        public void retry(RetryInfo.Outcome outcome) {
        }
    };

    void failure(SqlFailureCategory category);

    void retry(RetryInfo.Outcome outcome);

    static FailureMetrics create(Object meterRegistry, String dataSourceName) {
        return meterRegistry == null ? NONE : new MicrometerFailureMetrics(meterRegistry, dataSourceName);
    }
}
