package io.incidentsdk.jdbc.internal.watch;

import io.incidentsdk.jdbc.SqlFailureCategory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** {@code incident.jdbc.failures}, tagged {@code category} and {@code dataSource}: no SQL, no user data. */
final class MicrometerFailureMetrics implements FailureMetrics {

    /** The counter name. */
    static final String FAILURES = "incident.jdbc.failures";

    private final Counter[] counters;

    MicrometerFailureMetrics(Object registry, String dataSourceName) {
        MeterRegistry meters = (MeterRegistry) registry;
        SqlFailureCategory[] categories = SqlFailureCategory.values();
        counters = new Counter[categories.length];
        for (SqlFailureCategory category : categories) {
            counters[category.ordinal()] = Counter.builder(FAILURES)
                    .description("Failed JDBC calls by failure category and data source")
                    .baseUnit("calls")
                    .tag("category", category.name())
                    .tag("dataSource", dataSourceName)
                    .register(meters);
        }
    }

    @Override
    public void failure(SqlFailureCategory category) {
        counters[category.ordinal()].increment();
    }
}
