package io.incidentsdk.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.incidentsdk.Incident;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.otel.OtelTraceCorrelation;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code incident.sinks.otel.*}: with {@code incident-sdk-otel} on the class path every incident event becomes a
 * log record of the application's {@code OpenTelemetry} bean, records carry the failing call's trace, and both
 * can be switched off; the logging sink's default is not changed by it.
 */
class OtelAutoConfigurationTests {

    private final InMemoryLogRecordExporter logs = InMemoryLogRecordExporter.create();
    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
            .setLoggerProvider(SdkLoggerProvider.builder().addLogRecordProcessor(SimpleLogRecordProcessor.create(logs))
                    .build())
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .build();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(IncidentAutoConfiguration.class))
            .withBean(OpenTelemetry.class, () -> otel);

    @AfterEach
    void close() {
        otel.close();
    }

    private static Incident incident(String title) {
        return Incident.builder(IncidentKind.CUSTOM, title).summary("the payment provider timed out").build();
    }

    @Test
    void everyEventBecomesALogRecordOfTheApplicationsOpenTelemetryWithTheTraceOfTheFailingCall() {
        runner.run(context -> {
            IncidentSdk sdk = context.getBean(IncidentSdk.class);
            Span span = otel.getTracer("test").spanBuilder("checkout").startSpan();
            Scope scope = span.makeCurrent();
            try {
                sdk.record(incident("provider timing out"));
            } finally {
                scope.close();
                span.end();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> !logs.getFinishedLogRecordItems().isEmpty());
            LogRecordData record = logs.getFinishedLogRecordItems().get(0);
            assertThat(record.getEventName()).isEqualTo("incident.opened");
            assertThat(record.getSpanContext().getTraceId()).isEqualTo(span.getSpanContext().getTraceId());
            assertThat(spans.getFinishedSpanItems()).singleElement().satisfies(s -> assertThat(
                    s.getAttributes().asMap().keySet()).extracting(Object::toString)
                    .contains(OtelTraceCorrelation.INCIDENT_ID));
        });
    }

    @Test
    void switchedOffNoRecordIsEmittedAndNoTraceIsTaken() {
        runner.withPropertyValues("incident.sinks.otel.enabled=false", "incident.sinks.otel.trace-correlation=false")
                .run(context -> {
                    IncidentSdk sdk = context.getBean(IncidentSdk.class);
                    Span span = otel.getTracer("test").spanBuilder("checkout").startSpan();
                    Scope scope = span.makeCurrent();
                    try {
                        sdk.record(incident("provider timing out"));
                    } finally {
                        scope.close();
                        span.end();
                    }
                    sdk.close();
                    assertThat(logs.getFinishedLogRecordItems()).isEmpty();
                    assertThat(spans.getFinishedSpanItems()).singleElement().satisfies(s -> assertThat(
                            s.getAttributes().asMap().keySet()).extracting(Object::toString)
                            .doesNotContain(OtelTraceCorrelation.INCIDENT_ID));
                });
    }

    @Test
    void theLoggingSinksDefaultStaysOnWhenOpenTelemetryIsTheOnlyOtherSink() {
        runner.run(context -> assertThat(context.getBean(IncidentSdk.class).sinkStats())
                .extracting(io.incidentsdk.SinkStats::sink).anySatisfy(name -> assertThat(name).containsIgnoringCase("log"))
                .anySatisfy(name -> assertThat(name).containsIgnoringCase("otel")));
    }

    @Test
    void withoutAnOpenTelemetryInstanceThereIsNoOpenTelemetrySinkAndTheApplicationMayStillRegisterOneGlobally() {
        io.opentelemetry.api.GlobalOpenTelemetry.resetForTest();
        try {
            new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(IncidentAutoConfiguration.class))
                    .run(context -> {
                        assertThat(context.getBean(IncidentSdk.class).sinkStats())
                                .extracting(io.incidentsdk.SinkStats::sink)
                                .noneSatisfy(name -> assertThat(name).containsIgnoringCase("otel"));
                        // the SDK did not take the global instance: the application's own registration works
                        io.opentelemetry.api.GlobalOpenTelemetry.set(otel);
                        assertThat(io.opentelemetry.api.GlobalOpenTelemetry.isSet()).isTrue();
                    });
        } finally {
            io.opentelemetry.api.GlobalOpenTelemetry.resetForTest();
        }
    }
}
