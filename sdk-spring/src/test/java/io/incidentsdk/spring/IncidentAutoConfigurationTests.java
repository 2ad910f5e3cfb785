package io.incidentsdk.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.incidentsdk.Incident;
import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.SinkStats;
import io.incidentsdk.micrometer.IncidentSdkMetrics;
import io.incidentsdk.sink.InMemorySink;
import io.incidentsdk.sink.JsonLinesFileSink;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@link IncidentSdk} bean: when it exists, what it is made of, and when it backs off. */
class IncidentAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(IncidentAutoConfiguration.class));

    @Test
    void anSdkExistsByDefaultAndLogsWhenThereIsNoOtherSink() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(IncidentSdk.class).hasSingleBean(IncidentProperties.class);
            assertThat(sinkNames(context.getBean(IncidentSdk.class))).containsExactly("log");
        });
    }

    @Test
    void incidentEnabledFalseCreatesNothing() {
        runner.withPropertyValues("incident.enabled=false").run(context -> assertThat(context)
                .doesNotHaveBean(IncidentSdk.class)
                .doesNotHaveBean(IncidentProperties.class));
    }

    @Test
    void anSdkOfTheApplicationTakesPrecedence() {
        runner.withUserConfiguration(OwnSdk.class).run(context -> {
            assertThat(context).hasSingleBean(IncidentSdk.class);
            assertThat(context.getBean(IncidentSdk.class).service().name()).isEqualTo("hand-made");
        });
    }

    @Test
    void theServiceIsNamedAfterTheApplicationUnlessNamedExplicitly() {
        runner.run(context -> assertThat(context.getBean(IncidentSdk.class).service().name())
                .isEqualTo("application"));
        runner.withPropertyValues("spring.application.name=checkout").run(context ->
                assertThat(context.getBean(IncidentSdk.class).service().name()).isEqualTo("checkout"));
        runner.withPropertyValues("spring.application.name=checkout", "incident.service.name=payments",
                "incident.service.version=1.4.2", "incident.service.environment=prod").run(context -> {
                    IncidentSdk sdk = context.getBean(IncidentSdk.class);
                    assertThat(sdk.service().name()).isEqualTo("payments");
                    assertThat(sdk.service().version()).isEqualTo("1.4.2");
                    assertThat(sdk.service().environment()).isEqualTo("prod");
                });
    }

    @Test
    void sinkBeansOfTheApplicationReceiveIncidentsInsteadOfTheLog() {
        runner.withUserConfiguration(MemorySink.class).run(context -> {
            IncidentSdk sdk = context.getBean(IncidentSdk.class);
            assertThat(sinkNames(sdk)).containsExactly("memory");

            sdk.record(Incident.builder(IncidentKind.CUSTOM, "Nightly export failed").build());

            InMemorySink memory = context.getBean(InMemorySink.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> !memory.events().isEmpty());
            assertThat(memory.events().get(0).incident().title()).isEqualTo("Nightly export failed");
        });
    }

    @Test
    void theLogSinkCanBeForcedOnOrOff() {
        runner.withUserConfiguration(MemorySink.class).withPropertyValues("incident.sinks.log.enabled=true")
                .run(context -> assertThat(sinkNames(context.getBean(IncidentSdk.class)))
                        .containsExactly("log", "memory"));
        runner.withPropertyValues("incident.sinks.log.enabled=false")
                .run(context -> assertThat(sinkNames(context.getBean(IncidentSdk.class))).containsExactly("discard"));
    }

    @Test
    void aFilePathWritesJsonLinesThatOutliveTheContext(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("logs").resolve("incidents.jsonl");
        runner.withPropertyValues("incident.sinks.file.path=" + file, "incident.sinks.file.max-file-size=1MB",
                "incident.sinks.file.max-files=2", "incident.sinks.file.fsync=every-event").run(context -> {
                    IncidentSdk sdk = context.getBean(IncidentSdk.class);
                    assertThat(sinkNames(sdk)).containsExactly("file");
                    sdk.record(Incident.builder(IncidentKind.CUSTOM, "Payment provider timing out").build());
                });
        // closing the context closed the SDK, which delivered what was queued
        List<IncidentEvent> events = JsonLinesFileSink.read(file);
        assertThat(events).extracting(IncidentEvent::event).containsExactly(IncidentEvent.Type.OPENED);
        assertThat(events.get(0).incident().title()).isEqualTo("Payment provider timing out");
        assertThat(events.get(0).incident().service().name()).isEqualTo("application");
        assertThat(Files.readAllLines(file)).hasSize(1);
    }

    @Test
    void closingTheContextClosesTheSdk() {
        IncidentSdk[] sdk = new IncidentSdk[1];
        runner.run(context -> {
            sdk[0] = context.getBean(IncidentSdk.class);
            assertThat(sdk[0].isClosed()).isFalse();
        });
        assertThat(sdk[0].isClosed()).isTrue();
    }

    @Test
    void theSdkPublishesItsMetricsToTheApplicationsMeterRegistry() {
        runner.withUserConfiguration(Registry.class).run(context -> {
            SimpleMeterRegistry registry = context.getBean(SimpleMeterRegistry.class);
            context.getBean(IncidentSdk.class).record(Incident.builder(IncidentKind.CUSTOM, "Queue stuck").build());

            await().atMost(Duration.ofSeconds(10)).until(() -> registry.find(IncidentSdkMetrics.EVENTS)
                    .tag("kind", "CUSTOM").counter() != null);
            assertThat(registry.get(IncidentSdkMetrics.OPEN).gauge().value()).isEqualTo(1.0);
        });
    }

    @Test
    void withoutMicrometerTheSdkStillStartsAndRecords() {
        runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class)).withUserConfiguration(MemorySink.class)
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(IncidentSdk.class)
                            .doesNotHaveBean("incidentSdkMeterRegistryCustomizer");
                    context.getBean(IncidentSdk.class)
                            .record(Incident.builder(IncidentKind.CUSTOM, "No metrics here").build());
                    InMemorySink memory = context.getBean(InMemorySink.class);
                    await().atMost(Duration.ofSeconds(10)).until(() -> !memory.events().isEmpty());
                });
    }

    @Test
    void customizerBeansAdjustTheBuilderAfterTheProperties() {
        runner.withPropertyValues("incident.service.name=payments").withBean(IncidentSdkBuilderCustomizer.class,
                () -> builder -> builder.instance("pod-7")).run(context -> {
                    IncidentSdk sdk = context.getBean(IncidentSdk.class);
                    assertThat(sdk.service().instance()).isEqualTo("pod-7");
                    assertThat(sdk.service().name()).isEqualTo("payments");
                });
    }

    @Test
    void aBadSettingStopsStartupWithAMessageThatNamesIt() {
        runner.withPropertyValues("incident.update-interval=2h").run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("updateInterval").hasMessageContaining("PT2H"));
    }

    private static List<String> sinkNames(IncidentSdk sdk) {
        return sdk.sinkStats().stream().map(SinkStats::sink).toList();
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnSdk {
        @Bean(destroyMethod = "close")
        IncidentSdk ownSdk() {
            return IncidentSdk.builder().service("hand-made", null).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class MemorySink {
        @Bean
        InMemorySink memorySink() {
            return new InMemorySink(100);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Registry {
        @Bean
        SimpleMeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }
}
