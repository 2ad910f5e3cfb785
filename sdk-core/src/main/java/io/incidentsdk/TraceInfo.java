package io.incidentsdk;

import io.incidentsdk.internal.Limits;
import io.incidentsdk.internal.Text;

/**
 * The trace that was active when the incident was first seen.
 *
 * @param traceId the trace id
 * @param spanId  the span id
 * @since 0.1.0
 */
public record TraceInfo(String traceId, String spanId) {

    /**
     * Cleans and bounds both ids; both may be {@code null}, and a blank id becomes {@code null}.
     *
     * @param traceId the trace id
     * @param spanId  the span id
     */
    public TraceInfo {
        traceId = Text.cleanId(traceId, Limits.ID);
        spanId = Text.cleanId(spanId, Limits.ID);
    }
}
