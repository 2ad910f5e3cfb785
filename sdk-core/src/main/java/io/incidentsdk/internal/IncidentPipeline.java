package io.incidentsdk.internal;

import io.incidentsdk.Fingerprint;
import io.incidentsdk.Incident;
import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.SinkStats;
import io.incidentsdk.TimelineEntry;
import io.incidentsdk.sink.IncidentSink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aggregates signals by fingerprint into open incidents and turns their changes into events on one daemon
 * thread ({@code incident-sdk-pipeline}), which fans them out to one {@link SinkChannel} per sink.
 *
 * <p>Application threads only touch the map of open incidents and lock-free counters, and hand an
 * incident that needs attention to the pipeline thread through a bounded queue in which each incident is
 * at most once; they never build events, never block and never see an exception of ours. The pipeline
 * thread also sweeps all open incidents periodically, so nothing is lost when the queue is full: an
 * incident whose OPENED event could not be queued is announced at the next sweep.
 */
public final class IncidentPipeline implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IncidentPipeline.class);

    /** Told about every event the pipeline emits. Must not throw. */
    @FunctionalInterface
    public interface EventListener {
        /**
         * Called on the pipeline thread for each event, before it is handed to the sinks.
         *
         * @param event the event
         */
        void emitted(IncidentEvent event);
    }

    private final PipelineSettings settings;
    private final Map<String, IncidentState> open = new ConcurrentHashMap<>();
    private final BlockingQueue<IncidentState> attention;
    /** Ended incidents whose RESOLVED event is not out yet; holds at most what the map held. */
    private final Queue<IncidentState> ended = new ConcurrentLinkedQueue<>();
    private final List<SinkChannel> channels = new ArrayList<>();
    private final List<EventListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong overflow = new AtomicLong();
    private final RateLimitedLogger warnings = new RateLimitedLogger(LOG, 10_000);
    private final long updateIntervalMillis;
    private final long quietMillis;
    private final Thread thread;
    private volatile boolean closing;
    private volatile boolean closed;

    /**
     * Creates and starts a pipeline.
     *
     * @param settings the settings
     * @param sinks    the sinks, each getting its own channel
     */
    public IncidentPipeline(PipelineSettings settings, List<IncidentSink> sinks) {
        this.settings = settings;
        this.updateIntervalMillis = settings.updateInterval().toMillis();
        this.quietMillis = settings.quietPeriod().toMillis();
        this.attention = new ArrayBlockingQueue<>(settings.queueCapacity());
        List<String> names = new ArrayList<>();
        for (IncidentSink sink : sinks) {
            String name = uniqueName(sink, names);
            names.add(name);
            channels.add(new SinkChannel(sink, name, settings.sinkQueueCapacity(), settings.sinkAttempts(),
                    settings.sinkRetryBackoff().toMillis(), this::sinkDropped));
        }
        this.thread = new Thread(this::run, "incident-sdk-pipeline");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private static String uniqueName(IncidentSink sink, List<String> taken) {
        String base;
        try {
            base = Text.clean(sink.name(), 64);
        } catch (RuntimeException e) {
            base = null;
        }
        if (base == null || base.isEmpty()) {
            base = "sink";
        }
        String name = base;
        for (int i = 2; taken.contains(name); i++) {
            name = base + "-" + i;
        }
        return name;
    }

    /**
     * Adds a listener for emitted events.
     *
     * @param listener the listener
     */
    public void addListener(EventListener listener) {
        listeners.add(listener);
    }

    /**
     * Records one signal: opens an incident for a new fingerprint, or counts a repeat of an open one.
     *
     * @param incident the signal's details; service and times are set here
     * @return the id of the incident the signal was counted in, {@code null} when it was not recorded
     */
    public String record(Incident incident) {
        return record(incident, false);
    }

    /**
     * Records one signal, like {@link #record(Incident)}.
     *
     * @param incident the signal's details
     * @param manual   whether the application holds a handle on the incident: then only the application
     *                 resolves it, the quiet period does not
     * @return the id of the incident the signal was counted in, {@code null} when it was not recorded
     */
    public String record(Incident incident, boolean manual) {
        if (closed) {
            return null;
        }
        long now = settings.clock().millis();
        for (int tries = 0; tries < 3; tries++) {
            IncidentState state = open.get(incident.fingerprint());
            if (state == null) {
                if (open.size() >= settings.maxOpenIncidents()) {
                    overflow.incrementAndGet();
                    warnings.warn("Incident SDK holds {} open incidents, the bound; a new incident ({}) was counted "
                            + "but not recorded", null, open.size(), incident.kind());
                    return null;
                }
                IncidentState created = new IncidentState(prepare(incident, now), now);
                created.manual = manual;
                state = open.putIfAbsent(created.fingerprint, created);
                if (state == null) {
                    created.nextUpdateAt.set(now + updateIntervalMillis);
                    requestAttention(created);
                    return created.incidentId;
                }
            }
            if (state.count(now)) {
                if (manual) {
                    state.manual = true;
                }
                if (state.isNews(incident)) {
                    state.merge(incident);
                }
                if (now >= state.nextUpdateAt.get()) {
                    requestAttention(state);
                }
                return state.incidentId;
            }
            // the incident ended between get and count: remove it and open a new one
            open.remove(state.fingerprint, state);
        }
        return null;
    }

    /**
     * Counts one more occurrence of an open incident without building a record.
     *
     * @param fingerprint the fingerprint
     * @return {@code false} when no incident with this fingerprint is open
     */
    public boolean recordRepeat(String fingerprint) {
        IncidentState state = open.get(fingerprint);
        if (state == null || closed) {
            return false;
        }
        long now = settings.clock().millis();
        if (!state.count(now)) {
            return false;
        }
        if (now >= state.nextUpdateAt.get()) {
            requestAttention(state);
        }
        return true;
    }

    /**
     * Whether an incident with this fingerprint is open.
     *
     * @param fingerprint the fingerprint
     * @return {@code true} when open
     */
    public boolean isOpen(String fingerprint) {
        IncidentState state = open.get(fingerprint);
        return state != null && !state.isClosed();
    }

    /**
     * Changes an open incident; a no-op when it is no longer open.
     *
     * @param fingerprint the fingerprint
     * @param change      the change of the details
     * @param entry       a timeline entry to add, may be {@code null}
     * @return {@code true} when the incident was open
     */
    public boolean update(String fingerprint, UnaryOperator<Incident.Builder> change, TimelineEntry entry) {
        IncidentState state = open.get(fingerprint);
        if (state == null || state.isClosed()) {
            return false;
        }
        state.update(change, entry);
        requestAttention(state);
        return true;
    }

    /**
     * Asks for an open incident to be resolved.
     *
     * @param fingerprint the fingerprint
     * @param detail      why, for the timeline
     * @return {@code true} when the incident was open
     */
    public boolean resolve(String fingerprint, String detail) {
        IncidentState state = open.get(fingerprint);
        return state != null && end(state, settings.clock().millis(), detail == null ? "resolved" : detail);
    }

    /**
     * Ends an incident at once, so that a signal arriving right after opens a new one; the RESOLVED event
     * follows on the pipeline thread.
     */
    private boolean end(IncidentState state, long now, String detail) {
        long count = state.close();
        if (count < 0) {
            return false;
        }
        state.finalOccurrences = count;
        state.resolvedAtMillis = now;
        state.resolveDetail = detail;
        open.remove(state.fingerprint, state);
        ended.add(state); // the pipeline thread looks at least every 20 ms
        return true;
    }

    private Incident prepare(Incident incident, long now) {
        Instant at = Instant.ofEpochMilli(now);
        Incident.Builder b = incident.toBuilder().service(settings.service()).firstSeen(at).lastSeen(at);
        if (incident.timeline().isEmpty()) {
            b.timeline(new TimelineEntry(at, TimelineEntry.DETECTED, incident.kind().name() + " detected"));
        }
        return b.build();
    }

    private void requestAttention(IncidentState state) {
        if (state.queued.compareAndSet(false, true) && !attention.offer(state)) {
            // the periodic sweep will find it
            state.queued.set(false);
        }
    }

    private void run() {
        long housekeepingNanos = settings.housekeeping().toNanos();
        long nextSweep = System.nanoTime() + housekeepingNanos;
        while (!closing) {
            try {
                IncidentState state = attention.poll(Math.max(1, Math.min(nextSweep - System.nanoTime(),
                        TimeUnit.MILLISECONDS.toNanos(20))), TimeUnit.NANOSECONDS);
                if (state != null) {
                    state.queued.set(false);
                    process(state, settings.clock().millis(), false);
                }
                drainEnded();
                if (System.nanoTime() - nextSweep >= 0) {
                    sweep(false);
                    nextSweep = System.nanoTime() + housekeepingNanos;
                }
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                warnings.warn("Incident SDK pipeline step failed; continuing", e);
            }
        }
    }

    private void drainEnded() {
        IncidentState state;
        while ((state = ended.poll()) != null) {
            announce(state);
            Instant at = Instant.ofEpochMilli(state.resolvedAtMillis);
            emit(IncidentEvent.Type.RESOLVED, state.snapshot(state.finalOccurrences, at,
                    new TimelineEntry(at, TimelineEntry.RESOLVED, state.resolveDetail)));
        }
    }

    private void sweep(boolean flush) {
        long now = settings.clock().millis();
        for (IncidentState state : open.values()) {
            process(state, now, flush);
        }
        drainEnded();
    }

    private void announce(IncidentState state) {
        if (!state.announced) {
            // nextUpdateAt stays as set when the incident was opened: the interval counts from the first signal
            state.announced = true;
            state.dirty = false;
            long count = state.resolveDetail != null ? state.finalOccurrences : state.occurrences.get();
            emit(IncidentEvent.Type.OPENED, state.snapshot(count, null, null));
        }
    }

    /** Emits whatever an open incident is due: OPENED, a throttled UPDATED, or its end. Pipeline thread only. */
    private void process(IncidentState state, long now, boolean flush) {
        if (state.isClosed()) {
            return; // its RESOLVED event comes from the ended queue
        }
        announce(state);
        if (!state.manual && now - state.lastSeenMillis >= quietMillis) {
            end(state, now, "no new occurrence for " + settings.quietPeriod().toSeconds() + " s");
            return;
        }
        if (state.dirty && (flush || now >= state.nextUpdateAt.get())) {
            state.dirty = false;
            state.nextUpdateAt.set(now + updateIntervalMillis);
            emit(IncidentEvent.Type.UPDATED, state.snapshot(state.occurrences.get(), null, null));
        }
    }

    private void emit(IncidentEvent.Type type, Incident snapshot) {
        long now = settings.clock().millis();
        IncidentEvent event = new IncidentEvent(IncidentEvent.SCHEMA_VERSION, Uuid7.at(now).toString(), type,
                Instant.ofEpochMilli(now), snapshot);
        for (EventListener listener : listeners) {
            try {
                listener.emitted(event);
            } catch (RuntimeException e) {
                warnings.warn("Incident event listener failed", e);
            }
        }
        for (SinkChannel channel : channels) {
            channel.offer(event);
        }
    }

    private void sinkDropped(SinkChannel channel, String reason) {
        if (closing) {
            return;
        }
        // Reported as an incident of its own; aggregation keeps a failing sink from causing a storm.
        record(Incident.builder(IncidentKind.SINK_DEGRADED, "Incident sink " + channel.name() + " is dropping events")
                .fingerprint(Fingerprint.of(IncidentKind.SINK_DEGRADED, channel.name()))
                .summary("Events for sink " + channel.name() + " were dropped (" + reason + "); see the sink's "
                        + "delivered/failed/dropped counters.")
                .attribute("sink", channel.name())
                .build());
    }

    /**
     * Counters of each sink.
     *
     * @return one entry per sink
     */
    public List<SinkStats> sinkStats() {
        List<SinkStats> stats = new ArrayList<>(channels.size());
        for (SinkChannel channel : channels) {
            stats.add(channel.stats());
        }
        return stats;
    }

    /**
     * Incidents currently open.
     *
     * @return the number of open incidents
     */
    public int openIncidents() {
        return open.size();
    }

    /**
     * Incidents waiting for the pipeline thread.
     *
     * @return the attention queue size
     */
    public int queueSize() {
        return attention.size();
    }

    /**
     * Signals for new incidents that were counted but not recorded because too many were open.
     *
     * @return the overflow count
     */
    public long overflow() {
        return overflow.get();
    }

    /**
     * Delivers what is pending, within the close timeout: the final counts of every open incident (an
     * UPDATED event where they changed), then what the sinks have queued. Open incidents stay open (they
     * are not resolved by a shutdown).
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        long deadline = System.nanoTime() + settings.closeTimeout().toNanos();
        closing = true;
        thread.interrupt();
        try {
            thread.join(Math.max(1, settings.closeTimeout().toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closed = true;
        try {
            IncidentState state;
            while ((state = attention.poll()) != null) {
                state.queued.set(false);
            }
            sweep(true);
        } catch (RuntimeException e) {
            LOG.warn("Incident SDK could not flush open incidents on close", e);
        }
        for (SinkChannel channel : channels) {
            channel.stopAccepting();
        }
        for (SinkChannel channel : channels) {
            if (!channel.awaitDrained(deadline)) {
                LOG.warn("Incident sink {} did not finish delivering within {}", channel.name(),
                        settings.closeTimeout());
            }
        }
        for (SinkChannel channel : channels) {
            channel.closeSink();
        }
    }
}
