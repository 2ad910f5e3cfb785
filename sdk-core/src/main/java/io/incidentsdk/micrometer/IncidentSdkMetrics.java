package io.incidentsdk.micrometer;

import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.SinkStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * Publishes an {@link IncidentSdk}'s activity to Micrometer:
 * <ul>
 *   <li>{@value #EVENTS}: incident events, tagged {@code kind}, {@code severity}, {@code event};</li>
 *   <li>{@value #SINK_EVENTS}: what each sink did with its events, tagged {@code sink} and
 *       {@code outcome} ({@code delivered}, {@code failed}, {@code dropped});</li>
 *   <li>{@value #QUEUE_SIZE}: incidents waiting for the SDK thread, and {@value #SINK_QUEUE_SIZE} per sink;</li>
 *   <li>{@value #OPEN}: incidents open right now;</li>
 *   <li>{@value #OVERFLOW}: what the bound of open incidents cost, tagged {@code outcome}: {@code refused}
 *       (signals of new incidents counted but not recorded) or {@code evicted} (open incidents ended early
 *       for a more severe one); see {@code IncidentSdk.Builder#maxOpenIncidents}.</li>
 * </ul>
 * Tags are low-cardinality: no SQL, no user data. Micrometer is an optional dependency of the SDK; this
 * class is only loaded when the application binds it (directly or through
 * {@code IncidentSdk.Builder#meterRegistry}).
 *
 * @since 0.1.0
 */
public final class IncidentSdkMetrics implements MeterBinder {

    /** Counter of incident events. */
    public static final String EVENTS = "incident.events";
    /** Counter of sink outcomes. */
    public static final String SINK_EVENTS = "incident.sink.events";
    /** Gauge of the SDK queue. */
    public static final String QUEUE_SIZE = "incident.queue.size";
    /** Gauge of each sink's queue. */
    public static final String SINK_QUEUE_SIZE = "incident.sink.queue.size";
    /** Gauge of open incidents. */
    public static final String OPEN = "incident.open";
    /** Counter of incidents refused or evicted at the bound of open incidents. */
    public static final String OVERFLOW = "incident.overflow";

    private final IncidentSdk sdk;

    /**
     * Creates a binder for one SDK.
     *
     * @param sdk the SDK, not {@code null}
     */
    public IncidentSdkMetrics(IncidentSdk sdk) {
        this.sdk = Objects.requireNonNull(sdk, "sdk must not be null");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry must not be null");
        sdk.onEvent(event -> eventCounter(registry, event).increment());
        Gauge.builder(QUEUE_SIZE, sdk, IncidentSdk::queueSize)
                .description("Incidents waiting for the Incident SDK pipeline thread")
                .baseUnit("incidents")
                .register(registry);
        Gauge.builder(OPEN, sdk, IncidentSdk::openIncidents)
                .description("Incidents open right now")
                .baseUnit("incidents")
                .register(registry);
        overflowCounter(registry, "refused", IncidentSdk::overflowSignals);
        overflowCounter(registry, "evicted", IncidentSdk::evictedIncidents);
        for (SinkStats stats : sdk.sinkStats()) {
            String sink = stats.sink();
            sinkCounter(registry, sink, "delivered", SinkStats::delivered);
            sinkCounter(registry, sink, "failed", SinkStats::failed);
            sinkCounter(registry, sink, "dropped", SinkStats::dropped);
            Gauge.builder(SINK_QUEUE_SIZE, sdk, s -> statsOf(s, sink).queued())
                    .description("Events waiting for an incident sink")
                    .baseUnit("events")
                    .tag("sink", sink)
                    .register(registry);
        }
    }

    private static Counter eventCounter(MeterRegistry registry, IncidentEvent event) {
        return Counter.builder(EVENTS)
                .description("Incident events emitted by the Incident SDK")
                .baseUnit("events")
                .tag("kind", event.incident().kind().name())
                .tag("severity", event.incident().severity().name())
                .tag("event", event.event().name())
                .register(registry);
    }

    private void overflowCounter(MeterRegistry registry, String outcome, ToLongFunction<IncidentSdk> value) {
        FunctionCounter.builder(OVERFLOW, sdk, s -> value.applyAsLong(s))
                .description("New incidents refused, and open incidents evicted, at the bound of open incidents")
                .baseUnit("incidents")
                .tag("outcome", outcome)
                .register(registry);
    }

    private void sinkCounter(MeterRegistry registry, String sink, String outcome, ToLongFunction<SinkStats> value) {
        FunctionCounter.builder(SINK_EVENTS, sdk, s -> value.applyAsLong(statsOf(s, sink)))
                .description("Incident events by sink and outcome")
                .baseUnit("events")
                .tag("sink", sink)
                .tag("outcome", outcome)
                .register(registry);
    }

    private static SinkStats statsOf(IncidentSdk sdk, String sink) {
        for (SinkStats stats : sdk.sinkStats()) {
            if (stats.sink().equals(sink)) {
                return stats;
            }
        }
        return new SinkStats(sink, 0, 0, 0, 0);
    }
}
