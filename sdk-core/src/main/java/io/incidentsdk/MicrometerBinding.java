package io.incidentsdk;

import io.incidentsdk.micrometer.IncidentSdkMetrics;
import io.micrometer.core.instrument.MeterRegistry;

/** Loaded only when a meter registry was configured, so Micrometer stays optional. */
final class MicrometerBinding {

    private MicrometerBinding() {
    }

    static void bind(IncidentSdk sdk, Object registry) {
        new IncidentSdkMetrics(sdk).bindTo((MeterRegistry) registry);
    }
}
