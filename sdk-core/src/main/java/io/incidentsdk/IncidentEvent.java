package io.incidentsdk;

import io.incidentsdk.internal.Limits;
import io.incidentsdk.internal.Text;
import java.time.Instant;
import java.util.Objects;

/**
 * One lifecycle event of an incident, as sinks receive it: the envelope and a snapshot of the incident at
 * that moment. Serialized as one flat JSON object by {@link IncidentJson}.
 *
 * @param schemaVersion the version of the wire contract ({@link #SCHEMA_VERSION} when written by this SDK)
 * @param eventId       unique id of this event (UUIDv7): the receiver's idempotency key
 * @param event         what happened to the incident
 * @param eventTime     when the event was created
 * @param incident      the incident as of this event
 * @since 0.1.0
 */
public record IncidentEvent(int schemaVersion, String eventId, Type event, Instant eventTime, Incident incident) {

    /** The version of the wire contract written by this SDK. */
    public static final int SCHEMA_VERSION = 1;

    /**
     * What happened to an incident.
     *
     * @since 0.1.0
     */
    public enum Type {
        /** The incident was seen for the first time. */
        OPENED,
        /** More occurrences, a note or a severity change (throttled per incident). */
        UPDATED,
        /** The incident ended: quiet for long enough, recovered, or resolved by the application. */
        RESOLVED
    }

    /**
     * Validates every field.
     *
     * @param schemaVersion the version of the wire contract ({@link #SCHEMA_VERSION} when written by this SDK)
     * @param eventId       unique id of this event (UUIDv7): the receiver's idempotency key
     * @param event         what happened to the incident
     * @param eventTime     when the event was created
     * @param incident      the incident as of this event
     */
    public IncidentEvent {
        if (schemaVersion < 1) {
            throw new IllegalArgumentException("schemaVersion must be >= 1, was " + schemaVersion);
        }
        eventId = Text.requireId(eventId, Limits.ID, "eventId");
        Objects.requireNonNull(event, "event must not be null");
        Objects.requireNonNull(eventTime, "eventTime must not be null");
        Objects.requireNonNull(incident, "incident must not be null");
    }
}
