package io.incidentsdk;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.incidentsdk.internal.Text;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The calls and failures of an incident over time, in equal buckets: what an error-rate chart is drawn from.
 * Bucket {@code i} covers {@code [start + i * bucket, start + (i + 1) * bucket)}. Bounded: at most
 * {@value #MAX_BUCKETS} buckets; a longer series is folded (two neighbouring buckets become one, the bucket twice
 * as long) until it fits, so the whole incident stays covered at a coarser resolution.
 *
 * <p>A failed call is a call: no bucket holds more failures than calls. A bucket given with more (counts read
 * while they were being added, or a record written by other software) has its calls raised to its failures;
 * the failures are kept as given, so the totals of failures stay exact.
 *
 * @param start    the start of the first bucket
 * @param bucket   the length of one bucket, positive
 * @param counting what one counted call is, in the plural (for example {@code units of work})
 * @param calls    calls per bucket (failed ones included), none negative
 * @param failures failed calls per bucket, none negative, as many entries as {@code calls}; a bucket's failures
 *                 are at most its calls
 * @since 0.1.0
 */
public record TimeSeries(Instant start, Duration bucket, String counting, List<Long> calls, List<Long> failures) {

    /** The most buckets a series keeps. */
    public static final int MAX_BUCKETS = 120;

    /**
     * Validates the series, cleans the text, raises the calls of a bucket that holds more failures than calls to
     * its failures, and folds the series to at most {@value #MAX_BUCKETS} buckets.
     *
     * @param start    the start of the first bucket
     * @param bucket   the length of one bucket, positive
     * @param counting what one counted call is, in the plural
     * @param calls    calls per bucket, none negative
     * @param failures failed calls per bucket, none negative, as many entries as {@code calls}
     * @throws IllegalArgumentException when a count is negative or missing, or the lists differ in length
     */
    public TimeSeries {
        Objects.requireNonNull(start, "start must not be null");
        Objects.requireNonNull(bucket, "bucket must not be null");
        if (bucket.isZero() || bucket.isNegative()) {
            throw new IllegalArgumentException("bucket must be positive, was " + bucket);
        }
        counting = Text.field(Text.Field.SHORT, counting == null ? "calls" : counting);
        List<Long> c = nonNegative(calls, "calls");
        List<Long> f = nonNegative(failures, "failures");
        if (c.size() != f.size()) {
            throw new IllegalArgumentException("calls and failures must have as many buckets, had " + c.size()
                    + " and " + f.size());
        }
        for (int i = 0; i < c.size(); i++) {
            if (f.get(i) > c.get(i)) {
                c.set(i, f.get(i)); // every failed call is a call
            }
        }
        while (c.size() > MAX_BUCKETS) {
            c = fold(c);
            f = fold(f);
            bucket = bucket.multipliedBy(2);
        }
        calls = Collections.unmodifiableList(c);
        failures = Collections.unmodifiableList(f);
    }

    private static List<Long> nonNegative(List<Long> values, String name) {
        Objects.requireNonNull(values, name + " must not be null");
        List<Long> out = new ArrayList<>(values.size());
        for (Long value : values) {
            if (value == null || value < 0) {
                throw new IllegalArgumentException(name + " must hold counts >= 0, held " + value);
            }
            out.add(value);
        }
        return out;
    }

    private static List<Long> fold(List<Long> values) {
        List<Long> out = new ArrayList<>((values.size() + 1) / 2);
        for (int i = 0; i < values.size(); i += 2) {
            out.add(values.get(i) + (i + 1 < values.size() ? values.get(i + 1) : 0L));
        }
        return out;
    }

    /**
     * The calls of all buckets.
     *
     * @return the sum of {@link #calls()}
     */
    @JsonIgnore
    public long totalCalls() {
        return calls.stream().mapToLong(Long::longValue).sum();
    }

    /**
     * The failures of all buckets.
     *
     * @return the sum of {@link #failures()}
     */
    @JsonIgnore
    public long totalFailures() {
        return failures.stream().mapToLong(Long::longValue).sum();
    }

    /**
     * The end of the last bucket.
     *
     * @return {@code start + buckets * bucket}
     */
    @JsonIgnore
    public Instant end() {
        return start.plus(bucket.multipliedBy(calls.size()));
    }
}
