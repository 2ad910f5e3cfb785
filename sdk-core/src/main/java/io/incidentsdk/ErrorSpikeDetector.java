package io.incidentsdk;

import io.incidentsdk.internal.IncidentPipeline;
import io.incidentsdk.internal.Limits;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Detects error spikes: a rolling window of time buckets counts calls and failures (by category and by
 * statement fingerprint); when the failure rate over the window crosses a threshold with enough calls, an
 * {@link IncidentKind#ERROR_SPIKE} incident opens that says what is failing ("31% of calls failing; 97% of
 * failures are DEADLOCK"), when it started, the peak and the impact. It resolves with hysteresis: only
 * after the rate stayed below the recovery threshold for the cool-down.
 *
 * <p>Counting is lock-free and allocation-free on the success path ({@link #recordCall()} adds one to a
 * counter of the current bucket, without reading the clock). {@link #evaluate()} compares the window with the thresholds; call it
 * periodically (the JDBC module does, every second, and after failures). Time comes from the SDK's clock,
 * so tests drive the detector with an injected clock.
 *
 * <p>The spike incident keeps a bounded {@link TimeSeries} of the calls and failures per bucket: the window before
 * it, then every bucket while it is open. An evaluation that comes late (a pause of the process, a loaded machine)
 * continues that series with the buckets it missed, in time order: with their counts while the detector still
 * holds them (the last two windows), as empty buckets before that. Other incidents of what this detector watches
 * (a deadlock on the same data source) can keep such a series too: see {@link #follow(String)}.
 *
 * @since 0.1.0
 */
public final class ErrorSpikeDetector {

    private static final String OTHER = "other";
    private static final int MAX_KEYS_PER_BUCKET = 64;
    private static final int MAX_LABELS = 256;
    /** The most incidents whose series a detector keeps at once (see {@link #follow(String)}). */
    private static final int MAX_FOLLOWED = 32;
    /** A gap longer than this (in buckets: a clock that jumped by decades) starts a series again. */
    private static final long MAX_GAP = 1L << 40;

    private final IncidentSdk sdk;
    private final String scope;
    private final Clock clock;
    private final long bucketMillis;
    private final int bucketCount;
    /**
     * The buckets the ring holds: the running one and two windows of completed ones, so that an evaluation late by
     * up to a window misses no count.
     */
    private final int ringLength;
    private final Duration window;
    private final double threshold;
    private final double recoveryThreshold;
    private final int minimumCalls;
    private final long coolDownMillis;
    private final String fingerprint;
    private final Map<String, String> attributes;
    private final Supplier<DatabaseInfo> database;
    private final String counting;
    private final AtomicReferenceArray<Bucket> buckets;
    private final Map<String, String> labels = new ConcurrentHashMap<>();
    /** The bucket successes count into; moved on by failures, evaluations and {@link #tick()}. */
    private volatile Bucket current;

    // spike state, guarded by this
    /** The series: the window before a spike, then the whole spike (folded to stay bounded). Guarded by this. */
    private final SeriesBuilder series = new SeriesBuilder();
    /** Other incidents whose series this detector keeps, by fingerprint: changed under the monitor. */
    private final Map<String, Follower> followed = new ConcurrentHashMap<>();
    private boolean open;
    private double peakRate;
    private long belowSince = -1;

    private ErrorSpikeDetector(Builder b) {
        this.sdk = b.sdk;
        this.scope = b.scope;
        this.clock = sdk.clock();
        this.window = b.window;
        this.bucketCount = b.buckets;
        this.bucketMillis = Math.max(1, b.window.toMillis() / b.buckets);
        this.threshold = b.threshold;
        this.recoveryThreshold = b.recoveryThreshold;
        this.minimumCalls = b.minimumCalls;
        this.coolDownMillis = b.coolDown.toMillis();
        this.fingerprint = Fingerprint.of(IncidentKind.ERROR_SPIKE, scope);
        this.attributes = b.attributes;
        this.database = b.database;
        this.counting = b.counting;
        this.ringLength = 2 * b.buckets + 1;
        this.buckets = new AtomicReferenceArray<>(ringLength);
    }

    /**
     * Starts configuring a detector.
     *
     * @param sdk   where spikes are reported, not {@code null}
     * @param scope what is watched, for example a data-source name or {@code process}; part of the title
     *              and the fingerprint
     * @return a builder with defaults: 60 s window in 12 buckets, threshold 20 %, recovery below 10 %,
     *         at least 20 calls, 30 s cool-down
     */
    public static Builder builder(IncidentSdk sdk, String scope) {
        return new Builder(Objects.requireNonNull(sdk, "sdk must not be null"),
                Objects.requireNonNull(scope, "scope must not be null"));
    }

    /**
     * Counts one successful call: one counter update, no clock read. It counts into the current bucket,
     * which moves on with every failure, every {@link #evaluate()} and every {@link #tick()}; call
     * {@code tick()} at least a few times per bucket (the JDBC module does, every 100 ms).
     */
    public void recordCall() {
        Bucket bucket = current;
        if (bucket == null) {
            bucket = rotate(clock.millis());
        }
        bucket.calls.increment();
    }

    /**
     * Counts successful calls counted elsewhere (by their threads, without a shared counter) and handed over
     * now: like {@code calls} times {@link #recordCall()}, into the current bucket.
     *
     * @param calls how many, not negative ({@code 0} changes nothing)
     * @throws IllegalArgumentException when negative
     * @since 0.2.0
     */
    public void recordCalls(long calls) {
        if (calls < 0) {
            throw new IllegalArgumentException("calls must not be negative, was " + calls);
        }
        if (calls == 0) {
            return;
        }
        Bucket bucket = current;
        if (bucket == null) {
            bucket = rotate(clock.millis());
        }
        bucket.calls.add(calls);
    }

    /** Moves the current bucket to the clock's time. */
    public void tick() {
        rotate(clock.millis());
    }

    private Bucket rotate(long now) {
        Bucket bucket = bucket(now);
        if (current != bucket) {
            current = bucket;
        }
        return bucket;
    }

    /**
     * Counts one failed call, seen now.
     *
     * @param category             the failure category, not {@code null}
     * @param statementFingerprint the fingerprint of the failing statement, may be {@code null}
     * @param statementLabel       a short label of the statement (for example {@code UPDATE account}), may be
     *                             {@code null}; it must not contain data
     */
    public void recordFailure(String category, String statementFingerprint, String statementLabel) {
        recordFailure(category, statementFingerprint, statementLabel, clock.millis());
    }

    /**
     * Counts one failed call (or unit of work) whose failure was seen at {@code failedAtMillis}, possibly a while
     * ago: a unit of work is counted when it ends, after its retries, but the spike's first failure is the time
     * the failure happened. It counts in the current bucket.
     *
     * @param category             the failure category, not {@code null}
     * @param statementFingerprint the fingerprint of the failing statement, may be {@code null}
     * @param statementLabel       a short label of the statement (for example {@code UPDATE account}), may be
     *                             {@code null}; it must not contain data
     * @param failedAtMillis       when the failure was seen, on the SDK's clock (epoch milliseconds)
     * @since 0.1.0
     */
    public void recordFailure(String category, String statementFingerprint, String statementLabel,
                              long failedAtMillis) {
        long now = clock.millis();
        Bucket bucket = rotate(now);
        bucket.calls.increment();
        bucket.failures.increment();
        long at = Math.min(now, failedAtMillis);
        if (bucket.firstFailure > at) {
            bucket.firstFailure = at;
        }
        count(bucket.categories, category == null ? "UNKNOWN" : category);
        if (statementFingerprint != null) {
            count(bucket.fingerprints, statementFingerprint);
            if (statementLabel != null && labels.size() < MAX_LABELS) {
                labels.putIfAbsent(statementFingerprint, statementLabel);
            }
        }
    }

    /**
     * Whether a spike is open.
     *
     * @return {@code true} while the spike incident is open
     */
    public synchronized boolean isSpikeOpen() {
        return open;
    }

    /**
     * The fingerprint of this detector's spike incident.
     *
     * @return the fingerprint
     */
    public String fingerprint() {
        return fingerprint;
    }

    /**
     * Compares the window with the thresholds: opens, updates or resolves the spike incident.
     *
     * @return the impact over the current window
     */
    public synchronized Impact evaluate() {
        long now = clock.millis();
        rotate(now);
        Window w = sum(now);
        long epoch = now / bucketMillis;
        boolean newBuckets = series.append(epoch, open);
        if (!followed.isEmpty()) {
            followUp(epoch);
        }
        double rate = w.calls == 0 ? 0.0 : Math.min(1.0, (double) w.failures / w.calls);
        Impact impact = new Impact(window, w.calls, w.failures, rate, top(w.categories, Limits.IMPACT_ENTRIES),
                new ArrayList<>(top(w.fingerprints, 5).keySet()));
        Instant at = Instant.ofEpochMilli(now);
        if (!open) {
            if (w.calls >= minimumCalls && rate >= threshold) {
                open = true;
                peakRate = rate;
                belowSince = -1;
                Incident.Builder spike = Incident.builder(IncidentKind.ERROR_SPIKE, "Error spike on " + scope)
                        .fingerprint(fingerprint)
                        .summary(summary(impact))
                        .impact(impact)
                        .timeline(new TimelineEntry(Instant.ofEpochMilli(Math.min(w.firstFailure, now)),
                                TimelineEntry.FIRST_FAILURE, firstCategory(w) + ", the earliest in the window"))
                        .timeline(new TimelineEntry(at, TimelineEntry.SPIKE_OPENED, percent(rate)
                                + " of " + counting + " failing (" + w.failures + " of " + w.calls + ")"))
                        .hint("Look at what the failures are before tuning anything: the categories say whether "
                                + "these are deadlocks, lock waits, timeouts or lost connections");
                attributes.forEach(spike::attribute);
                spike.database(databaseInfo());
                spike.series(series.snapshot());
                sdk.pipeline().record(spike.build(), true);
            }
            return impact;
        }
        // the incident keeps the impact of its worst window: that is what users went through
        TimelineEntry peak = null;
        boolean worse = rate >= peakRate && w.calls >= minimumCalls;
        if (rate > peakRate && w.calls >= minimumCalls) {
            // the timeline keeps the latest peak only: each new one replaces the last
            peak = new TimelineEntry(at, TimelineEntry.PEAK, percent(rate) + " of " + counting + " failing");
        }
        if (worse) {
            peakRate = rate;
            String summary = summary(impact);
            TimeSeries points = series.snapshot();
            if (!sdk.pipeline().update(fingerprint, b -> b.impact(impact).summary(summary).series(points), peak)) {
                closed(); // resolved by somebody else
                return impact;
            }
        } else if (newBuckets) {
            TimeSeries points = series.snapshot();
            if (!sdk.pipeline().update(fingerprint, b -> b.series(points), null)) {
                closed();
                return impact;
            }
        } else if (!sdk.pipeline().isOpen(fingerprint)) {
            closed();
            return impact;
        }
        if (rate < recoveryThreshold || w.calls < minimumCalls) {
            if (belowSince < 0) {
                belowSince = now;
            }
            if (now - belowSince >= coolDownMillis) {
                TimeSeries points = series.snapshot();
                sdk.pipeline().update(fingerprint, b -> b.series(points), null);
                sdk.pipeline().resolve(fingerprint, "failure rate back to " + percent(rate) + " for "
                        + Duration.ofMillis(coolDownMillis).toSeconds() + " s (peak " + percent(peakRate) + ")");
                closed();
                belowSince = -1;
            }
        } else {
            belowSince = -1;
        }
        return impact;
    }

    private static String firstCategory(Window w) {
        return w.categories.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                .orElse("a failure");
    }

    /**
     * Keeps a time series of this detector's calls and failures (units of work, where the detector counts those)
     * for another open incident of what it watches, for example a deadlock on the same data source, so that a
     * postmortem can draw it: the last window before this call, then every bucket while the incident stays open,
     * folded to stay bounded ({@link TimeSeries#MAX_BUCKETS}) like the spike's own. From now on every event of the
     * incident (UPDATED and RESOLVED, and OPENED when it is not out yet) carries the series as it is when the
     * event is made, its last bucket the one still running. The detector forgets the incident when it ends.
     * At most 32 incidents are followed at once; more are refused. Never blocks on anything but this detector.
     *
     * @param fingerprint the fingerprint of an open incident, not {@code null}; not this detector's own
     * @return {@code true} when the incident is followed (also when it was already), {@code false} when it is not
     *         open, is this detector's spike, or too many are followed
     * @since 0.1.0
     */
    public boolean follow(String fingerprint) {
        Objects.requireNonNull(fingerprint, "fingerprint must not be null");
        if (fingerprint.equals(this.fingerprint)) {
            return false; // the spike keeps its own series
        }
        IncidentPipeline pipeline = sdk.pipeline();
        String incidentId = pipeline.openIncidentId(fingerprint);
        if (incidentId == null) {
            return false;
        }
        Follower known = followed.get(fingerprint);
        if (known != null && known.incidentId.equals(incidentId)) {
            return true;
        }
        synchronized (this) {
            known = followed.get(fingerprint);
            if (known != null && known.incidentId.equals(incidentId)) {
                return true;
            }
            if (known == null && followed.size() >= MAX_FOLLOWED) {
                forgetEnded();
                if (followed.size() >= MAX_FOLLOWED) {
                    return false;
                }
            }
            Follower follower = new Follower(incidentId);
            follower.series.append(clock.millis() / bucketMillis, true);
            follower.published = follower.series.freeze();
            if (!pipeline.attachSeries(fingerprint, incidentId, follower)) {
                return false;
            }
            followed.put(fingerprint, follower);
            return true;
        }
    }

    /**
     * The calls and failures per bucket over the last window, up to now: the window's completed buckets, then the
     * one still running. Reads the counters only (no lock): for a record made now, for example the first event of
     * an incident that {@link #follow(String)} will follow.
     *
     * @return the series, at least one bucket; leading buckets without a call are left out
     * @since 0.1.0
     */
    public TimeSeries recentSeries() {
        long now = clock.millis() / bucketMillis;
        SeriesBuilder recent = new SeriesBuilder();
        recent.restart(now - bucketCount);
        recent.extendTo(now + 1);
        return recent.snapshot();
    }

    /** Appends the completed buckets to every followed incident's series; forgets the ended ones. Under the monitor. */
    private void followUp(long epoch) {
        IncidentPipeline pipeline = sdk.pipeline();
        for (Iterator<Map.Entry<String, Follower>> it = followed.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Follower> entry = it.next();
            Follower follower = entry.getValue();
            if (!follower.incidentId.equals(pipeline.openIncidentId(entry.getKey()))) {
                it.remove(); // ended: its last events keep what was published
            } else if (follower.series.append(epoch, true)) {
                follower.published = follower.series.freeze();
            }
        }
    }

    /** Forgets followed incidents that ended. Under the monitor. */
    private void forgetEnded() {
        IncidentPipeline pipeline = sdk.pipeline();
        followed.entrySet().removeIf(e -> !e.getValue().incidentId.equals(pipeline.openIncidentId(e.getKey())));
    }

    /**
     * An incident whose series this detector keeps: its builder (under the detector's monitor) and what was last
     * published of it, which the incident's snapshots extend to their moment from the counters, without a lock.
     */
    private final class Follower implements Supplier<TimeSeries> {
        final String incidentId;
        final SeriesBuilder series = new SeriesBuilder();
        volatile Frozen published;

        Follower(String incidentId) {
            this.incidentId = incidentId;
        }

        @Override
        public TimeSeries get() {
            SeriesBuilder now = new SeriesBuilder(published);
            now.extendTo(clock.millis() / bucketMillis + 1);
            return now.snapshot();
        }
    }

    /** The state of a series, immutable: what a follower publishes. */
    private record Frozen(List<Long> calls, List<Long> failures, long firstEpoch, long nextEpoch, long multiple,
                          long pending, long pendingCalls, long pendingFailures) {
    }

    /** The spike ended: the series goes back to keeping only the window before the next one. Under the monitor. */
    private void closed() {
        open = false;
        series.keepWindowOnly();
    }

    /**
     * The calls and failures per completed bucket, from a first bucket on, folded two into one whenever the series
     * reaches {@link TimeSeries#MAX_BUCKETS}. The spike's series keeps only the last window's buckets while no spike
     * is open (what led up to a spike), every bucket since while one is; a followed incident's keeps every bucket.
     * Not thread-safe: the detector's own builders are guarded by its monitor, a copy of a {@link Frozen} state
     * stays on one thread.
     */
    private final class SeriesBuilder {
        private final List<Long> calls;
        private final List<Long> failures;
        /** The epoch of the first bucket of the series, and of the next bucket to append. */
        private long firstEpoch = -1;
        private long nextEpoch = -1;
        /** How many of the detector's buckets one point holds (doubles with every fold). */
        private long multiple = 1;
        /** The buckets of the point being filled. */
        private long pending;
        private long pendingCalls;
        private long pendingFailures;

        SeriesBuilder() {
            this.calls = new ArrayList<>();
            this.failures = new ArrayList<>();
        }

        SeriesBuilder(Frozen frozen) {
            this.calls = new ArrayList<>(frozen.calls());
            this.failures = new ArrayList<>(frozen.failures());
            this.firstEpoch = frozen.firstEpoch();
            this.nextEpoch = frozen.nextEpoch();
            this.multiple = frozen.multiple();
            this.pending = frozen.pending();
            this.pendingCalls = frozen.pendingCalls();
            this.pendingFailures = frozen.pendingFailures();
        }

        Frozen freeze() {
            return new Frozen(List.copyOf(calls), List.copyOf(failures), firstEpoch, nextEpoch, multiple, pending,
                    pendingCalls, pendingFailures);
        }

        /**
         * Appends the buckets completed before {@code currentEpoch}, in time order: each with its counts while the
         * ring holds it, as an empty bucket when it no longer does (the evaluation came too late). Returns whether
         * any was appended.
         *
         * @param keepAll whether every bucket is kept (an incident is open), else only the last window's
         */
        boolean append(long currentEpoch, boolean keepAll) {
            if (nextEpoch < 0 || currentEpoch - nextEpoch > MAX_GAP
                    || (!keepAll && currentEpoch - nextEpoch > bucketCount)) {
                // first use, or a gap that outside an incident leaves only the window to keep, or a clock that
                // jumped by decades: start from the window before now
                restart(currentEpoch - bucketCount);
            }
            if (currentEpoch <= nextEpoch) {
                return false;
            }
            extendTo(currentEpoch);
            if (!keepAll) {
                keepWindowOnly();
            }
            return true;
        }

        /** Appends the buckets from {@link #nextEpoch} to {@code endEpoch} (exclusive), from the ring. */
        void extendTo(long endEpoch) {
            if (endEpoch <= nextEpoch || endEpoch - nextEpoch > MAX_GAP) {
                return;
            }
            List<Bucket> held = new ArrayList<>();
            for (int i = 0; i < ringLength; i++) {
                Bucket b = buckets.get(i);
                if (b != null && b.epoch >= nextEpoch && b.epoch < endEpoch) {
                    held.add(b);
                }
            }
            held.sort(Comparator.comparingLong(b -> b.epoch));
            long cursor = nextEpoch;
            for (Bucket b : held) {
                addEmpty(b.epoch - cursor);
                // failures first: each failure's call was added before it, so the calls read next include it
                long bucketFailures = b.failures.sum();
                add(Math.max(b.calls.sum(), bucketFailures), bucketFailures);
                cursor = b.epoch + 1;
            }
            addEmpty(endEpoch - cursor);
            nextEpoch = endEpoch;
        }

        private void restart(long epoch) {
            calls.clear();
            failures.clear();
            multiple = 1;
            pending = 0;
            pendingCalls = 0;
            pendingFailures = 0;
            firstEpoch = epoch;
            nextEpoch = epoch;
        }

        private void add(long bucketCalls, long bucketFailures) {
            pendingCalls += bucketCalls;
            pendingFailures += bucketFailures;
            if (++pending == multiple) {
                completePoint();
            }
        }

        /** Appends {@code count} empty buckets, a whole point at a time: bounded work for any gap. */
        private void addEmpty(long count) {
            while (count > 0) {
                long n = Math.min(count, multiple - pending);
                pending += n;
                count -= n;
                if (pending == multiple) {
                    completePoint();
                }
            }
        }

        private void completePoint() {
            calls.add(pendingCalls);
            failures.add(pendingFailures);
            pending = 0;
            pendingCalls = 0;
            pendingFailures = 0;
            if (calls.size() >= TimeSeries.MAX_BUCKETS) {
                fold(calls);
                fold(failures);
                multiple *= 2;
            }
        }

        private void fold(List<Long> values) {
            int n = values.size() / 2;
            for (int i = 0; i < n; i++) {
                values.set(i, values.get(2 * i) + values.get(2 * i + 1));
            }
            values.subList(n, values.size()).clear();
        }

        /** Drops all but the last window's buckets (outside a spike). */
        void keepWindowOnly() {
            if (multiple != 1) {
                // folded during the spike: the window again at full resolution, from the ring
                long end = nextEpoch;
                restart(end - bucketCount);
                extendTo(end);
                return;
            }
            int extra = calls.size() - bucketCount;
            if (extra > 0) {
                calls.subList(0, extra).clear();
                failures.subList(0, extra).clear();
                firstEpoch += extra;
            }
        }

        TimeSeries snapshot() {
            List<Long> c = new ArrayList<>(calls);
            List<Long> f = new ArrayList<>(failures);
            if (pending > 0) {
                c.add(pendingCalls);
                f.add(pendingFailures);
            }
            if (c.isEmpty()) {
                c.add(0L);
                f.add(0L);
            }
            // leading points without a call (before the detector saw traffic) say nothing
            int empty = 0;
            while (empty < c.size() - 1 && c.get(empty) == 0L) {
                empty++;
            }
            c.subList(0, empty).clear();
            f.subList(0, empty).clear();
            return new TimeSeries(Instant.ofEpochMilli((Math.max(0, firstEpoch) + empty * multiple) * bucketMillis),
                    Duration.ofMillis(bucketMillis * multiple), counting, c, f);
        }
    }

    private DatabaseInfo databaseInfo() {
        try {
            return database.get();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private String summary(Impact impact) {
        StringBuilder s = new StringBuilder(200).append(percent(impact.failureRate())).append(" of ").append(counting)
                .append(" failing (")
                .append(impact.failures()).append(" of ").append(impact.calls()).append(" in ")
                .append(window.toSeconds()).append(" s)");
        impact.failuresByCategory().entrySet().stream().findFirst().ifPresent(e -> s.append("; ")
                .append(percent(impact.failures() == 0 ? 0 : (double) e.getValue() / impact.failures()))
                .append(" of failures are ").append(e.getKey()));
        if (!impact.topFingerprints().isEmpty()) {
            String top = impact.topFingerprints().get(0);
            s.append("; most failing statement: ").append(labels.getOrDefault(top, top));
        }
        return s.toString();
    }

    private static String percent(double rate) {
        return String.format(Locale.ROOT, "%.0f%%", rate * 100);
    }

    private Bucket bucket(long now) {
        long epoch = now / bucketMillis;
        int index = (int) Math.floorMod(epoch, (long) ringLength);
        Bucket bucket = buckets.get(index);
        while (bucket == null || bucket.epoch != epoch) {
            if (bucket != null && bucket.epoch > epoch) {
                return bucket; // the clock went back a little: count in the newer bucket
            }
            Bucket fresh = new Bucket(epoch);
            if (buckets.compareAndSet(index, bucket, fresh)) {
                return fresh;
            }
            bucket = buckets.get(index);
        }
        return bucket;
    }

    private static void count(ConcurrentHashMap<String, LongAdder> counts, String key) {
        LongAdder adder = counts.get(key);
        if (adder == null) {
            adder = counts.computeIfAbsent(counts.size() < MAX_KEYS_PER_BUCKET ? key : OTHER, k -> new LongAdder());
        }
        adder.increment();
    }

    private Window sum(long now) {
        long newest = now / bucketMillis;
        Window w = new Window();
        for (int i = 0; i < ringLength; i++) {
            Bucket b = buckets.get(i);
            if (b == null || b.epoch <= newest - bucketCount || b.epoch > newest) {
                continue;
            }
            // failures first: each failure's call was added before it, so the calls read next include it
            long failures = b.failures.sum();
            w.failures += failures;
            w.calls += Math.max(b.calls.sum(), failures);
            w.firstFailure = Math.min(w.firstFailure, b.firstFailure);
            b.categories.forEach((k, v) -> w.categories.merge(k, v.sum(), Long::sum));
            b.fingerprints.forEach((k, v) -> w.fingerprints.merge(k, v.sum(), Long::sum));
        }
        return w;
    }

    private static Map<String, Long> top(Map<String, Long> counts, int limit) {
        List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.entrySet());
        entries.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()));
        Map<String, Long> top = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : entries) {
            if (top.size() == limit) {
                break;
            }
            top.put(e.getKey(), e.getValue());
        }
        return top;
    }

    private static final class Bucket {
        final long epoch;
        final LongAdder calls = new LongAdder();
        final LongAdder failures = new LongAdder();
        final ConcurrentHashMap<String, LongAdder> categories = new ConcurrentHashMap<>();
        final ConcurrentHashMap<String, LongAdder> fingerprints = new ConcurrentHashMap<>();
        volatile long firstFailure = Long.MAX_VALUE;

        Bucket(long epoch) {
            this.epoch = epoch;
        }
    }

    private static final class Window {
        long calls;
        long failures;
        long firstFailure = Long.MAX_VALUE;
        final Map<String, Long> categories = new HashMap<>();
        final Map<String, Long> fingerprints = new HashMap<>();
    }

    /**
     * Configures an {@link ErrorSpikeDetector}.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private final IncidentSdk sdk;
        private final String scope;
        private Duration window = Duration.ofSeconds(60);
        private int buckets = 12;
        private double threshold = 0.2;
        private double recoveryThreshold = 0.1;
        private int minimumCalls = 20;
        private Duration coolDown = Duration.ofSeconds(30);
        private final Map<String, String> attributes = new LinkedHashMap<>();
        private Supplier<DatabaseInfo> database = () -> null;
        private String counting = "calls";

        private Builder(IncidentSdk sdk, String scope) {
            this.sdk = sdk;
            this.scope = scope;
        }

        /**
         * The rolling window and how many buckets it is cut into.
         *
         * @param window  between 1 s and 1 hour
         * @param buckets between 2 and 600
         * @return this builder
         */
        public Builder window(Duration window, int buckets) {
            Objects.requireNonNull(window, "window must not be null");
            if (window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("window must be between PT1S and PT1H, was " + window);
            }
            if (buckets < 2 || buckets > 600) {
                throw new IllegalArgumentException("buckets must be between 2 and 600, was " + buckets);
            }
            this.window = window;
            this.buckets = buckets;
            return this;
        }

        /**
         * The failure rate that opens a spike, and the rate below which it counts as recovered.
         *
         * @param threshold         in (0, 1]
         * @param recoveryThreshold in [0, threshold]
         * @return this builder
         */
        public Builder thresholds(double threshold, double recoveryThreshold) {
            if (!(threshold > 0 && threshold <= 1)) {
                throw new IllegalArgumentException("threshold must be within (0, 1], was " + threshold);
            }
            if (!(recoveryThreshold >= 0 && recoveryThreshold <= threshold)) {
                throw new IllegalArgumentException("recoveryThreshold must be within [0, threshold], was "
                        + recoveryThreshold);
            }
            this.threshold = threshold;
            this.recoveryThreshold = recoveryThreshold;
            return this;
        }

        /**
         * How many calls the window needs before a spike can open.
         *
         * @param calls at least 1
         * @return this builder
         */
        public Builder minimumCalls(int calls) {
            if (calls < 1) {
                throw new IllegalArgumentException("minimumCalls must be >= 1, was " + calls);
            }
            this.minimumCalls = calls;
            return this;
        }

        /**
         * How long the rate must stay below the recovery threshold before the spike resolves.
         *
         * @param coolDown between 0 and 1 hour
         * @return this builder
         */
        public Builder coolDown(Duration coolDown) {
            Objects.requireNonNull(coolDown, "coolDown must not be null");
            if (coolDown.isNegative() || coolDown.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("coolDown must be between PT0S and PT1H, was " + coolDown);
            }
            this.coolDown = coolDown;
            return this;
        }

        /**
         * Adds an attribute to the spike incident (for example the database system).
         *
         * @param key   not {@code null}
         * @param value not {@code null}
         * @return this builder
         */
        public Builder attribute(String key, String value) {
            attributes.put(Objects.requireNonNull(key, "key must not be null"),
                    Objects.requireNonNull(value, "value must not be null"));
            return this;
        }

        /**
         * Where the database of the spike incident comes from (asked when a spike opens).
         *
         * @param database not {@code null}; may return {@code null}
         * @return this builder
         */
        public Builder database(Supplier<DatabaseInfo> database) {
            this.database = Objects.requireNonNull(database, "database must not be null");
            return this;
        }

        /**
         * What one counted call is, in the plural, for the spike incident's text ("31% of units of work failing"):
         * by default {@code calls}.
         *
         * @param plural a short plural noun, not blank, at most 40 characters
         * @return this builder
         * @since 0.1.0
         */
        public Builder counting(String plural) {
            Objects.requireNonNull(plural, "counting must not be null");
            if (plural.isBlank() || plural.length() > 40) {
                throw new IllegalArgumentException("counting must be a short plural noun (1 to 40 characters), was \""
                        + plural + "\"");
            }
            this.counting = plural.strip();
            return this;
        }

        /**
         * Builds the detector.
         *
         * @return a new detector
         */
        public ErrorSpikeDetector build() {
            return new ErrorSpikeDetector(this);
        }
    }
}
