package io.incidentsdk.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.incidentsdk.jdbc.JdbcWatchOptions;
import io.incidentsdk.jdbc.RetryPolicy;
import io.incidentsdk.jdbc.SqlFailureCategory;
import io.incidentsdk.sink.JsonLinesFileSink;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.util.unit.DataSize;

/** {@code incident.*}: binding from relaxed names, defaults equal to the core's, and IDE metadata. */
class IncidentPropertiesTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(IncidentAutoConfiguration.class));

    @Test
    void durationsListsSizesAndEnumsBindFromRelaxedNames() {
        runner.withPropertyValues(
                "incident.update-interval=2s",
                "incident.quiet-period=1m",
                "incident.sinks.file.path=build/incidents.jsonl",
                "incident.sinks.file.max-file-size=10MB",
                "incident.sinks.file.max-files=0",
                "incident.sinks.file.fsync=every-event",
                "incident.jdbc.excluded-beans=reportingDataSource, auditDataSource",
                "incident.jdbc.incident-categories=deadlock,PROGRAMMING_ERROR, lock-timeout",
                "incident.jdbc.auto-commit-retry=false",
                "incident.jdbc.auto-commit-max-attempts=2",
                "incident.jdbc.spike.enabled=false",
                "incident.jdbc.spike.threshold=0.5",
                "incident.jdbc.spike.recovery-threshold=0.25",
                "incident.jdbc.spike.minimum-calls=50",
                "incident.jdbc.spike.window=30s",
                "incident.jdbc.spike.buckets=6",
                "incident.jdbc.spike.cool-down=500ms",
                "incident.jdbc.lock-order.sampling=1",
                "incident.jdbc.lock-order.avoidance=in-process",
                "incident.retry.max-attempts=7",
                "incident.retry.initial-backoff=20ms",
                "incident.retry.max-backoff=2s",
                "incident.retry.max-total-time=1m",
                "incident.retry.lock-timeouts=true").run(context -> {
                    IncidentProperties properties = context.getBean(IncidentProperties.class);
                    assertThat(properties.getUpdateInterval()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(properties.getQuietPeriod()).isEqualTo(Duration.ofMinutes(1));
                    assertThat(properties.getSinks().getFile().getPath()).isEqualTo(Path.of("build/incidents.jsonl"));
                    assertThat(properties.getSinks().getFile().getMaxFileSize()).isEqualTo(DataSize.ofMegabytes(10));
                    assertThat(properties.getSinks().getFile().getMaxFiles()).isZero();
                    assertThat(properties.getSinks().getFile().getFsync()).isEqualTo(JsonLinesFileSink.Fsync.EVERY_EVENT);
                    assertThat(properties.getJdbc().getExcludedBeans())
                            .containsExactly("reportingDataSource", "auditDataSource");

                    JdbcWatchOptions options = IncidentDataSourcePostProcessor.options(properties.getJdbc(), "orders")
                            .build();
                    assertThat(options.dataSourceName()).isEqualTo("orders");
                    assertThat(options.incidentCategories()).containsExactlyInAnyOrder(SqlFailureCategory.DEADLOCK,
                            SqlFailureCategory.PROGRAMMING_ERROR, SqlFailureCategory.LOCK_TIMEOUT);
                    assertThat(options.autoCommitRetry()).isFalse();
                    assertThat(options.autoCommitMaxAttempts()).isEqualTo(2);
                    assertThat(options.spikeDetection()).isFalse();
                    assertThat(options.spikeThreshold()).isEqualTo(0.5);
                    assertThat(options.spikeRecoveryThreshold()).isEqualTo(0.25);
                    assertThat(options.spikeMinimumCalls()).isEqualTo(50);
                    assertThat(options.spikeWindow()).isEqualTo(Duration.ofSeconds(30));
                    assertThat(options.spikeBuckets()).isEqualTo(6);
                    assertThat(options.spikeCoolDown()).isEqualTo(Duration.ofMillis(500));
                    assertThat(options.lockOrderSampling()).isEqualTo(1.0);
                    assertThat(options.lockOrderAvoidance()).isEqualTo(io.incidentsdk.jdbc.LockOrderAvoidance.IN_PROCESS);

                    IncidentProperties.Retry retry = properties.getRetry();
                    assertThat(retry.getMaxAttempts()).isEqualTo(7);
                    assertThat(retry.getInitialBackoff()).isEqualTo(Duration.ofMillis(20));
                    assertThat(retry.getMaxBackoff()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(retry.getMaxTotalTime()).isEqualTo(Duration.ofMinutes(1));
                    assertThat(retry.isLockTimeouts()).isTrue();
                });
    }

    @Test
    void indexedListEntriesBindAsFromYaml() {
        runner.withPropertyValues("incident.jdbc.excluded-beans[0]=reportingDataSource",
                "incident.jdbc.excluded-beans[1]=auditDataSource").run(context ->
                        assertThat(context.getBean(IncidentProperties.class).getJdbc().getExcludedBeans())
                                .containsExactly("reportingDataSource", "auditDataSource"));
    }

    @Test
    void everyDefaultIsTheDefaultOfTheCoreBuilders() {
        IncidentProperties properties = new IncidentProperties();

        JdbcWatchOptions mapped = IncidentDataSourcePostProcessor.options(properties.getJdbc(), "default").build();
        JdbcWatchOptions core = JdbcWatchOptions.defaults();
        assertThat(mapped.incidentCategories()).isEqualTo(core.incidentCategories());
        assertThat(mapped.autoCommitRetry()).isEqualTo(core.autoCommitRetry());
        assertThat(mapped.autoCommitMaxAttempts()).isEqualTo(core.autoCommitMaxAttempts());
        assertThat(mapped.spikeDetection()).isEqualTo(core.spikeDetection());
        assertThat(mapped.spikeWindow()).isEqualTo(core.spikeWindow());
        assertThat(mapped.spikeBuckets()).isEqualTo(core.spikeBuckets());
        assertThat(mapped.spikeThreshold()).isEqualTo(core.spikeThreshold());
        assertThat(mapped.spikeRecoveryThreshold()).isEqualTo(core.spikeRecoveryThreshold());
        assertThat(mapped.spikeMinimumCalls()).isEqualTo(core.spikeMinimumCalls());
        assertThat(mapped.spikeCoolDown()).isEqualTo(core.spikeCoolDown());
        assertThat(mapped.lockOrderSampling()).isEqualTo(core.lockOrderSampling());
        assertThat(mapped.lockOrderAvoidance()).isEqualTo(core.lockOrderAvoidance());

        IncidentProperties.Retry retry = properties.getRetry();
        RetryPolicy policy = RetryPolicy.defaults();
        assertThat(retry.getMaxAttempts()).isEqualTo(policy.maxAttempts());
        assertThat(retry.getInitialBackoff()).isEqualTo(policy.initialBackoff());
        assertThat(retry.getMaxBackoff()).isEqualTo(policy.maxBackoff());
        assertThat(retry.getMaxTotalTime()).isEqualTo(policy.maxTotalTime());
        assertThat(retry.isLockTimeouts()).isEqualTo(policy.retries(SqlFailureCategory.LOCK_TIMEOUT));

        // the SDK's documented defaults (IncidentSdk.Builder does not expose them)
        assertThat(properties.getUpdateInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(properties.getQuietPeriod()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void everyPropertyIsDocumentedForTheIde() throws Exception {
        JsonNode metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("metadata generated by the configuration processor").isNotNull();
            metadata = new ObjectMapper().readTree(in);
        }
        List<String> names = new ArrayList<>();
        for (JsonNode property : metadata.get("properties")) {
            names.add(property.get("name").asText());
            assertThat(property.path("description").asText()).as(property.get("name").asText()).isNotBlank();
        }
        assertThat(names).contains("incident.enabled", "incident.service.name", "incident.sinks.log.enabled",
                "incident.sinks.file.path", "incident.jdbc.excluded-beans", "incident.jdbc.incident-categories",
                "incident.jdbc.spike.cool-down", "incident.retry.max-total-time", "incident.jdbc.under-pool",
                "incident.retry.annotation-enabled", "incident.health.down-on-critical",
                "incident.context.http", "incident.context.mdc-keys", "management.endpoint.incidents.access",
                "incident.sinks.webhook.url", "incident.sinks.webhook.secret", "incident.sinks.webhook.headers",
                "incident.sinks.webhook.delivery.spool-directory", "incident.sinks.pagerduty.routing-key",
                "incident.sinks.pagerduty.delivery.fsync", "incident.sinks.slack.webhook-url",
                "incident.sinks.slack.delivery.close-timeout", "incident.sinks.otel.enabled",
                "incident.sinks.otel.trace-correlation", "incident.sinks.kafka.bootstrap-servers",
                "incident.sinks.kafka.topic", "incident.sinks.kafka.properties",
                "incident.sinks.kafka.delivery.spool-directory", "incident.jdbc.lock-order.sampling",
                "incident.jdbc.lock-order.avoidance")
                .hasSize(111);
    }
}
