package io.incidentsdk;

import io.incidentsdk.internal.IncidentPipeline;
import io.incidentsdk.internal.PipelineSettings;
import io.incidentsdk.internal.RateLimitedLogger;
import io.incidentsdk.internal.Text;
import io.incidentsdk.sink.IncidentSink;
import io.incidentsdk.sink.JsonLinesFileSink;
import io.incidentsdk.sink.LoggingSink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The entry point: records incidents, aggregates them by fingerprint and delivers their events to sinks.
 *
 * <pre>{@code
 * try (IncidentSdk incidents = IncidentSdk.builder()
 *         .service("checkout", "1.4.2").environment("prod")
 *         .sink(JsonLinesFileSink.builder(Path.of("incidents.jsonl")).build())
 *         .build()) {
 *     incidents.record(Incident.builder(IncidentKind.CUSTOM, "Payment provider timing out").build());
 * }
 * }</pre>
 *
 * <p>Guarantees: recording never blocks the calling thread and never throws an exception of ours into it
 * (bad arguments are the caller's bug and are rejected with {@code NullPointerException} or
 * {@code IllegalArgumentException}); repeated signals with the same fingerprint update one open incident
 * ({@code occurrences}, {@code lastSeen}) and produce at most one UPDATED event per update interval; an
 * incident with no new occurrence for the quiet period is resolved; every sink runs on its own thread, so a
 * slow or failing sink delays neither the application nor another sink; memory is bounded (queues and
 * the number of open incidents, see {@link Builder#maxOpenIncidents(int)}). {@link #close()} delivers what
 * is queued within the close timeout, and never waits longer.
 *
 * @since 0.1.0
 */
public final class IncidentSdk implements AutoCloseable {

    /**
     * The fingerprint of the incident (kind {@link IncidentKind#SINK_DEGRADED}) that reports the overflow of
     * the bound of open incidents: signals that were refused and incidents that were evicted. See
     * {@link Builder#maxOpenIncidents(int)}.
     *
     * @since 0.1.0
     */
    public static final String OVERFLOW_FINGERPRINT = IncidentPipeline.OVERFLOW_FINGERPRINT;

    private final IncidentPipeline pipeline;
    private final ServiceInfo service;
    private final Clock clock;
    private final TraceCorrelation tracing;
    private final RateLimitedLogger tracingWarnings = new RateLimitedLogger(
            org.slf4j.LoggerFactory.getLogger(IncidentSdk.class), 60_000);
    private volatile boolean closed;

    private IncidentSdk(Builder builder) {
        this.service = new ServiceInfo(builder.serviceName, builder.serviceVersion, builder.environment,
                builder.instance != null ? builder.instance : defaultInstance());
        this.clock = builder.clock;
        this.tracing = builder.tracing;
        List<IncidentSink> sinks = builder.sinks.isEmpty() ? List.of(LoggingSink.create()) : List.copyOf(builder.sinks);
        this.pipeline = new IncidentPipeline(new PipelineSettings(service, clock, builder.updateInterval,
                builder.quietPeriod, builder.queueCapacity, builder.sinkQueueCapacity, builder.maxOpenIncidents,
                builder.housekeeping, builder.sinkAttempts, builder.sinkRetryBackoff, builder.closeTimeout), sinks);
        if (builder.meterRegistry != null) {
            MicrometerBinding.bind(this, builder.meterRegistry);
        }
    }

    /**
     * Starts configuring an SDK.
     *
     * @return a builder with safe defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Records one signal. A new fingerprint opens an incident (OPENED event); a fingerprint that is open
     * counts as a repeat: {@code occurrences} and {@code lastSeen} grow, a higher severity or newer retry
     * or impact data are taken over, and an UPDATED event follows within the update interval.
     * Service, {@code firstSeen} and {@code lastSeen} are set by the SDK.
     *
     * @param incident the incident, not {@code null}
     */
    public void record(Incident incident) {
        Objects.requireNonNull(incident, "incident must not be null");
        if (!closed) {
            Incident traced = withTrace(incident);
            correlated(pipeline.record(traced), traced.fingerprint());
        }
    }

    /** Records the incident and returns the id of the open incident it was counted in. */
    private String recordAndGetId(Incident incident) {
        Incident traced = closed ? incident : withTrace(incident);
        String id = closed ? null : pipeline.record(traced, true);
        correlated(id, traced.fingerprint());
        return id != null ? id : incident.incidentId();
    }

    /** The incident with the trace active on this thread, when a correlation is configured and it has none. */
    private Incident withTrace(Incident incident) {
        if (tracing == null || incident.trace() != null) {
            return incident;
        }
        try {
            TraceInfo trace = tracing.current();
            return trace == null ? incident : incident.toBuilder().trace(trace).build();
        } catch (RuntimeException | LinkageError e) {
            tracingWarnings.warn("Incident SDK trace correlation failed; the incident is recorded without a trace", e);
            return incident;
        }
    }

    private void correlated(String incidentId, String fingerprint) {
        if (tracing == null || incidentId == null) {
            return;
        }
        try {
            tracing.recorded(incidentId, fingerprint);
        } catch (RuntimeException | LinkageError e) {
            tracingWarnings.warn("Incident SDK trace correlation failed to mark the span", e);
        }
    }

    /**
     * Counts one more occurrence of an open incident without building a record: the cheap path for
     * repeated failures.
     *
     * @param fingerprint the incident fingerprint, not {@code null}
     * @return {@code false} when no incident with this fingerprint is open (then call {@link #record})
     */
    public boolean recordRepeat(String fingerprint) {
        Objects.requireNonNull(fingerprint, "fingerprint must not be null");
        if (closed || !pipeline.recordRepeat(fingerprint)) {
            return false;
        }
        if (tracing != null) {
            correlated(pipeline.openIncidentId(fingerprint), fingerprint);
        }
        return true;
    }

    /**
     * Opens an incident handled by the application and returns a handle to note, escalate and resolve it.
     * The fingerprint derives from the kind and title, so opening the same incident twice returns a handle
     * on the one that is open. An incident opened this way stays open until the application resolves it
     * (the quiet period does not apply); it counts against the bound of open incidents until then.
     *
     * @param kind  the kind, not {@code null}
     * @param title the title, not {@code null}
     * @return a handle on the open incident
     */
    public OpenIncident open(IncidentKind kind, String title) {
        return open(Incident.builder(kind, title).build());
    }

    /**
     * Opens the given incident (or counts a repeat of it, when its fingerprint is open) and returns a
     * handle.
     *
     * @param incident the incident, not {@code null}
     * @return a handle on the open incident
     */
    public OpenIncident open(Incident incident) {
        Objects.requireNonNull(incident, "incident must not be null");
        return new Handle(recordAndGetId(incident), incident.fingerprint());
    }

    /**
     * Whether an incident with this fingerprint is open.
     *
     * @param fingerprint the fingerprint, not {@code null}
     * @return {@code true} when open
     */
    public boolean isOpen(String fingerprint) {
        return pipeline.isOpen(Objects.requireNonNull(fingerprint, "fingerprint must not be null"));
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return {@code true} once closed
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * The service this SDK reports for.
     *
     * @return the service
     */
    public ServiceInfo service() {
        return service;
    }

    /**
     * The SDK's clock.
     *
     * @return the clock
     */
    public Clock clock() {
        return clock;
    }

    /**
     * Delivery counters per sink.
     *
     * @return one entry per sink, in configuration order
     */
    public List<SinkStats> sinkStats() {
        return pipeline.sinkStats();
    }

    /**
     * Incidents open right now.
     *
     * @return the number of open incidents
     */
    public int openIncidents() {
        return pipeline.openIncidents();
    }

    /**
     * Incidents waiting for the SDK's pipeline thread.
     *
     * @return the queue size
     */
    public int queueSize() {
        return pipeline.queueSize();
    }

    /**
     * Signals of new incidents that were refused (counted, not recorded) because the bound of open incidents
     * was reached and no open incident was less severe. See {@link Builder#maxOpenIncidents(int)}.
     *
     * @return the count
     */
    public long overflowSignals() {
        return pipeline.overflow();
    }

    /**
     * Open incidents that were evicted (resolved early, with their final counts and a timeline entry saying
     * so) to make room for a more severe new incident when the bound of open incidents was reached. See
     * {@link Builder#maxOpenIncidents(int)}.
     *
     * @return the count
     * @since 0.1.0
     */
    public long evictedIncidents() {
        return pipeline.evicted();
    }

    /**
     * Registers a listener called on the SDK's pipeline thread for each event before the sinks get it
     * (metrics use it). A listener must be fast and must not throw; exceptions are logged and ignored.
     *
     * @param listener the listener, not {@code null}
     */
    public void onEvent(Consumer<IncidentEvent> listener) {
        Objects.requireNonNull(listener, "listener must not be null");
        pipeline.addListener(listener::accept);
    }

    /**
     * Stops accepting signals and delivers what is queued, waiting at most the close timeout in total (see
     * {@link Builder#closeTimeout(Duration)}). Open incidents get a last UPDATED event with their final
     * counts; they are not resolved. Each sink gets its last events and then its {@link IncidentSink#close()}
     * on its own SDK thread; this method only waits for that, so a sink that hangs in {@code publish} or
     * {@code close} cannot make it wait longer. Events not delivered by the deadline are counted as dropped in
     * {@link #sinkStats()}, and logged. Returns quickly when nothing is queued (the SDK's threads are woken,
     * not polled).
     *
     * <p>Idempotent and thread-safe: the final flush happens once; a concurrent call waits for the first one
     * to finish (at most the close timeout) and a later call returns at once.
     */
    @Override
    public void close() {
        closed = true;
        pipeline.close();
    }

    /** The pipeline, for the SDK's own detectors in this package. */
    IncidentPipeline pipeline() {
        return pipeline;
    }

    private static String defaultInstance() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            host = System.getenv("COMPUTERNAME");
        }
        if (host == null || host.isBlank()) {
            host = "localhost";
        }
        return host + "/" + ProcessHandle.current().pid();
    }

    private final class Handle implements OpenIncident {
        private final String incidentId;
        private final String fingerprint;

        Handle(String incidentId, String fingerprint) {
            this.incidentId = incidentId;
            this.fingerprint = fingerprint;
        }

        @Override
        public String incidentId() {
            return incidentId;
        }

        @Override
        public String fingerprint() {
            return fingerprint;
        }

        @Override
        public OpenIncident note(String text) {
            Objects.requireNonNull(text, "text must not be null");
            pipeline.update(fingerprint, b -> b,
                    new TimelineEntry(Instant.ofEpochMilli(clock.millis()), TimelineEntry.NOTE, text));
            return this;
        }

        @Override
        public OpenIncident severity(Severity severity) {
            Objects.requireNonNull(severity, "severity must not be null");
            pipeline.update(fingerprint, b -> b.severity(severity),
                    new TimelineEntry(Instant.ofEpochMilli(clock.millis()), TimelineEntry.SEVERITY_CHANGED,
                            "severity set to " + severity));
            return this;
        }

        @Override
        public OpenIncident attribute(String key, String value) {
            Objects.requireNonNull(key, "key must not be null");
            Objects.requireNonNull(value, "value must not be null");
            pipeline.update(fingerprint, b -> b.attribute(key, value), null);
            return this;
        }

        @Override
        public void resolve(String detail) {
            pipeline.resolve(fingerprint, detail == null ? "resolved by the application" : Text.field(Text.Field.DETAIL, detail));
        }

        @Override
        public boolean isOpen() {
            return pipeline.isOpen(fingerprint);
        }

        @Override
        public void close() {
            if (isOpen()) {
                resolve("closed by the application");
            }
        }
    }

    /**
     * Configures an {@link IncidentSdk}. Every setter validates its argument at once and names the field
     * and the bound in its exception.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private String serviceName = "unknown-service";
        private String serviceVersion;
        private String environment;
        private String instance;
        private final List<IncidentSink> sinks = new ArrayList<>();
        private Object meterRegistry;
        private Clock clock = Clock.systemUTC();
        private Duration updateInterval = Duration.ofSeconds(10);
        private Duration quietPeriod = Duration.ofMinutes(5);
        private int queueCapacity = 4_096;
        private int sinkQueueCapacity = 4_096;
        private int maxOpenIncidents = 1_000;
        private Duration housekeeping = Duration.ofMillis(250);
        private int sinkAttempts = 3;
        private Duration sinkRetryBackoff = Duration.ofMillis(200);
        private Duration closeTimeout = Duration.ofSeconds(5);
        private TraceCorrelation tracing;

        private Builder() {
        }

        /**
         * Correlates incidents with the application's tracing: each record carries the trace and span active
         * where the signal was recorded (the failing call), and the span is marked with the incident (see
         * {@link TraceCorrelation}; {@code incident-sdk-otel} provides one for OpenTelemetry).
         *
         * @param tracing the correlation, {@code null} for none (the default)
         * @return this builder
         * @since 0.2.0
         */
        public Builder traceCorrelation(TraceCorrelation tracing) {
            this.tracing = tracing;
            return this;
        }

        /**
         * Names the service.
         *
         * @param name    not {@code null} or blank
         * @param version may be {@code null}
         * @return this builder
         */
        public Builder service(String name, String version) {
            Objects.requireNonNull(name, "service name must not be null");
            if (name.isBlank()) {
                throw new IllegalArgumentException("service name must not be blank");
            }
            this.serviceName = name;
            this.serviceVersion = version;
            return this;
        }

        /**
         * Sets the environment (for example {@code prod}).
         *
         * @param environment may be {@code null}
         * @return this builder
         */
        public Builder environment(String environment) {
            this.environment = environment;
            return this;
        }

        /**
         * Sets the instance id; by default {@code $HOSTNAME/pid}.
         *
         * @param instance may be {@code null} for the default
         * @return this builder
         */
        public Builder instance(String instance) {
            this.instance = instance;
            return this;
        }

        /**
         * Adds a sink. Without any sink, events are logged through SLF4J ({@link LoggingSink}).
         *
         * <p>Each sink receives every event once. Adding the same sink instance twice would deliver every
         * event to it twice, so it is refused here, as are two {@link JsonLinesFileSink}s writing one file (they
         * would write every event twice and rotate the file under each other). Distinct sinks of one type are
         * fine; the second gets the name {@code name-2} in {@link #sinkStats()} and metrics.
         *
         * @param sink not {@code null}, not added before
         * @return this builder
         * @throws IllegalArgumentException when this sink, or a file sink for the same file, was already added
         */
        public Builder sink(IncidentSink sink) {
            Objects.requireNonNull(sink, "sink must not be null");
            for (IncidentSink added : sinks) {
                if (added == sink) {
                    throw new IllegalArgumentException("sink \"" + nameOf(sink) + "\" was already added; the same "
                            + "sink added twice would receive every event twice");
                }
                if (added instanceof JsonLinesFileSink first && sink instanceof JsonLinesFileSink second
                        && first.file().toAbsolutePath().normalize().equals(second.file().toAbsolutePath().normalize())) {
                    throw new IllegalArgumentException("file sink for " + second.file() + ": that file is already "
                            + "written by another file sink; two sinks on one file would write every event twice");
                }
            }
            sinks.add(sink);
            return this;
        }

        private static String nameOf(IncidentSink sink) {
            try {
                return Text.clean(sink.name(), 64);
            } catch (RuntimeException e) {
                return sink.getClass().getName();
            }
        }

        /**
         * Publishes the SDK's metrics to a Micrometer registry. Micrometer is an optional dependency: only
         * call this when it is on the class path.
         *
         * @param registry an {@code io.micrometer.core.instrument.MeterRegistry}, not {@code null}
         * @return this builder
         */
        public Builder meterRegistry(io.micrometer.core.instrument.MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "registry must not be null");
            return this;
        }

        /**
         * Sets the clock of every record (tests inject a controllable one).
         *
         * @param clock not {@code null}
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock must not be null");
            return this;
        }

        /**
         * At most one UPDATED event per incident per interval (default 10 s).
         *
         * @param interval between 1 ms and 1 hour
         * @return this builder
         */
        public Builder updateInterval(Duration interval) {
            this.updateInterval = within("updateInterval", interval, Duration.ofMillis(1), Duration.ofHours(1));
            return this;
        }

        /**
         * An incident without new occurrences for this long is resolved (default 5 min).
         *
         * @param quietPeriod between 1 ms and 7 days
         * @return this builder
         */
        public Builder quietPeriod(Duration quietPeriod) {
            this.quietPeriod = within("quietPeriod", quietPeriod, Duration.ofMillis(1), Duration.ofDays(7));
            return this;
        }

        /**
         * Capacity of each sink's queue (default 4096). Events beyond it are dropped and counted.
         *
         * @param capacity between 1 and 1,000,000
         * @return this builder
         */
        public Builder sinkQueueCapacity(int capacity) {
            this.sinkQueueCapacity = within("sinkQueueCapacity", capacity, 1, 1_000_000);
            return this;
        }

        /**
         * How many incidents may be open at once (default 1000). Also sizes the internal queue. The SDK's own
         * health incidents ({@link IncidentKind#SINK_DEGRADED}: one per sink, and the overflow incident) do not
         * count against the bound and are never refused.
         *
         * <p>When the bound is full, a signal of a new fingerprint takes the place of the least important open
         * incident, provided that one is less severe than the signal. The least important is the one of lowest
         * severity; among equals, one the SDK opened goes before one the application holds a handle on
         * ({@link IncidentSdk#open}), then the least recently seen. The evicted incident is not lost silently:
         * it ends at once with a RESOLVED event carrying its final counts and a timeline entry saying it was
         * evicted and for what, and is counted in {@link IncidentSdk#evictedIncidents()}. A signal no more
         * severe than every open incident (so a storm of distinct incidents cannot churn the open ones) is
         * refused: counted in {@link IncidentSdk#overflowSignals()}, not recorded.
         *
         * <p>Both are reported as one aggregated incident of kind {@code SINK_DEGRADED} (incident data was lost
         * before reaching the sinks) with fingerprint {@link IncidentSdk#OVERFLOW_FINGERPRINT}: its attributes
         * {@code refused}, {@code refused.<KIND>}, {@code evicted} and {@code maxOpenIncidents} hold the counts;
         * its severity is WARNING, raised to that of the most severe refused signal. Micrometer:
         * {@code incident.overflow} tagged {@code outcome=refused|evicted}.
         *
         * @param max between 1 and 1,000,000
         * @return this builder
         */
        public Builder maxOpenIncidents(int max) {
            this.maxOpenIncidents = within("maxOpenIncidents", max, 1, 1_000_000);
            this.queueCapacity = Math.max(16, Math.min(max, 65_536));
            return this;
        }

        /**
         * How often the SDK thread looks for due updates and quiet incidents (default 250 ms).
         *
         * @param interval between 1 ms and 1 minute
         * @return this builder
         */
        public Builder housekeepingInterval(Duration interval) {
            this.housekeeping = within("housekeepingInterval", interval, Duration.ofMillis(1), Duration.ofMinutes(1));
            return this;
        }

        /**
         * Delivery attempts per event and sink, and the pause before the second (doubled for each further
         * one). Defaults: 3 attempts, 200 ms.
         *
         * @param attempts between 1 and 10
         * @param backoff  between 0 and 1 minute
         * @return this builder
         */
        public Builder sinkRetries(int attempts, Duration backoff) {
            this.sinkAttempts = within("sinkAttempts", attempts, 1, 10);
            this.sinkRetryBackoff = within("sinkRetryBackoff", backoff, Duration.ZERO, Duration.ofMinutes(1));
            return this;
        }

        /**
         * How long {@link IncidentSdk#close()} waits in total for the final flush, the delivery of queued events
         * and the sinks' {@code close()} (default 5 s). What is undelivered then is counted as dropped.
         *
         * @param timeout between 0 and 10 minutes
         * @return this builder
         */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = within("closeTimeout", timeout, Duration.ZERO, Duration.ofMinutes(10));
            return this;
        }

        /**
         * Builds and starts the SDK (its threads are daemons).
         *
         * @return a running SDK; close it to flush
         */
        public IncidentSdk build() {
            return new IncidentSdk(this);
        }

        private static Duration within(String field, Duration value, Duration min, Duration max) {
            Objects.requireNonNull(value, field + " must not be null");
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new IllegalArgumentException(field + " must be between " + min + " and " + max + ", was " + value);
            }
            return value;
        }

        private static int within(String field, int value, int min, int max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(field + " must be between " + min + " and " + max + ", was " + value);
            }
            return value;
        }
    }
}
