package io.incidentsdk.spring;

import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.sink.IncidentSink;
import io.incidentsdk.sink.JsonLinesFileSink;
import io.incidentsdk.sink.LoggingSink;
import io.incidentsdk.sink.PagerDutySink;
import io.incidentsdk.sink.SlackSink;
import io.incidentsdk.sink.WebhookSink;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Auto-configuration of the {@link IncidentSdk} bean from the {@code incident.*} properties.
 *
 * <p>Active unless {@code incident.enabled=false}; backs off when the application defines its own
 * {@code IncidentSdk} bean. The SDK gets the sinks of {@code incident.sinks.*} plus every {@link IncidentSink}
 * bean of the application (by default, events are logged through SLF4J only when there is no other sink),
 * is bound to the application's Micrometer {@code MeterRegistry} when Micrometer is on the class path and
 * such a bean exists, and is closed (queued events delivered) when the context closes. Every
 * {@link IncidentSdkBuilderCustomizer} bean is applied last.
 *
 * @since 0.1.0
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "incident.enabled", matchIfMissing = true)
@EnableConfigurationProperties(IncidentProperties.class)
public final class IncidentAutoConfiguration {

    /** The service name when neither {@code incident.service.name} nor {@code spring.application.name} is set. */
    static final String DEFAULT_SERVICE_NAME = "application";

