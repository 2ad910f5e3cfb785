package io.incidentsdk.sink;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.incidentsdk.Fixtures;
import io.incidentsdk.Incident;
import io.incidentsdk.IncidentEvent;
import io.incidentsdk.RetryInfo;
import io.incidentsdk.StatementInfo;
import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;
import org.apache.logging.log4j.layout.template.json.JsonTemplateLayout;
import org.apache.logging.slf4j.Log4jLoggerFactory;
import org.apache.logging.slf4j.Log4jMarkerFactory;
import org.junit.jupiter.api.Test;

/**
 * The logging sink's key-values reach structured logs as separate JSON fields through the two common JSON
 * encoders: logback's {@code JsonEncoder} and log4j2's {@code JsonTemplateLayout} (ECS template) behind
 * {@code log4j-slf4j2-impl}. Each backend is built here on its own, so the tests' SLF4J provider stays logback.
 */
class LoggingSinkJsonEncodersTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static IncidentEvent deadlockEvent() {
        Incident incident = Fixtures.fullIncident().toBuilder()
                .statements(List.of(
                        new StatementInfo(StatementInfo.Role.VICTIM, "stmt:debit",
                                "UPDATE account SET balance = balance - ? WHERE id = ?", "worker-1", "c1", "4711", 12L,
                                List.of("stmt:credit"), "TransferService.debitFirst(TransferService.java:42)"),
                        new StatementInfo(StatementInfo.Role.BLOCKER, "stmt:credit",
                                "UPDATE account SET balance = balance + ? WHERE id = ?", "worker-2", "c2", "4712", 9L,
                                List.of("stmt:debit"), "TransferService.creditFirst(TransferService.java:57)")))
                .retry(new RetryInfo(2, RetryInfo.Outcome.SUCCEEDED, null))
                .build();
        return Fixtures.event(IncidentEvent.Type.OPENED, incident);
    }

    @Test
    void logbacksJsonEncoderWritesEveryKeyFactAsItsOwnField() throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        context.start();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(context);
        encoder.start();
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setOutputStream(bytes);
        appender.start();
        ch.qos.logback.classic.Logger logger = context.getLogger("incidents");
        logger.setLevel(Level.INFO);
        logger.addAppender(appender);
        IncidentEvent event = deadlockEvent();

        LoggingSink.to(logger).publish(event);
        appender.stop();
        context.stop();

        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).as("one line per event").hasSize(1);
        JsonNode line = JSON.readTree(lines.get(0));
        assertThat(line.get("level").asText()).isEqualTo("ERROR");
        assertThat(line.get("message").asText()).isEqualTo(LoggingSink.format(event));
        Map<String, String> fields = new HashMap<>();
        for (JsonNode pair : line.get("kvpList")) {
            pair.properties().forEach(e -> fields.put(e.getKey(), e.getValue().asText()));
        }
        assertKeyFacts(fields, event);
    }

    @Test
    void log4j2sJsonTemplateLayoutWritesEveryKeyFactAsItsOwnField() throws Exception {
        StringWriter out = new StringWriter();
        BuiltConfiguration built = ConfigurationBuilderFactory.newConfigurationBuilder()
                .setConfigurationName("incident-sdk-test").build(false);
        org.apache.logging.log4j.core.LoggerContext context = Configurator.initialize(built);
        try {
            Configuration configuration = context.getConfiguration();
            JsonTemplateLayout layout = JsonTemplateLayout.newBuilder().setConfiguration(configuration)
                    .setEventTemplateUri("classpath:EcsLayout.json").build();
            Appender appender = WriterAppender.newBuilder().setName("json").setTarget(out).setLayout(layout)
                    .setConfiguration(configuration).build();
            appender.start();
            configuration.addAppender(appender);
            LoggerConfig loggerConfig = new LoggerConfig("incidents", org.apache.logging.log4j.Level.INFO, false);
            loggerConfig.addAppender(appender, null, null);
            configuration.addLogger("incidents", loggerConfig);
            context.updateLoggers();
            org.slf4j.Logger logger = new Log4jLoggerFactory(new Log4jMarkerFactory()) {
                @Override
                protected org.apache.logging.log4j.spi.LoggerContext getContext() {
                    return context;
                }
            }.getLogger("incidents");
            IncidentEvent event = deadlockEvent();

            LoggingSink.to(logger).publish(event);

            List<String> lines = out.toString().lines().toList();
            assertThat(lines).as("one line per event").hasSize(1);
            JsonNode line = JSON.readTree(lines.get(0));
            assertThat(line.get("log.level").asText()).isEqualTo("ERROR");
            assertThat(line.get("message").asText()).isEqualTo(LoggingSink.format(event));
            Map<String, String> fields = new HashMap<>();
            line.properties().forEach(e -> fields.put(e.getKey(), e.getValue().asText()));
            assertKeyFacts(fields, event);
        } finally {
            Configurator.shutdown(context);
        }
    }

    private static void assertKeyFacts(Map<String, String> fields, IncidentEvent event) {
        Incident incident = event.incident();
        assertThat(fields)
                .containsEntry("event", "OPENED")
                .containsEntry("kind", "DEADLOCK")
                .containsEntry("severity", "ERROR")
                .containsEntry("title", incident.title())
                .containsEntry("summary", incident.summary())
                .containsEntry("category", "DEADLOCK")
                .containsEntry("statements", "2")
                .containsEntry("statement.1.role", "victim")
                .containsEntry("statement.1.sql", "UPDATE account SET balance = balance - ? WHERE id = ?")
                .containsEntry("statement.1.callSite", "TransferService.debitFirst(TransferService.java:42)")
                .containsEntry("statement.2.role", "blocker")
                .containsEntry("statement.2.sql", "UPDATE account SET balance = balance + ? WHERE id = ?")
                .containsEntry("statement.2.callSite", "TransferService.creditFirst(TransferService.java:57)")
                .containsEntry("hint", incident.hints().get(0))
                .containsEntry("occurrences", "3")
                .containsEntry("retry.outcome", "SUCCEEDED")
                .containsEntry("retry.attempts", "2")
                .containsEntry("incidentId", incident.incidentId())
                .containsEntry("fingerprint", incident.fingerprint())
                .containsEntry("eventId", event.eventId());
    }
}
