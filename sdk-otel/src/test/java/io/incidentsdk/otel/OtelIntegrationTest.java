package io.incidentsdk.otel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.incidentsdk.DatabaseInfo;
import io.incidentsdk.ErrorInfo;
import io.incidentsdk.Incident;
import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.Severity;
import io.incidentsdk.StatementInfo;
import io.incidentsdk.TraceInfo;
import io.incidentsdk.jdbc.JdbcIncidents;
import io.incidentsdk.sink.InMemorySink;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * OpenTelemetry with the OTel SDK as the application runs it, exporting to the SDK's in-memory exporters: a
 * failed JDBC call inside a span gives a record with that span's ids and marks the span with the incident;
 * the log-record sink emits each event with mapped severity, event name and semantic-convention attributes.
 */
class OtelIntegrationTest {

    private final InMemoryLogRecordExporter logs = InMemoryLogRecordExporter.create();
    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
            .setLoggerProvider(SdkLoggerProvider.builder().addLogRecordProcessor(SimpleLogRecordProcessor.create(logs)).build())
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .build();

    @AfterEach
    void closeOtel() {
        otel.close();
    }

    private IncidentSdk sdk(InMemorySink memory) {
        return IncidentSdk.builder().service("checkout", "1").housekeepingInterval(Duration.ofMillis(5))
                .traceCorrelation(OtelTraceCorrelation.create())
                .sink(OtelLogSink.create(otel)).sink(memory).build();
    }

    @Test
    void aFailedJdbcCallInsideASpanCarriesItsIdsAndTheSpanGetsTheIncidentId() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:otel-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=100");
        try (Connection setup = h2.getConnection(); Statement s = setup.createStatement()) {
            s.execute("CREATE TABLE account (id INT PRIMARY KEY, balance INT)");
            s.execute("INSERT INTO account VALUES (1, 100)");
        }
        InMemorySink memory = new InMemorySink(100);
        Tracer tracer = otel.getTracer("test");
        Span span;
        try (IncidentSdk sdk = sdk(memory); Connection holder = h2.getConnection()) {
            DataSource watched = JdbcIncidents.watch(h2, sdk);
            holder.setAutoCommit(false);
            try (Statement lock = holder.createStatement()) {
                lock.executeUpdate("UPDATE account SET balance = balance + 1 WHERE id = 1");
            }
            span = tracer.spanBuilder("POST /transfers").startSpan();
            Scope scope = span.makeCurrent();
            try (Connection c = watched.getConnection()) {
                c.setAutoCommit(false);
                try (Statement update = c.createStatement()) {
                    assertThatThrownBy(() -> update.executeUpdate("UPDATE account SET balance = balance - 1 WHERE id = 1"))
                            .isInstanceOf(SQLException.class);
                }
                c.rollback();
            } finally {
                scope.close();
                span.end();
                holder.rollback();
            }
            await().atMost(5, TimeUnit.SECONDS).until(() -> !memory.events().isEmpty() && !logs.getFinishedLogRecordItems().isEmpty());
        }
        Incident incident = memory.events().get(0).incident();
        assertThat(incident.kind()).isEqualTo(IncidentKind.LOCK_TIMEOUT);
        assertThat(incident.trace()).isEqualTo(new TraceInfo(span.getSpanContext().getTraceId(),
                span.getSpanContext().getSpanId()));
        SpanData finished = spans.getFinishedSpanItems().get(0);
        assertThat(finished.getAttributes().get(AttributeKey.stringKey(OtelTraceCorrelation.INCIDENT_ID)))
                .isEqualTo(incident.incidentId());
        assertThat(finished.getAttributes().get(AttributeKey.stringKey(OtelTraceCorrelation.INCIDENT_FINGERPRINT)))
                .isEqualTo(incident.fingerprint());