    /**
     * Creates the auto-configuration (Spring does).
     */
    public IncidentAutoConfiguration() {
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    IncidentSdk incidentSdk(IncidentProperties properties, Environment environment,
            ObjectProvider<IncidentSink> applicationSinks, ObjectProvider<IncidentSdkBuilderCustomizer> customizers) {
        IncidentProperties.Service service = properties.getService();
        String name = StringUtils.hasText(service.getName()) ? service.getName()
                : environment.getProperty("spring.application.name", DEFAULT_SERVICE_NAME);
        IncidentSdk.Builder builder = IncidentSdk.builder()
                .service(StringUtils.hasText(name) ? name : DEFAULT_SERVICE_NAME, service.getVersion())
                .environment(service.getEnvironment())
                .updateInterval(properties.getUpdateInterval())
                .quietPeriod(properties.getQuietPeriod());
        sinks(properties.getSinks(), applicationSinks.orderedStream().toList()).forEach(builder::sink);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    private static List<IncidentSink> sinks(IncidentProperties.Sinks settings, List<IncidentSink> applicationSinks) {
        List<IncidentSink> sinks = new ArrayList<>();
        IncidentProperties.File file = settings.getFile();
        if (file.getPath() != null) {
            sinks.add(JsonLinesFileSink.builder(file.getPath())
                    .maxFileSize(file.getMaxFileSize().toBytes())
                    .maxFiles(file.getMaxFiles())
                    .fsync(file.getFsync())
                    .build());
        }
        sinks.addAll(remoteSinks(settings));
        sinks.addAll(applicationSinks);
        Boolean log = settings.getLog().getEnabled();
        if (log == null ? sinks.isEmpty() : log) {
            sinks.add(0, LoggingSink.create());
        }
        if (sinks.isEmpty()) {
            // logging switched off and nothing else: without a sink of ours the SDK would fall back to logging
            sinks.add(new DiscardingSink());
        }
        return sinks;
    }

    /** The webhook, PagerDuty and chat sinks whose URL or routing key is set. */
    static List<IncidentSink> remoteSinks(IncidentProperties.Sinks settings) {
        List<IncidentSink> sinks = new ArrayList<>();
        RemoteSinkProperties.Webhook webhook = settings.getWebhook();
        if (webhook.getUrl() != null) {
            WebhookSink.Builder b = WebhookSink.builder(webhook.getUrl()).format(webhook.getFormat())
                    .secret(StringUtils.hasText(webhook.getSecret()) ? webhook.getSecret() : null)
                    .cloudEventsSource(webhook.getCloudEventsSource())
                    .delivery(webhook.getDelivery().options());
            webhook.getHeaders().forEach(b::header);
            sinks.add(b.build());
        }
        RemoteSinkProperties.PagerDuty pagerDuty = settings.getPagerduty();
        if (StringUtils.hasText(pagerDuty.getRoutingKey())) {
            sinks.add(PagerDutySink.builder(pagerDuty.getRoutingKey()).endpoint(pagerDuty.getEndpoint())
                    .postmortemUrl(pagerDuty.getPostmortemUrl()).delivery(pagerDuty.getDelivery().options()).build());
        }
        RemoteSinkProperties.Slack slack = settings.getSlack();
        if (slack.getWebhookUrl() != null) {
            sinks.add(SlackSink.builder(slack.getWebhookUrl()).delivery(slack.getDelivery().options()).build());
        }
        return sinks;
    }

    /**
     * The Kafka sink when {@code incident.sinks.kafka.bootstrap-servers} is set; only loaded when
     * {@code incident-sdk-kafka} and the Kafka client are on the class path. An {@code IncidentSink} bean like
     * any other (the SDK closes it), unless the application has its own {@code KafkaSink} bean.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"io.incidentsdk.kafka.KafkaSink", "org.apache.kafka.clients.producer.KafkaProducer"})
    @ConditionalOnProperty(prefix = "incident.sinks.kafka", name = "bootstrap-servers")
    static class KafkaSinkConfiguration {

        @Bean(destroyMethod = "")
        @ConditionalOnMissingBean(io.incidentsdk.kafka.KafkaSink.class)
        io.incidentsdk.kafka.KafkaSink incidentKafkaSink(IncidentProperties properties) {
            RemoteSinkProperties.Kafka kafka = properties.getSinks().getKafka();
            io.incidentsdk.kafka.KafkaSink.Builder builder = io.incidentsdk.kafka.KafkaSink
                    .builder(kafka.getBootstrapServers(), kafka.getTopic())
                    .delivery(kafka.getDelivery().options());
            kafka.getProperties().forEach(builder::property);
            return builder.build();
        }
    }

    /** Drops every event: {@code incident.sinks.log.enabled=false} with no other sink (metrics only). */
    static final class DiscardingSink implements IncidentSink {

        @Override
        public void publish(IncidentEvent event) {
            // nothing to deliver to: metrics and listeners still see the event
        }

        @Override
        public String name() {
            return "discard";
        }
    }

    /**
     * OpenTelemetry, when {@code incident-sdk-otel} and the OpenTelemetry API are on the class path: a log-record
     * sink on the application's {@code OpenTelemetry} bean (or the global instance, when one was set; neither:
     * no sink: asking for the global instance would register a no-op one and make the application's own later
     * registration fail) and trace correlation, as {@code incident.sinks.otel.*} says. Added through a builder customizer, so the logging sink's default
     * (on when no other sink is configured) is not changed by it.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"io.incidentsdk.otel.OtelLogSink", "io.opentelemetry.api.OpenTelemetry"})
    static class OpenTelemetryConfiguration {

        @Bean
        IncidentSdkBuilderCustomizer incidentSdkOpenTelemetryCustomizer(IncidentProperties properties,
                ObjectProvider<io.opentelemetry.api.OpenTelemetry> openTelemetry) {
            IncidentProperties.Otel settings = properties.getSinks().getOtel();
            return builder -> {
                // the application's instance, or the global one an agent or the application set; none: no sink
                io.opentelemetry.api.OpenTelemetry otel = openTelemetry.getIfAvailable();
                if (otel == null && io.opentelemetry.api.GlobalOpenTelemetry.isSet()) {
                    otel = io.opentelemetry.api.GlobalOpenTelemetry.get();
                }
                if (settings.isEnabled() && otel != null) {
                    builder.sink(io.incidentsdk.otel.OtelLogSink.create(otel));
                }
                if (settings.isTraceCorrelation()) {
                    builder.traceCorrelation(io.incidentsdk.otel.OtelTraceCorrelation.create());
                }
            };
        }
    }

    /** Binds the SDK's metrics to the application's meter registry; only loaded when Micrometer is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class MicrometerConfiguration {

        @Bean
        IncidentSdkBuilderCustomizer incidentSdkMeterRegistryCustomizer(ObjectProvider<MeterRegistry> registries) {
            return builder -> registries.ifUnique(builder::meterRegistry);
        }
    }
}
