package io.incidentsdk.spring;

import io.incidentsdk.IncidentSdk;
import io.incidentsdk.jdbc.JdbcWatchOptions;
import io.incidentsdk.jdbc.RetryPolicy;
import io.incidentsdk.sink.JsonLinesFileSink;
import io.incidentsdk.sink.PagerDutySink;
import io.incidentsdk.sink.SlackSink;
import io.incidentsdk.sink.WebhookSink;
import java.util.List;
import java.util.Map;
import org.springframework.validation.Errors;

/**
 * Checks the {@code incident.*} settings when they are bound, with the rules of the builders they are mapped
 * onto (each setting is handed to its builder setter alone), so that a bad value stops the application with
 * Spring Boot's failure analysis naming the property, its value and the allowed range, not with a stack trace
 * from a bean factory method.
 */
final class IncidentPropertiesValidation {

    private IncidentPropertiesValidation() {
    }

    static void validate(IncidentProperties properties, Errors errors) {
        check(errors, Map.of("updateInterval", "updateInterval"),
                () -> IncidentSdk.builder().updateInterval(properties.getUpdateInterval()));
        check(errors, Map.of("quietPeriod", "quietPeriod"),
                () -> IncidentSdk.builder().quietPeriod(properties.getQuietPeriod()));
        String name = properties.getService().getName();
        if (name != null && name.isBlank()) {
            errors.rejectValue("service.name", "incident.service.name.blank", "must not be empty: give the service a "
                    + "name, or remove the property to use spring.application.name");
        }
        IncidentProperties.File file = properties.getSinks().getFile();
        if (file.getPath() != null) {
            check(errors, Map.of("maxFileSize", "sinks.file.maxFileSize"), () -> JsonLinesFileSink.builder(file.getPath())
                    .maxFileSize(file.getMaxFileSize() == null ? -1 : file.getMaxFileSize().toBytes()));
            check(errors, Map.of("maxFiles", "sinks.file.maxFiles"),
                    () -> JsonLinesFileSink.builder(file.getPath()).maxFiles(file.getMaxFiles()));
        }
        remoteSinks(properties.getSinks(), errors);
        IncidentProperties.Jdbc jdbc = properties.getJdbc();
        check(errors, Map.of("autoCommitMaxAttempts", "jdbc.autoCommitMaxAttempts"),
                () -> JdbcWatchOptions.builder().autoCommitRetry(true, jdbc.getAutoCommitMaxAttempts()));
        check(errors, Map.of("lockOrderSampling", "jdbc.lockOrder.sampling"),
                () -> JdbcWatchOptions.builder().lockOrderSampling(jdbc.getLockOrder().getSampling()));
        IncidentProperties.Spike spike = jdbc.getSpike();
        check(errors, Map.of("spikeWindow", "jdbc.spike.window", "spikeBuckets", "jdbc.spike.buckets"),
                () -> JdbcWatchOptions.builder().spikeWindow(spike.getWindow(), spike.getBuckets()));
        check(errors, Map.of("spikeThreshold", "jdbc.spike.threshold",
                        "spikeRecoveryThreshold", "jdbc.spike.recoveryThreshold"),
                () -> JdbcWatchOptions.builder().spikeThresholds(spike.getThreshold(), spike.getRecoveryThreshold()));
        check(errors, Map.of("spikeMinimumCalls", "jdbc.spike.minimumCalls"),
                () -> JdbcWatchOptions.builder().spikeMinimumCalls(spike.getMinimumCalls()));
        check(errors, Map.of("spikeCoolDown", "jdbc.spike.coolDown"),
                () -> JdbcWatchOptions.builder().spikeCoolDown(spike.getCoolDown()));
        List<String> mdcKeys = properties.getContext().getMdcKeys();
        if (mdcKeys != null) {
            if (mdcKeys.size() > RequestContextAttributes.MAX_MDC_KEYS) {
                errors.rejectValue("context.mdcKeys", "incident.invalid", "must name at most "
                        + RequestContextAttributes.MAX_MDC_KEYS + " keys, was " + mdcKeys.size());
            }
            for (String key : mdcKeys) {
                if (key == null || key.isBlank() || key.length() > RequestContextAttributes.MAX_MDC_KEY_LENGTH) {
                    errors.rejectValue("context.mdcKeys", "incident.invalid", "must hold keys of 1 to "
                            + RequestContextAttributes.MAX_MDC_KEY_LENGTH + " characters, was \"" + key + "\"");
                    break;
                }
            }
        }
        IncidentProperties.Retry retry = properties.getRetry();
        check(errors, Map.of("maxAttempts", "retry.maxAttempts"),
                () -> RetryPolicy.builder().maxAttempts(retry.getMaxAttempts()));
        check(errors, Map.of("initialBackoff", "retry.initialBackoff", "maxBackoff", "retry.maxBackoff"),
                () -> RetryPolicy.builder().backoff(retry.getInitialBackoff(), retry.getMaxBackoff()));
        check(errors, Map.of("maxTotalTime", "retry.maxTotalTime"),
                () -> RetryPolicy.builder().maxTotalTime(retry.getMaxTotalTime()));
    }