        LogRecordData log = logs.getFinishedLogRecordItems().get(0);
        assertThat(log.getSpanContext().getTraceId()).isEqualTo(span.getSpanContext().getTraceId());
        assertThat(log.getSpanContext().getSpanId()).isEqualTo(span.getSpanContext().getSpanId());
        assertThat(log.getEventName()).isEqualTo("incident.opened");
        assertThat(log.getAttributes().get(OtelLogSink.DB_SYSTEM_NAME)).isEqualTo("h2");
        assertThat(log.getAttributes().get(OtelLogSink.DB_RESPONSE_STATUS_CODE)).isEqualTo(incident.error().sqlState());
        assertThat(log.getAttributes().get(OtelLogSink.DB_QUERY_SUMMARY)).isEqualTo("UPDATE account");
        assertThat(log.getAttributes().get(OtelLogSink.EXCEPTION_TYPE)).isEqualTo(incident.error().exceptionClass());
        assertThat(log.getAttributes().get(OtelLogSink.INCIDENT_ID)).isEqualTo(incident.incidentId());
        // the SQL text (and so any literal) stays out of the log record's attributes
        assertThat(log.getAttributes().asMap().values().stream().map(String::valueOf).collect(Collectors.toList()))
                .noneMatch(v -> v.contains("balance"));
    }

    @Test
    void eventsAreEmittedWithMappedSeverityEventNameAndAttributes() {
        InMemorySink memory = new InMemorySink(100);
        Incident incident = Incident.builder(IncidentKind.DEADLOCK, "Deadlock on UPDATE account")
                .severity(Severity.CRITICAL)
                .database(new DatabaseInfo("postgresql", "PostgreSQL", "17.2", "ordersDataSource", null))
                .error(new ErrorInfo("DEADLOCK", "40P01", 0, "org.postgresql.util.PSQLException", "deadlock detected", true))
                .statement(new StatementInfo(StatementInfo.Role.VICTIM, "stmt:a",
                        "UPDATE \"account\" SET balance = balance - ? WHERE id = ?", "t", "c", null, null, List.of()))
                .build();
        try (IncidentSdk sdk = sdk(memory)) {
            sdk.open(incident).resolve("fixed");
            await().atMost(5, TimeUnit.SECONDS).until(() -> logs.getFinishedLogRecordItems().size() == 2);
        }
        List<LogRecordData> records = logs.getFinishedLogRecordItems();
        LogRecordData opened = records.get(0);
        assertThat(opened.getEventName()).isEqualTo("incident.opened");
        assertThat(opened.getSeverity()).isEqualTo(io.opentelemetry.api.logs.Severity.FATAL);
        assertThat(opened.getSeverityText()).isEqualTo("CRITICAL");
        assertThat(opened.getBodyValue().asString()).isEqualTo("Deadlock on UPDATE account");
        assertThat(opened.getAttributes().get(OtelLogSink.DB_SYSTEM_NAME)).isEqualTo("postgresql");
        assertThat(opened.getAttributes().get(OtelLogSink.DB_RESPONSE_STATUS_CODE)).isEqualTo("40P01");
        assertThat(opened.getAttributes().get(OtelLogSink.ERROR_TYPE)).isEqualTo("org.postgresql.util.PSQLException");
        assertThat(opened.getAttributes().get(OtelLogSink.DB_QUERY_SUMMARY)).isEqualTo("UPDATE account");
        assertThat(opened.getAttributes().get(OtelLogSink.INCIDENT_KIND)).isEqualTo("DEADLOCK");
        assertThat(opened.getAttributes().get(OtelLogSink.INCIDENT_DATA_SOURCE)).isEqualTo("ordersDataSource");
        assertThat(opened.getSpanContext().isValid()).isFalse(); // recorded outside any span
        IncidentEvent resolvedEvent = memory.events().get(1);
        LogRecordData resolved = records.get(1);
        assertThat(resolved.getEventName()).isEqualTo("incident.resolved");
        assertThat(resolved.getSeverity()).isEqualTo(io.opentelemetry.api.logs.Severity.INFO);
        assertThat(resolved.getAttributes().get(OtelLogSink.INCIDENT_EVENT_ID)).isEqualTo(resolvedEvent.eventId());
        assertThat(resolved.getTimestampEpochNanos())
                .isEqualTo(TimeUnit.MILLISECONDS.toNanos(resolvedEvent.eventTime().toEpochMilli()));
    }

    @Test
    void querySummariesKeepOperationAndTableOnly() {
        assertThat(QuerySummary.of("SELECT a, b FROM orders o JOIN items i ON i.o = o.id WHERE o.id = ?"))
                .isEqualTo("SELECT orders");
        assertThat(QuerySummary.of("insert into ledger (id, total) values (?, ?)")).isEqualTo("INSERT ledger");
        assertThat(QuerySummary.of("DELETE FROM `session` WHERE expires < ?")).isEqualTo("DELETE session");
        assertThat(QuerySummary.of("update account set x = ?")).isEqualTo("UPDATE account");
        assertThat(QuerySummary.of("VACUUM")).isNull();
        assertThat(QuerySummary.of(null)).isNull();
    }
}
