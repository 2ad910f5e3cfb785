package io.incidentsdk;

import io.incidentsdk.internal.Limits;
import io.incidentsdk.internal.Text;
import java.time.Instant;
import java.util.Objects;

/**
 * One entry of an incident's timeline.
 *
 * <p>Types written by the SDK: {@value #FIRST_FAILURE}, {@value #DETECTED}, {@value #RETRY_ABSORBED},
 * {@value #SPIKE_OPENED}, {@value #PEAK}, {@value #NOTE}, {@value #SEVERITY_CHANGED}, {@value #RESOLVED}.
 * Readers must accept other types: newer versions may add some.
 *
 * <p>An incident's timeline is sorted by time, and holds at most one entry of the types that happen once in an
 * incident: of {@value #FIRST_FAILURE}, {@value #DETECTED}, {@value #SPIKE_OPENED} and {@value #RETRY_ABSORBED}
 * the earliest (the incident's true first failure, whichever thread reported it first), of {@value #PEAK} and
 * {@value #RESOLVED} the latest. Notes and severity changes may repeat.
 *
 * @param at     when it happened
 * @param type   what happened, a short lowercase id
 * @param detail a human-readable detail, may be {@code null}
 * @since 0.1.0
 */
public record TimelineEntry(Instant at, String type, String detail) {

    /** The first failure was observed. */
    public static final String FIRST_FAILURE = "first-failure";
    /** The SDK opened the incident. */
    public static final String DETECTED = "detected";
    /** A retry absorbed the failure. */
    public static final String RETRY_ABSORBED = "retry-absorbed";
    /** An error spike opened. */
    public static final String SPIKE_OPENED = "spike-opened";
    /** A new peak of the failure rate. */
    public static final String PEAK = "peak";
    /** A note added by the application. */
    public static final String NOTE = "note";
    /** The severity changed. */
    public static final String SEVERITY_CHANGED = "severity-changed";
    /** The incident was resolved. */
    public static final String RESOLVED = "resolved";

    /**
     * Requires {@code at} and a non-blank {@code type}; cleans and bounds the text.
     *
     * @param at     when it happened
     * @param type   what happened, a short lowercase id
     * @param detail a human-readable detail, may be {@code null}
     */
    public TimelineEntry {
        Objects.requireNonNull(at, "at must not be null");
        type = Text.requireId(type, Limits.ID, "type");
        detail = Text.field(Text.Field.DETAIL, detail);
    }
}
