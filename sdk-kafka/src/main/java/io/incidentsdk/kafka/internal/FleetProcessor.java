package io.incidentsdk.kafka.internal;

import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentJson;
import io.incidentsdk.internal.RateLimitedLogger;
import io.incidentsdk.kafka.FleetIncident;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The aggregator's one processor: merges each incident event into the state of its fingerprint
 * ({@link FleetMerge}) and forwards the fleet incident when it changed; every {@code checkInterval} it marks
 * quiet instances and forgets fleet incidents resolved longer ago than the retention. Under
 * {@code exactly_once_v2} the store's changelog, the output and the input offsets commit together.
 */
public final class FleetProcessor implements Processor<String, byte[], String, byte[]> {

    /** The state store's name. */
    public static final String STORE = "incident-fleet-state";

    private static final Logger LOG = LoggerFactory.getLogger(FleetProcessor.class);

    private final FleetMerge merge;
    private final Clock clock;
    private final Duration checkInterval;
    private final long retainResolvedMillis;
    private final RateLimitedLogger warnings = new RateLimitedLogger(LOG, 10_000);
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, byte[]> store;

    /**
     * Creates the processor.
     *
     * @param merge                the merge
     * @param clock                the aggregator's clock
     * @param checkInterval        how often quiet instances are looked for
     * @param retainResolvedMillis how long a resolved fleet incident is remembered (late events of it are
     *                             then recognised and ignored)
     */
    public FleetProcessor(FleetMerge merge, Clock clock, Duration checkInterval, long retainResolvedMillis) {
        this.merge = merge;
        this.clock = clock;
        this.checkInterval = checkInterval;
        this.retainResolvedMillis = retainResolvedMillis;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
        context.schedule(checkInterval, PunctuationType.WALL_CLOCK_TIME, this::sweep);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        IncidentEvent event;
        try {
            event = IncidentJson.fromJson(new String(record.value(), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            warnings.warn("Incident fleet aggregator: a record that is not an incident event was skipped ({})", null,
                    e.getClass().getSimpleName());
            return;
        }
        String fingerprint = event.incident().fingerprint();
        byte[] stored = store.get(fingerprint);
        FleetState state = stored == null ? null : FleetJson.readState(stored);
        FleetMerge.Result result = merge.apply(state, event, clock.millis());
        if (result.state() != null && result.state() != state) {
            store.put(fingerprint, FleetJson.write(result.state()));
        }
        if (result.emit()) {
            context.forward(new Record<>(fingerprint, FleetJson.write(result.state().incident()), record.timestamp()));
        }
    }

    private void sweep(long timestamp) {
        long now = clock.millis();
        List<KeyValue<String, FleetState>> changed = new ArrayList<>();
        List<String> forget = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> entry = all.next();
                FleetState state = FleetJson.readState(entry.value);
                FleetIncident incident = state.incident();
                if (incident.status() == FleetIncident.Status.RESOLVED) {
                    if (incident.updatedAt() != null && now - incident.updatedAt().toEpochMilli() > retainResolvedMillis) {
                        forget.add(entry.key);
                    }
                    continue;
                }
                FleetMerge.Result result = merge.sweep(state, now);
                if (result.emit()) {
                    changed.add(KeyValue.pair(entry.key, result.state()));
                }
            }
        }
        for (KeyValue<String, FleetState> c : changed) {
            store.put(c.key, FleetJson.write(c.value));
            context.forward(new Record<>(c.key, FleetJson.write(c.value.incident()), timestamp));
        }
        for (String key : forget) {
            store.delete(key);
        }
    }
}