    private static void remoteSinks(IncidentProperties.Sinks sinks, Errors errors) {
        RemoteSinkProperties.Webhook webhook = sinks.getWebhook();
        if (webhook.getUrl() != null) {
            check(errors, Map.of("url", "sinks.webhook.url"), () -> WebhookSink.builder(webhook.getUrl()));
            if (webhook.getSecret() != null) {
                check(errors, Map.of("secret", "sinks.webhook.secret"), () -> {
                    if (webhook.getSecret().isBlank()) {
                        // typically an environment variable that is not set: the requests would go unsigned
                        throw new IllegalArgumentException("secret is set but blank (an unset variable?); remove "
                                + "the property to send unsigned requests");
                    }
                    WebhookSink.builder(webhook.getUrl()).secret(webhook.getSecret());
                });
            }
            webhook.getHeaders().forEach((name, value) -> check(errors, Map.of("header", "sinks.webhook.headers"),
                    () -> WebhookSink.builder(webhook.getUrl()).header(name, value)));
            check(errors, Map.of("cloudEventsSource", "sinks.webhook.cloudEventsSource"),
                    () -> WebhookSink.builder(webhook.getUrl()).cloudEventsSource(webhook.getCloudEventsSource()));
            delivery(errors, "sinks.webhook.delivery.", webhook.getDelivery());
        }
        RemoteSinkProperties.PagerDuty pagerDuty = sinks.getPagerduty();
        if (pagerDuty.getRoutingKey() != null) {
            check(errors, Map.of("routingKey", "sinks.pagerduty.routingKey"),
                    () -> PagerDutySink.builder(pagerDuty.getRoutingKey()));
            check(errors, Map.of("endpoint", "sinks.pagerduty.endpoint"),
                    () -> PagerDutySink.builder("k").endpoint(pagerDuty.getEndpoint()));
            check(errors, Map.of("postmortemUrl", "sinks.pagerduty.postmortemUrl"),
                    () -> PagerDutySink.builder("k").postmortemUrl(pagerDuty.getPostmortemUrl()));
            delivery(errors, "sinks.pagerduty.delivery.", pagerDuty.getDelivery());
        }
        RemoteSinkProperties.Slack slack = sinks.getSlack();
        if (slack.getWebhookUrl() != null) {
            check(errors, Map.of("webhookUrl", "sinks.slack.webhookUrl"), () -> SlackSink.builder(slack.getWebhookUrl()));
            delivery(errors, "sinks.slack.delivery.", slack.getDelivery());
        }
        RemoteSinkProperties.Kafka kafka = sinks.getKafka();
        if (kafka.getBootstrapServers() != null) {
            // the sink itself checks the topic and the properties when it is built (the Kafka classes may be absent)
            delivery(errors, "sinks.kafka.delivery.", kafka.getDelivery());
        }
    }

    private static final List<String> DELIVERY_FIELDS = List.of("connectTimeout", "requestTimeout", "initialBackoff",
            "maxBackoff", "maxRetryAfter", "failureThreshold", "openDuration", "fsync", "fsyncInterval",
            "spoolMaxBytes", "spoolMaxAge", "memoryCapacity", "closeTimeout");

    private static void delivery(Errors errors, String prefix, RemoteSinkProperties.Delivery delivery) {
        Map<String, String> properties = new java.util.LinkedHashMap<>();
        for (String field : DELIVERY_FIELDS) {
            properties.put(field, prefix + field);
        }
        check(errors, properties, delivery::options);
    }

    /**
     * Runs one builder step; when it refuses the value, rejects the property its message names (the builders'
     * messages start with the field name, "spikeThreshold must be within (0, 1], was 1.5").
     */
    private static void check(Errors errors, Map<String, String> propertiesByField, Runnable step) {
        try {
            step.run();
        } catch (IllegalArgumentException | NullPointerException e) {
            String message = String.valueOf(e.getMessage());
            String property = null;
            String reason = message;
            for (Map.Entry<String, String> field : propertiesByField.entrySet()) {
                if (message.startsWith(field.getKey() + " ")) {
                    property = field.getValue();
                    reason = message.substring(field.getKey().length() + 1);
                }
            }
            if (property == null) {
                property = propertiesByField.values().iterator().next();
            }
            errors.rejectValue(property, "incident.invalid", reason);
        }
    }
}
