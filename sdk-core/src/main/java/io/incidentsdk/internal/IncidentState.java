package io.incidentsdk.internal;

import io.incidentsdk.Incident;
import io.incidentsdk.Severity;
import io.incidentsdk.TimeSeries;
import io.incidentsdk.TimelineEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The mutable state of one open incident. Application threads only count (lock-free); details change
 * under the state's monitor, which only rare operations take (a note, a severity change, a repeat that
 * carries new retry or impact data).
 *
 * <p>An incident that counts against the bound of open incidents is counted in the pipeline's open
 * incidents per severity from {@link #acquire()} to {@link #release()}; a severity change moves it.
 */
final class IncidentState {

    /** Added to {@link #occurrences} when the incident ends: later increments see a negative value. */
    private static final long CLOSED = Long.MIN_VALUE / 2;

    final String fingerprint;
    final String incidentId;
    final AtomicLong occurrences = new AtomicLong(1);
    final AtomicBoolean queued = new AtomicBoolean();
    final AtomicLong nextUpdateAt = new AtomicLong();
    volatile long lastSeenMillis;
    volatile boolean dirty;
    volatile boolean announced;
    /** Why the incident ended; set once, by whoever closed it. */
    volatile String resolveDetail;
    /** When the incident ended (epoch millis); valid once {@link #resolveDetail} is set. */
    volatile long resolvedAtMillis;
    /** The final number of occurrences; valid once {@link #resolveDetail} is set. */
    volatile long finalOccurrences;
    /** Opened through a handle: only the application resolves it, never the quiet period. */
    volatile boolean manual;
    /** Set on the overflow incident only, before it is published in the map of open incidents. */
    IncidentPipeline.OverflowCounts overflowCounts;
    /** The ordinal of the current severity, readable without the monitor. */
    volatile int severityOrdinal;
    /** Details of the incident: everything but the counters. Replaced under the monitor. */
    private Incident details;
    private final List<TimelineEntry> timeline = new ArrayList<>();
    /** Open incidents per severity ordinal, for those under the bound; {@code null} for the SDK's own. */
    private final AtomicIntegerArray openBySeverity;
    /** Whether this incident is counted in {@link #openBySeverity}. Guarded by the monitor. */
    private boolean counted;
    /** Gives the incident's time series as it is now, for every snapshot; {@code null} when it has none. */
    volatile Supplier<TimeSeries> seriesSource;
    /** Fills in live details (counters kept elsewhere) in every snapshot; may be {@code null}. */
    private final UnaryOperator<Incident.Builder> live;

    IncidentState(Incident details, long nowMillis) {
        this(details, nowMillis, null, null);
    }

    /**
     * Creates the state of a new incident.
     *
     * @param openBySeverity where an incident under the bound is counted, {@code null} for one outside it
     * @param live           applied to every snapshot, {@code null} for none
     */
    IncidentState(Incident details, long nowMillis, AtomicIntegerArray openBySeverity,
                  UnaryOperator<Incident.Builder> live) {
        this.openBySeverity = openBySeverity;
        this.live = live;
        this.fingerprint = details.fingerprint();
        this.incidentId = details.incidentId();
        this.details = details;
        this.lastSeenMillis = nowMillis;
        this.timeline.addAll(details.timeline());
        this.occurrences.set(details.occurrences());
        this.severityOrdinal = details.severity().ordinal();
    }

    /**
     * Counts one more occurrence.
     *
     * @return {@code false} when the incident already ended (the caller opens a new one)
     */
    boolean count(long nowMillis) {
        if (occurrences.getAndIncrement() < 0) {
            return false;
        }
        if (nowMillis > lastSeenMillis) {
            // racy maximum: a lost update costs microseconds of lastSeen accuracy, never a count
            lastSeenMillis = nowMillis;
        }
        if (!dirty) {
            dirty = true;
        }
        return true;
    }

    /** Whether the incident counts against the bound of open incidents. */
    boolean isBounded() {
        return openBySeverity != null;
    }

    /** Counts the incident in the open incidents per severity (before it becomes visible). */
    synchronized void acquire() {
        if (openBySeverity != null && !counted) {
            counted = true;
            openBySeverity.incrementAndGet(severityOrdinal);
        }
    }

    /** Takes the incident out of the open incidents per severity; once only. */
    synchronized void release() {
        if (counted) {
            counted = false;
            openBySeverity.decrementAndGet(severityOrdinal);
        }
    }

    /** Ends counting; returns the final number of occurrences, or -1 when it had already ended. */
    long close() {
        long before = occurrences.getAndAdd(CLOSED);
        return before < 0 ? -1 : before;
    }

    boolean isClosed() {
        return occurrences.get() < 0;
    }

    /** Whether a repeat carries anything {@link #merge} would take. */
    boolean isNews(Incident repeat) {
        return repeat.retry() != null || repeat.impact() != null || !repeat.timeline().isEmpty()
                || repeat.severity().ordinal() > severityOrdinal || !repeat.statements().isEmpty();
    }

    /** Takes what a repeated signal adds to the details: a higher severity, newer retry or impact data. */
    synchronized void merge(Incident repeat) {
        Severity severity = details.severity().atLeast(repeat.severity());
        boolean newRetry = repeat.retry() != null && !repeat.retry().equals(details.retry());
        boolean newImpact = repeat.impact() != null && !repeat.impact().equals(details.impact());
        boolean newDetails = !repeat.statements().isEmpty() && (!repeat.statements().equals(details.statements())
                || !repeat.attributes().equals(details.attributes())
                || !java.util.Objects.equals(repeat.summary(), details.summary()));
        if (severity == details.severity() && !newRetry && !newImpact && !newDetails && repeat.timeline().isEmpty()) {
            return;
        }
        Incident.Builder b = newDetails ? latestOccurrence(repeat) : details.toBuilder();
        b.severity(severity);
        if (newRetry) {
            b.retry(repeat.retry());
        }
        if (newImpact) {
            b.impact(repeat.impact());
        }
        repeat.timeline().forEach(this::addTimeline);
        details = b.build();
        severityChanged(details.severity().ordinal());
        dirty = true;
    }

    /**
     * The details of the latest occurrence (statements, summary, error, hints, attributes, database) under the
     * incident's identity: its id, fingerprint, title, first sighting, retry and impact stay the incident's.
     * Later events then show what happened last, not what happened first (DESIGN section 7).
     */
    private Incident.Builder latestOccurrence(Incident repeat) {
        Incident.Builder b = repeat.toBuilder()
                .title(details.title())
                .incidentId(details.incidentId())
                .fingerprint(details.fingerprint())
                .firstSeen(details.firstSeen())
                .retry(details.retry())
                .impact(details.impact())
                .service(details.service())
                .timeline(List.of());
        if (repeat.database() == null) {
            b.database(details.database());
        }
        if (repeat.error() == null) {
            b.error(details.error());
        }
        if (repeat.trace() == null) {
            b.trace(details.trace());
        }
        if (repeat.series() == null) {
            b.series(details.series());
        }
        // attributes of the first occurrence that the latest does not set stay (a user's own attributes), but not
        // what the SDK's deadlock forensics said of that occurrence: a count the database gave then, or a note on
        // why it could not name someone, would be read as the latest occurrence's
        details.attributes().forEach((key, value) -> {
            if (!repeat.attributes().containsKey(key) && !key.startsWith(OCCURRENCE_ATTRIBUTES)) {
                b.attribute(key, value);
            }
        });
        return b;
    }

    /** The prefix of the attributes that describe one occurrence only (deadlock forensics'). */
    private static final String OCCURRENCE_ATTRIBUTES = "deadlock.";

    synchronized void update(UnaryOperator<Incident.Builder> change, TimelineEntry entry) {
        details = change.apply(details.toBuilder()).build();
        severityChanged(details.severity().ordinal());
        if (entry != null) {
            addTimeline(entry);
        }
        dirty = true;
    }

    /** Moves the incident to its new severity in the open incidents per severity. Under the monitor. */
    private void severityChanged(int ordinal) {
        if (counted && ordinal != severityOrdinal) {
            openBySeverity.incrementAndGet(ordinal);
            openBySeverity.decrementAndGet(severityOrdinal);
        }
        severityOrdinal = ordinal;
    }

    /** Builds an immutable snapshot with the given counters, appending {@code extra} to the timeline. */
    synchronized Incident snapshot(long count, Instant resolvedAt, TimelineEntry extra) {
        if (extra != null) {
            addTimeline(extra);
        }
        long lastSeen = Math.max(lastSeenMillis, details.firstSeen().toEpochMilli());
        Incident.Builder b = details.toBuilder();
        if (live != null) {
            b = live.apply(b);
        }
        Supplier<TimeSeries> series = seriesSource;
        if (series != null) {
            try {
                TimeSeries now = series.get();
                if (now != null) {
                    b.series(now);
                }
            } catch (RuntimeException e) {
                // the recorded series stays: a picture a little older is better than no event
            }
        }
        return b
                .occurrences(Math.max(1, count))
                .lastSeen(Instant.ofEpochMilli(lastSeen))
                .resolvedAt(resolvedAt)
                .timeline(timeline)
                .build();
    }

    /**
     * Adds to the timeline in time order, one entry per type that happens once (the earliest first failure,
     * whichever thread reported it first), keeping its first entries and the latest ones within the bound.
     */
    private void addTimeline(TimelineEntry entry) {
        if (Timelines.add(timeline, entry) && timeline.size() > Limits.TIMELINE) {
            timeline.remove(Limits.TIMELINE_HEAD);
        }
    }
}
