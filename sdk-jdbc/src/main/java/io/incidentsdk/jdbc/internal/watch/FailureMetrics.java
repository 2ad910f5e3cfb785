package io.incidentsdk.jdbc.internal.watch;

import io.incidentsdk.jdbc.SqlFailureCategory;

/** Counts failures for metrics; the Micrometer implementation is only loaded when a registry is given. */
interface FailureMetrics {

    /** Counts nothing. */
    FailureMetrics NONE = category -> { };

    void failure(SqlFailureCategory category);

    static FailureMetrics create(Object meterRegistry, String dataSourceName) {
        return meterRegistry == null ? NONE : new MicrometerFailureMetrics(meterRegistry, dataSourceName);
    }
}
