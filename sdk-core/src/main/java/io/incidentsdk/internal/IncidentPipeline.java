package io.incidentsdk.internal;

import io.incidentsdk.Fingerprint;
import io.incidentsdk.Incident;
import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.Severity;
import io.incidentsdk.SinkStats;
import io.incidentsdk.TimeSeries;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;
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
 *
 * <p><b>The bound of open incidents.</b> At most {@code maxOpenIncidents} incidents are open at once, plus the
 * SDK's own health incidents ({@code SINK_DEGRADED}: one per sink and the overflow incident), which are never
 * refused. When the bound is full, a signal for a new fingerprint takes the place of the least important
 * open incident, if one is less important than the signal: of lower severity; among those the lowest
 * severity first, then incidents the SDK opened before those the application holds a handle on, then the
 * least recently seen. The evicted incident ends at once with a RESOLVED event carrying its final counts and
 * a timeline entry saying it was evicted and for what. A signal no more severe than every open incident is
 * refused: counted, not recorded. Both outcomes are counted ({@link #overflow()}, {@link #evicted()}) and
 * reported as one aggregated incident of kind {@code SINK_DEGRADED} with fingerprint
 * {@link #OVERFLOW_FINGERPRINT}: incident data was lost before reaching the sinks, which is what that kind
 * reports. Its attributes count the refused signals (in all and per kind) and the evicted incidents; its
 * severity is WARNING, raised to that of the most severe refused signal.
 *
 * <p><b>Closing.</b> {@link #close()} is bounded by the close timeout in total: the pipeline thread is woken
 * to flush the final counts and hand the sinks their last events, each sink's own thread delivers them and
 * closes its sink, and the caller only waits, until the deadline. Whatever is still undelivered then is
 * counted as dropped. A concurrent second {@code close()} waits for the first one (at most its own timeout)
 * and flushes nothing itself.
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

    /** The fingerprint of the incident that reports the overflow of the bound of open incidents. */
    public static final String OVERFLOW_FINGERPRINT = Fingerprint.of(IncidentKind.SINK_DEGRADED, "open-incident-bound");

    private static final IncidentKind[] KINDS = IncidentKind.values();

    private final PipelineSettings settings;
    private final Map<String, IncidentState> open = new ConcurrentHashMap<>();
    private final BlockingQueue<IncidentState> attention;
    /** Ended incidents whose RESOLVED event is not out yet; holds at most what the map held. */
    private final Queue<IncidentState> ended = new ConcurrentLinkedQueue<>();
    private final List<SinkChannel> channels = new ArrayList<>();
    private final List<EventListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong overflow = new AtomicLong();
    private final AtomicLong evicted = new AtomicLong();
    /** Open incidents under the bound, per severity ordinal. */
    private final AtomicIntegerArray openBySeverity = new AtomicIntegerArray(Severity.values().length);
    private final AtomicBoolean closeStarted = new AtomicBoolean();
    private final CountDownLatch closeFinished = new CountDownLatch(1);
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
        return record(incident, manual, true);
    }

    /**
     * Records one signal.
     *
     * @param bounded whether a new incident counts against the bound of open incidents (the SDK's own
     *                health incidents do not: there is one per sink, and they must never be refused)
     */
    private String record(Incident incident, boolean manual, boolean bounded) {
        if (closed) {
            return null;
        }
        long now = settings.clock().millis();
        for (int tries = 0; tries < 3; tries++) {
            IncidentState state = open.get(incident.fingerprint());
            if (state == null) {
                if (bounded && openUnderBound() >= settings.maxOpenIncidents() && !makeRoom(incident, now)) {
                    refused(incident, now);
                    return null;
                }
                IncidentState created = new IncidentState(prepare(incident, now), now,
                        bounded ? openBySeverity : null, null);
                created.manual = manual;
                created.acquire();
                state = open.putIfAbsent(created.fingerprint, created);
                if (state == null) {
                    created.nextUpdateAt.set(now + updateIntervalMillis);
                    requestAttention(created);
                    return created.incidentId;
                }
                created.release();
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

    private int openUnderBound() {
        int sum = 0;
        for (int i = 0; i < openBySeverity.length(); i++) {
            sum += openBySeverity.get(i);
        }
        return sum;
    }

    /**
     * Evicts the least important open incident when it is less severe than {@code incident}.
     *
     * @return {@code true} when room was made
     */
    private boolean makeRoom(Incident incident, long now) {
        int severity = incident.severity().ordinal();
        boolean lessSevereOpen = false;
        for (int i = 0; i < severity && !lessSevereOpen; i++) {
            lessSevereOpen = openBySeverity.get(i) > 0;
        }
        if (!lessSevereOpen) {
            return false; // the common case of a full bound costs no scan
        }
        IncidentState victim = null;
        for (int tries = 0; tries < 3; tries++) {
            IncidentState candidate = leastImportantBelow(severity);
            if (candidate == null) {
                return false;
            }
            if (end(candidate, now, "evicted: the bound of " + settings.maxOpenIncidents() + " open incidents was "
                    + "reached and a more severe " + incident.kind() + " incident (" + incident.severity()
                    + ") took its place")) {
                victim = candidate;
                break;
            }
            // another thread ended it first: look again
        }
        if (victim == null) {
            return false;
        }
        evicted.incrementAndGet();
        countOverflow(null, now);
        warnings.warn("Incident SDK holds {} open incidents, the bound; a {} incident was evicted for a new {} "
                + "incident ({})", null, settings.maxOpenIncidents(), Severity.values()[victim.severityOrdinal],
                incident.kind(), incident.severity());
        return true;
    }

    private IncidentState leastImportantBelow(int severity) {
        IncidentState victim = null;
        for (IncidentState candidate : open.values()) {
            if (candidate.isBounded() && !candidate.isClosed() && candidate.severityOrdinal < severity
                    && (victim == null || lessImportant(candidate, victim))) {
                victim = candidate;
            }
        }
        return victim;
    }

    /** Lower severity first, then incidents of the SDK before those of the application, then least recently seen. */
    private static boolean lessImportant(IncidentState a, IncidentState b) {
        if (a.severityOrdinal != b.severityOrdinal) {
            return a.severityOrdinal < b.severityOrdinal;
        }
        if (a.manual != b.manual) {
            return !a.manual;
        }
        return a.lastSeenMillis < b.lastSeenMillis;
    }

    private void refused(Incident incident, long now) {
        overflow.incrementAndGet();
        countOverflow(incident, now);
        warnings.warn("Incident SDK holds {} open incidents, the bound; a new incident ({}, {}) was counted "
                + "but not recorded", null, settings.maxOpenIncidents(), incident.kind(), incident.severity());
    }

    /**
     * Counts a refused signal ({@code refused} not {@code null}) or an eviction in the overflow incident,
     * opening it when needed. Outside the bound, so it is never refused itself.
     */
    private void countOverflow(Incident refused, long now) {
        for (int tries = 0; tries < 3; tries++) {
            IncidentState state = open.get(OVERFLOW_FINGERPRINT);
            if (state == null) {
                OverflowCounts counts = new OverflowCounts(settings.maxOpenIncidents());
                IncidentState created = new IncidentState(prepare(counts.template(), now), now, null, counts::describe);
                created.overflowCounts = counts;
                counts.add(refused);
                state = open.putIfAbsent(OVERFLOW_FINGERPRINT, created);
                if (state == null) {
                    raiseOverflowSeverity(created, refused, now);
                    created.nextUpdateAt.set(now + updateIntervalMillis);
                    requestAttention(created);
                    return;
                }
            }
            if (state.overflowCounts == null) {
                return; // an incident of the application took this fingerprint: the metrics still count
            }
            if (state.count(now)) {
                state.overflowCounts.add(refused);
                raiseOverflowSeverity(state, refused, now);
                if (now >= state.nextUpdateAt.get()) {
                    requestAttention(state);
                }
                return;
            }
            open.remove(state.fingerprint, state);
        }
    }

    private static void raiseOverflowSeverity(IncidentState state, Incident refused, long now) {
        if (refused != null && refused.severity().ordinal() > state.severityOrdinal) {
            Severity severity = refused.severity();
            state.update(b -> b.severity(severity), new TimelineEntry(Instant.ofEpochMilli(now),
                    TimelineEntry.SEVERITY_CHANGED, "a refused " + refused.kind() + " signal raised the severity to "
                    + severity));
        }
    }

    /** What one overflow incident counted. */
    static final class OverflowCounts {
        private final int bound;
        private final AtomicLong refused = new AtomicLong();
        private final AtomicLong evicted = new AtomicLong();
        private final AtomicLongArray refusedByKind = new AtomicLongArray(KINDS.length);

        OverflowCounts(int bound) {
            this.bound = bound;
        }

        void add(Incident refusedSignal) {
            if (refusedSignal == null) {
                evicted.incrementAndGet();
            } else {
                refused.incrementAndGet();
                refusedByKind.incrementAndGet(refusedSignal.kind().ordinal());
            }
        }

        Incident template() {
            return Incident.builder(IncidentKind.SINK_DEGRADED, "Incident SDK open-incident bound reached")
                    .fingerprint(OVERFLOW_FINGERPRINT)
                    .severity(Severity.WARNING)
                    .build();
        }

        /** Fills in the counts; on the pipeline thread, in every snapshot. */
        Incident.Builder describe(Incident.Builder b) {
            long r = refused.get();
            long e = evicted.get();
            b.summary("The bound of " + bound + " open incidents was reached: " + r + " signals of new incidents "
                    + "were refused (counted, not recorded) and " + e + " less severe open incidents were evicted "
                    + "(resolved early, their timeline says so). Look for the cause of so many distinct incidents, "
                    + "or raise maxOpenIncidents.")
                    .attribute("maxOpenIncidents", Integer.toString(bound))
                    .attribute("refused", Long.toString(r))
                    .attribute("evicted", Long.toString(e));
            for (IncidentKind kind : KINDS) {
                long n = refusedByKind.get(kind.ordinal());
                if (n > 0) {
                    b.attribute("refused." + kind.name(), Long.toString(n));
                }
            }
            return b;
        }
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
     * The id of the open incident with this fingerprint.
     *
     * @param fingerprint the fingerprint
     * @return the id, {@code null} when none is open
     */
    public String openIncidentId(String fingerprint) {
        IncidentState state = open.get(fingerprint);
        return state == null ? null : state.incidentId;
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
     * Gives an open incident a live time series: from now on every snapshot of it (its UPDATED and RESOLVED events,
     * and its OPENED event when it is not out yet) carries what {@code series} gives at that moment, in place of
     * the recorded one. The supplier is called on the pipeline thread under the incident's monitor: it must not
     * block nor take a lock that is held while calling into this pipeline; when it throws or gives {@code null},
     * the recorded series stays.
     *
     * @param fingerprint the fingerprint
     * @param incidentId  the id of the open incident meant (a later incident of the same fingerprint is another one)
     * @param series      the series now
     * @return {@code true} when that incident was open
     */
    public boolean attachSeries(String fingerprint, String incidentId, Supplier<TimeSeries> series) {
        IncidentState state = open.get(fingerprint);
        if (state == null || state.isClosed() || !state.incidentId.equals(incidentId)) {
            return false;
        }
        state.seriesSource = series;
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
        state.release();
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
                break; // close() wakes this thread
            } catch (RuntimeException e) {
                warnings.warn("Incident SDK pipeline step failed; continuing", e);
            }
        }
        // closing: the final counts go out from this thread, so nothing races with a step still running
        Thread.interrupted();
        try {
            IncidentState state;
            while ((state = attention.poll()) != null) {
                state.queued.set(false);
            }
            sweep(true);
        } catch (RuntimeException e) {
            LOG.warn("Incident SDK could not flush open incidents on close", e);
        } finally {
            for (SinkChannel channel : channels) {
                channel.finish();
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

    private void sinkDropped(SinkChannel channel, String reason, boolean droppedEvents) {
        if (closing) {
            return;
        }
        // Reported as an incident of its own; aggregation keeps a failing sink from causing a storm.
        String summary = droppedEvents
                ? "Events for sink " + channel.name() + " were dropped (" + reason + "); see the sink's "
                        + "delivered/failed/dropped counters."
                : "Delivery through sink " + channel.name() + " is at risk: " + reason + ".";
        String title = droppedEvents ? "Incident sink " + channel.name() + " is dropping events"
                : "Incident sink " + channel.name() + " is degraded";
        record(Incident.builder(IncidentKind.SINK_DEGRADED, title)
                .fingerprint(Fingerprint.of(IncidentKind.SINK_DEGRADED, channel.name()))
                .summary(summary)
                .attribute("sink", channel.name())
                .build(), false, false);
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
     * Open incidents that were evicted to make room for a more severe one.
     *
     * @return the eviction count
     */
    public long evicted() {
        return evicted.get();
    }

    /**
     * Stops accepting signals and delivers what is pending, within the close timeout in total: the final
     * counts of every open incident (an UPDATED event where they changed), then what the sinks have queued,
     * then each sink is closed on its own thread. Open incidents stay open (they are not resolved by a
     * shutdown). What is undelivered at the deadline is counted as dropped. A concurrent or later call waits
     * for the first one, at most the close timeout, and does nothing else.
     */
    @Override
    public void close() {
        if (!closeStarted.compareAndSet(false, true)) {
            awaitUninterruptibly(closeFinished, System.nanoTime() + settings.closeTimeout().toNanos());
            return;
        }
        try {
            long deadline = System.nanoTime() + settings.closeTimeout().toNanos();
            for (SinkChannel channel : channels) {
                channel.closeBy(deadline); // before any channel can reach its sink's close()
            }
            closed = true;
            closing = true;
            if (Thread.currentThread() == thread) {
                return; // closed from a listener: this thread flushes and finishes the sinks once it returns
            }
            thread.interrupt(); // wakes the pipeline thread for the final flush
            if (!SinkChannel.joinUntil(thread, deadline)) {
                LOG.warn("Incident SDK could not flush open incidents within {}", settings.closeTimeout());
            }
            for (SinkChannel channel : channels) {
                channel.awaitFinished(deadline);
            }
        } finally {
            closeFinished.countDown();
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch, long deadlineNanos) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
                break;
            } catch (InterruptedException e) {
                interrupted = true; // bounded wait: finish it, then pass the interrupt on
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
