package io.incidentsdk.otel;

import io.incidentsdk.ErrorInfo;
import io.incidentsdk.Incident;
import io.incidentsdk.IncidentEvent;
import io.incidentsdk.sink.IncidentSink;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.logs.LogRecordBuilder;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import java.util.Locale;
import java.util.Objects;

/**
 * Emits each incident event as an OpenTelemetry log record, through the application's
 * {@link OpenTelemetry} (its SDK exports it to the backend the application configured).
 *
 * <p>The record: event name {@code incident.opened}, {@code incident.updated} or {@code incident.resolved};
 * severity {@code INFO}, {@code WARN}, {@code ERROR} or {@code FATAL} from the incident's severity
 * ({@code INFO} for RESOLVED events), with the SDK's name as severity text; the title as body; the event
 * time as timestamp; the trace context of the failing call when the record has one (see
 * {@link OtelTraceCorrelation}); and attributes named after the current semantic conventions:
 * {@code db.system.name}, {@code db.response.status_code} (the SQLState, else the vendor code),
 * {@code db.query.summary} (operation and table of the first statement, for example {@code UPDATE account}),
 * {@code error.type} and {@code exception.type} (the driver's exception class; {@code error.type} is the
 * incident's kind when the record has no error); and the incident's own {@code incident.id},
 * {@code incident.fingerprint}, {@code incident.kind}, {@code incident.event_id},
 * {@code incident.occurrences}, {@code incident.data_source}. No SQL text, bind value or literal is sent
 * beyond what the record holds (sanitized SQL stays in the record only).
 *
 * @since 0.2.0
 */
public final class OtelLogSink implements IncidentSink {

    /** The instrumentation scope name of the log records. */
    public static final String SCOPE = "io.incidentsdk";

    static final AttributeKey<String> DB_SYSTEM_NAME = AttributeKey.stringKey("db.system.name");
    static final AttributeKey<String> DB_RESPONSE_STATUS_CODE = AttributeKey.stringKey("db.response.status_code");
    static final AttributeKey<String> DB_QUERY_SUMMARY = AttributeKey.stringKey("db.query.summary");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
    static final AttributeKey<String> INCIDENT_ID = AttributeKey.stringKey("incident.id");
    static final AttributeKey<String> INCIDENT_FINGERPRINT = AttributeKey.stringKey("incident.fingerprint");
    static final AttributeKey<String> INCIDENT_KIND = AttributeKey.stringKey("incident.kind");
    static final AttributeKey<String> INCIDENT_EVENT_ID = AttributeKey.stringKey("incident.event_id");
    static final AttributeKey<Long> INCIDENT_OCCURRENCES = AttributeKey.longKey("incident.occurrences");
    static final AttributeKey<String> INCIDENT_DATA_SOURCE = AttributeKey.stringKey("incident.data_source");

    private final Logger logger;

    private OtelLogSink(Logger logger) {
        this.logger = logger;
    }

    /**
     * A sink emitting through the given OpenTelemetry instance.
     *
     * @param openTelemetry the application's instance, not {@code null}
     * @return a new sink
     */
    public static OtelLogSink create(OpenTelemetry openTelemetry) {
        Objects.requireNonNull(openTelemetry, "openTelemetry must not be null");
        return new OtelLogSink(openTelemetry.getLogsBridge().loggerBuilder(SCOPE).build());
    }

    @Override
    public void publish(IncidentEvent event) {
        Incident incident = event.incident();
        LogRecordBuilder record = logger.logRecordBuilder()
                .setEventName("incident." + event.event().name().toLowerCase(Locale.ROOT))
                .setTimestamp(event.eventTime())
                .setSeverity(severity(event))
                .setSeverityText(event.event() == IncidentEvent.Type.RESOLVED ? "INFO" : incident.severity().name())
                .setBody(incident.title())
                .setAttribute(INCIDENT_ID, incident.incidentId())
                .setAttribute(INCIDENT_FINGERPRINT, incident.fingerprint())
                .setAttribute(INCIDENT_KIND, incident.kind().name())
                .setAttribute(INCIDENT_EVENT_ID, event.eventId())
                .setAttribute(INCIDENT_OCCURRENCES, incident.occurrences());
        Context context = traceContext(incident);
        if (context != null) {
            record.setContext(context);
        }
        if (incident.database() != null) {
            setIfPresent(record, DB_SYSTEM_NAME, incident.database().system());
            setIfPresent(record, INCIDENT_DATA_SOURCE, incident.database().dataSource());
        }
        ErrorInfo error = incident.error();
        if (error != null) {
            String status = error.sqlState() != null ? error.sqlState()
                    : error.vendorCode() != null && error.vendorCode() != 0 ? Integer.toString(error.vendorCode()) : null;
            setIfPresent(record, DB_RESPONSE_STATUS_CODE, status);
            setIfPresent(record, EXCEPTION_TYPE, error.exceptionClass());
            setIfPresent(record, ERROR_TYPE, error.exceptionClass() != null ? error.exceptionClass() : error.category());
        } else {
            record.setAttribute(ERROR_TYPE, incident.kind().name());
        }
        if (!incident.statements().isEmpty()) {
            setIfPresent(record, DB_QUERY_SUMMARY, QuerySummary.of(incident.statements().get(0).sql()));
        }
        record.emit();
    }

    private static void setIfPresent(LogRecordBuilder record, AttributeKey<String> key, String value) {
        if (value != null && !value.isEmpty()) {
            record.setAttribute(key, value);
        }
    }

    static Severity severity(IncidentEvent event) {
        if (event.event() == IncidentEvent.Type.RESOLVED) {
            return Severity.INFO;
        }
        switch (event.incident().severity()) {
            case INFO:
                return Severity.INFO;
            case WARNING:
                return Severity.WARN;
            case ERROR:
                return Severity.ERROR;
            default:
                return Severity.FATAL;
        }
    }

    /** The failing call's trace as a parent context, when the record carries valid ids. */
    private static Context traceContext(Incident incident) {
        if (incident.trace() == null || incident.trace().traceId() == null || incident.trace().spanId() == null) {
            return null;
        }
        SpanContext span = SpanContext.create(incident.trace().traceId(), incident.trace().spanId(),
                TraceFlags.getSampled(), TraceState.getDefault());
        return span.isValid() ? Context.root().with(Span.wrap(span)) : null;
    }

    @Override
    public String name() {
        return "otel";
    }
}
