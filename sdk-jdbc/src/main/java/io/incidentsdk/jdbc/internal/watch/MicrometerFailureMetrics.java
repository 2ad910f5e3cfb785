package io.incidentsdk.jdbc.internal.watch;

import io.incidentsdk.RetryInfo;
import io.incidentsdk.jdbc.SqlFailureCategory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code incident.jdbc.failures} (tags {@code category}, {@code dataSource}) and {@code incident.jdbc.retries}
 * (tags {@code outcome}, {@code dataSource}): no SQL, no user data.
 */
final class MicrometerFailureMetrics implements FailureMetrics {

    /** The counter name. */
    static final String FAILURES = "incident.jdbc.failures";

    /** The counter of finished retry sequences. */
    static final String RETRIES = "incident.jdbc.retries";

    private final Counter[] counters;
    private final Counter[] retries;

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
        RetryInfo.Outcome[] outcomes = RetryInfo.Outcome.values();
        retries = new Counter[outcomes.length];
        for (RetryInfo.Outcome outcome : outcomes) {
            retries[outcome.ordinal()] = Counter.builder(RETRIES)
                    .description("Retried deadlocks and serialization failures by outcome and data source")
                    .baseUnit("retries")
                    .tag("outcome", outcome.name())
                    .tag("dataSource", dataSourceName)
                    .register(meters);
        }
    }

    @Override
    public void retry(RetryInfo.Outcome outcome) {
        retries[outcome.ordinal()].increment();
    }

    @Override
    public void failure(SqlFailureCategory category) {
        counters[category.ordinal()].increment();
    }
}
