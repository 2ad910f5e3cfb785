package io.incidentsdk.otel;

import io.incidentsdk.TraceCorrelation;
import io.incidentsdk.TraceInfo;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/**
 * Correlates incidents with OpenTelemetry traces: a record carries the trace and span ids of the span current
 * where the signal was recorded (for a failed JDBC call, the application's span around the call), and that
 * span gets the attributes {@value #INCIDENT_ID} and {@value #INCIDENT_FINGERPRINT}. Uses the OpenTelemetry
 * API's current context only, so it works with whatever SDK or agent the application runs, and with
 * Micrometer Tracing through its OpenTelemetry bridge.
 *
 * <pre>{@code
 * IncidentSdk incidents = IncidentSdk.builder()
 *         .traceCorrelation(OtelTraceCorrelation.create())
 *         .sink(OtelLogSink.create(openTelemetry))
 *         .build();
 * }</pre>
 *
 * @since 0.2.0
 */
public final class OtelTraceCorrelation implements TraceCorrelation {

    /** The span attribute naming the incident. */
    public static final String INCIDENT_ID = "incident.id";
    /** The span attribute holding the incident's fingerprint. */
    public static final String INCIDENT_FINGERPRINT = "incident.fingerprint";

    private static final AttributeKey<String> ID_KEY = AttributeKey.stringKey(INCIDENT_ID);
    private static final AttributeKey<String> FINGERPRINT_KEY = AttributeKey.stringKey(INCIDENT_FINGERPRINT);

    private OtelTraceCorrelation() {
    }

    /**
     * A correlation through the OpenTelemetry API's current context.
     *
     * @return the correlation
     */
    public static OtelTraceCorrelation create() {
        return new OtelTraceCorrelation();
    }

    /**
     * The ids of the current span, when it is valid.
     *
     * @return the ids, or {@code null} outside a span
     */
    @Override
    public TraceInfo current() {
        SpanContext context = Span.current().getSpanContext();
        return context.isValid() ? new TraceInfo(context.getTraceId(), context.getSpanId()) : null;
    }

    /**
     * Marks the current span with the incident.
     *
     * @param incidentId  the incident's id
     * @param fingerprint the incident's fingerprint
     */
    @Override
    public void recorded(String incidentId, String fingerprint) {
        Span span = Span.current();
        if (span.getSpanContext().isValid() && span.isRecording()) {
            span.setAttribute(ID_KEY, incidentId);
            span.setAttribute(FINGERPRINT_KEY, fingerprint);
        }
    }

    @Override
    public String toString() {
        return "OtelTraceCorrelation";
    }
}
