package io.incidentsdk.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentsdk.IncidentSdk;
import io.incidentsdk.SinkStats;
import io.incidentsdk.kafka.KafkaSink;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code incident.sinks.kafka.*}: on when the bootstrap servers are set and the Kafka client is present. */
class KafkaSinkAutoConfigurationTests {

    private static final String PASSWORD = "kafka-spring-secret-42";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(IncidentAutoConfiguration.class));

    @Test
    void theSinkIsAddedToTheSdkWithItsTopicPropertiesAndDelivery() {
        runner.withPropertyValues("incident.sinks.kafka.bootstrap-servers=127.0.0.1:9",
                        "incident.sinks.kafka.topic=checkout-incidents",
                        "incident.sinks.kafka.properties.security.protocol=SASL_PLAINTEXT",
                        "incident.sinks.kafka.properties.sasl.mechanism=PLAIN",
                        "incident.sinks.kafka.properties[sasl.jaas.config]=org.apache.kafka.common.security.plain."
                                + "PlainLoginModule required username=\"app\" password=\"" + PASSWORD + "\";",
                        "incident.sinks.kafka.delivery.close-timeout=200ms")
                .run(context -> {
                    KafkaSink sink = context.getBean(KafkaSink.class);
                    assertThat(sink.toString()).contains("checkout-incidents", "127.0.0.1:9", "sasl.jaas.config",
                            "security.protocol").doesNotContain(PASSWORD);
                    assertThat(context.getBean(IncidentSdk.class).sinkStats()).extracting(SinkStats::sink)
                            .contains("kafka");
                });
    }

    @Test
    void noSinkWithoutBootstrapServers() {
        runner.run(context -> assertThat(context).doesNotHaveBean(KafkaSink.class));
    }

    @Test
    void noSinkWithoutTheKafkaClient() {
        runner.withPropertyValues("incident.sinks.kafka.bootstrap-servers=127.0.0.1:9")
                .withClassLoader(new FilteredClassLoader(KafkaProducer.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("incidentKafkaSink"));
    }

    @Test
    void anApplicationsOwnKafkaSinkIsUsedInstead() {
        runner.withPropertyValues("incident.sinks.kafka.bootstrap-servers=127.0.0.1:9")
                .withBean("mySink", KafkaSink.class, () -> KafkaSink.builder("127.0.0.1:9", "mine").name("mine").build())
                .run(context -> {
                    assertThat(context).hasSingleBean(KafkaSink.class);
                    assertThat(context.getBean(KafkaSink.class).name()).isEqualTo("mine");
                });
    }

    @Test
    void anInvalidTopicFailsAtStartWithoutShowingTheProperties() {
        runner.withPropertyValues("incident.sinks.kafka.bootstrap-servers=127.0.0.1:9",
                        "incident.sinks.kafka.topic=not a topic",
                        "incident.sinks.kafka.properties[sasl.jaas.config]=password=\"" + PASSWORD + "\"")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).hasStackTraceContaining("topic")
                            .satisfies(e -> assertThat(stackTrace(e)).doesNotContain(PASSWORD));
                });
    }

    private static String stackTrace(Throwable e) {
        java.io.StringWriter out = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }
}
