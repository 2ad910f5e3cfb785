package io.incidentsdk.internal;

import io.incidentsdk.Incident;
import io.incidentsdk.Severity;
import io.incidentsdk.TimelineEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * The mutable state of one open incident. Application threads only count (lock-free); details change
 * under the state's monitor, which only rare operations take (a note, a severity change, a repeat that
 * carries new retry or impact data).
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
    /** The ordinal of the current severity, readable without the monitor. */
    volatile int severityOrdinal;
    /** Details of the incident: everything but the counters. Replaced under the monitor. */
    private Incident details;
    private final List<TimelineEntry> timeline = new ArrayList<>();

    IncidentState(Incident details, long nowMillis) {
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
                || repeat.severity().ordinal() > severityOrdinal;
    }

    /** Takes what a repeated signal adds to the details: a higher severity, newer retry or impact data. */
    synchronized void merge(Incident repeat) {
        Severity severity = details.severity().atLeast(repeat.severity());
        boolean newRetry = repeat.retry() != null && !repeat.retry().equals(details.retry());
        boolean newImpact = repeat.impact() != null && !repeat.impact().equals(details.impact());
        if (severity == details.severity() && !newRetry && !newImpact && repeat.timeline().isEmpty()) {
            return;
        }
        Incident.Builder b = details.toBuilder().severity(severity);
        if (newRetry) {
            b.retry(repeat.retry());
        }
        if (newImpact) {
            b.impact(repeat.impact());
        }
        repeat.timeline().forEach(this::addTimeline);
        details = b.build();
        severityOrdinal = details.severity().ordinal();
        dirty = true;
    }

    synchronized void update(UnaryOperator<Incident.Builder> change, TimelineEntry entry) {
        details = change.apply(details.toBuilder()).build();
        severityOrdinal = details.severity().ordinal();
        if (entry != null) {
            addTimeline(entry);
        }
        dirty = true;
    }

    /** Builds an immutable snapshot with the given counters, appending {@code extra} to the timeline. */
    synchronized Incident snapshot(long count, Instant resolvedAt, TimelineEntry extra) {
        if (extra != null) {
            addTimeline(extra);
        }
        long lastSeen = Math.max(lastSeenMillis, details.firstSeen().toEpochMilli());
        return details.toBuilder()
                .occurrences(Math.max(1, count))
                .lastSeen(Instant.ofEpochMilli(lastSeen))
                .resolvedAt(resolvedAt)
                .timeline(timeline)
                .build();
    }

    /** Appends to the timeline, keeping its first entries and the latest ones within the bound. */
    private void addTimeline(TimelineEntry entry) {
        timeline.add(entry);
        if (timeline.size() > Limits.TIMELINE) {
            timeline.remove(Limits.TIMELINE_HEAD);
        }
    }
}
