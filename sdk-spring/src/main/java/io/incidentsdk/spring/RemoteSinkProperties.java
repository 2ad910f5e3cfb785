package io.incidentsdk.spring;

import io.incidentsdk.sink.DeliveryOptions;
import io.incidentsdk.sink.WebhookSink;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.util.unit.DataSize;

/**
 * The settings of the remote sinks: {@code incident.sinks.webhook.*}, {@code incident.sinks.pagerduty.*} and
 * {@code incident.sinks.slack.*}, each with its {@code delivery.*} group (see {@link DeliveryOptions}). A sink
 * is on when its URL (or routing key) is set.
 *
 * <pre>
 * incident:
 *   sinks:
 *     pagerduty:
 *       routing-key: ${PAGERDUTY_ROUTING_KEY}
 *       delivery.spool-directory: /var/spool/checkout/pagerduty
 *     webhook:
 *       url: https://ops.example.com/incidents
 *       secret: ${INCIDENT_WEBHOOK_SECRET}
 *       format: cloud-events
 * </pre>
 *
 * @since 0.2.0
 */
public final class RemoteSinkProperties {

    private RemoteSinkProperties() {
    }

    /**
     * The webhook sink ({@code incident.sinks.webhook.*}).
     *
     * @since 0.2.0
     */
    public static class Webhook {

        /**
         * URL that receives each event as an HTTP POST. No webhook sink when unset.
         */
        private URI url;

        /**
         * Body of each request: INCIDENT_JSON (the incident record) or CLOUD_EVENTS (CloudEvents 1.0,
         * structured mode).
         */
        private WebhookSink.Format format = WebhookSink.Format.INCIDENT_JSON;

        /**
         * Secret (at least 16 characters) that signs each request with HMAC-SHA256 in the Incident-Signature
         * header. Requests are unsigned when unset. Never logged.
         */
        private String secret;

        /**
         * Headers added to every request (an Authorization token, for example). Values are never logged.
         */
        private Map<String, String> headers = new LinkedHashMap<>();

        /**
         * CloudEvents source attribute; by default "urn:incident-sdk:service:" and the service name.
         */
        private String cloudEventsSource;

        @NestedConfigurationProperty
        private final Delivery delivery = new Delivery();

        /**
         * Creates the settings with their defaults.
         */
        public Webhook() {
        }

        /**
         * The receiver's URL.
         *
         * @return the URL, {@code null} when the sink is off
         */
        public URI getUrl() {
            return url;
        }

        /**
         * Sets the receiver's URL; the sink is on when it is set.
         *
         * @param url an absolute http or https URL
         */
        public void setUrl(URI url) {
            this.url = url;
        }

        /**
         * The body format.
         *
         * @return {@code INCIDENT_JSON} by default
         */
        public WebhookSink.Format getFormat() {
            return format;
        }

        /**
         * Sets the body format.
         *
         * @param format the format
         */
        public void setFormat(WebhookSink.Format format) {
            this.format = format;
        }

        /**
         * The signing secret.
         *
         * @return the secret, {@code null} for unsigned requests
         */
        public String getSecret() {
            return secret;
        }

        /**
         * Sets the signing secret.
         *
         * @param secret at least 16 characters
         */
        public void setSecret(String secret) {
            this.secret = secret;
        }

        /**
         * The extra headers.
         *
         * @return the headers by name
         */
        public Map<String, String> getHeaders() {
            return headers;
        }

        /**
         * Sets the extra headers.
         *
         * @param headers the headers by name
         */
        public void setHeaders(Map<String, String> headers) {
            this.headers = headers;
        }

        /**
         * The CloudEvents source.
         *
         * @return the source, {@code null} for the default
         */
        public String getCloudEventsSource() {
            return cloudEventsSource;
        }

        /**
         * Sets the CloudEvents source.
         *
         * @param cloudEventsSource a URI-reference
         */
        public void setCloudEventsSource(String cloudEventsSource) {
            this.cloudEventsSource = cloudEventsSource;
        }

        /**
         * How events are delivered: {@code incident.sinks.webhook.delivery.*}.
         *
         * @return the delivery settings
         */
        public Delivery getDelivery() {
            return delivery;
        }
    }

    /**
     * The PagerDuty sink ({@code incident.sinks.pagerduty.*}).
     *
     * @since 0.2.0
     */
    public static class PagerDuty {

        /**
         * Routing key of the PagerDuty integration (Events API v2). No PagerDuty sink when unset. Never logged.
         */
        private String routingKey;

        /**
         * Events API v2 endpoint.
         */
        private URI endpoint = io.incidentsdk.sink.PagerDutySink.DEFAULT_ENDPOINT;

        /**
         * Link to the postmortem in each alert: a URL in which {incidentId} and {fingerprint} are replaced.
         */
        private String postmortemUrl;

        @NestedConfigurationProperty
        private final Delivery delivery = new Delivery();

        /**
         * Creates the settings with their defaults.
         */
        public PagerDuty() {
        }

        /**
         * The routing key.
         *
         * @return the key, {@code null} when the sink is off
         */
        public String getRoutingKey() {
            return routingKey;
        }

        /**
         * Sets the routing key; the sink is on when it is set.
         *
         * @param routingKey the key
         */
        public void setRoutingKey(String routingKey) {
            this.routingKey = routingKey;
        }

        /**
         * The endpoint.
         *
         * @return PagerDuty's Events API v2 endpoint by default
         */
        public URI getEndpoint() {
            return endpoint;
        }

        /**
         * Sets the endpoint.
         *
         * @param endpoint an absolute http or https URL
         */
        public void setEndpoint(URI endpoint) {
            this.endpoint = endpoint;
        }

        /**
         * The postmortem URL template.
         *
         * @return the template, {@code null} for no link
         */
        public String getPostmortemUrl() {
            return postmortemUrl;
        }

        /**
         * Sets the postmortem URL template.
         *
         * @param postmortemUrl the template
         */
        public void setPostmortemUrl(String postmortemUrl) {
            this.postmortemUrl = postmortemUrl;
        }

        /**
         * How events are delivered: {@code incident.sinks.pagerduty.delivery.*}.
         *
         * @return the delivery settings
         */
        public Delivery getDelivery() {
            return delivery;
        }
    }

    /**
     * The Kafka sink ({@code incident.sinks.kafka.*}): every event to a topic, for a fleet-wide view (see
     * {@code IncidentFleetAggregator}). Needs {@code incident-sdk-kafka} and the Kafka client on the class path.
     *
     * @since 0.2.0
     */
    public static class Kafka {

        /**
         * The cluster, host:port[,host:port...]. No Kafka sink when unset.
         */
        private String bootstrapServers;

        /**
         * The topic every event is produced to (key = fingerprint, value = the JSON record).
         */
        private String topic = "incident-events";

        /**
         * Producer properties passed through (security.protocol, sasl.mechanism, sasl.jaas.config, timeouts ...).
         * Their values are never logged nor shown in a failure analysis.
         */
        private final java.util.Map<String, String> properties = new java.util.LinkedHashMap<>();

        @NestedConfigurationProperty
        private final Delivery delivery = new Delivery();

        /**
         * Creates the settings with their defaults.
         */
        public Kafka() {
        }

        /**
         * The bootstrap servers.
         *
         * @return {@code null} when unset (no Kafka sink)
         */
        public String getBootstrapServers() {
            return bootstrapServers;
        }

        /**
         * Sets the bootstrap servers; the sink is on when they are set.
         *
         * @param bootstrapServers host:port[,host:port...]
         */
        public void setBootstrapServers(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
        }

        /**
         * The topic.
         *
         * @return {@code incident-events} by default
         */
        public String getTopic() {
            return topic;
        }

        /**
         * Sets the topic.
         *
         * @param topic a Kafka topic name
         */
        public void setTopic(String topic) {
            this.topic = topic;
        }

        /**
         * The producer properties passed through.
         *
         * @return a mutable map
         */
        public java.util.Map<String, String> getProperties() {
            return properties;
        }

        /**
         * How events are delivered: {@code incident.sinks.kafka.delivery.*} (the connect and request timeouts do
         * not apply; use the producer's properties).
         *
         * @return the delivery settings
         */
        public Delivery getDelivery() {
            return delivery;
        }
    }

    /**
     * The chat sink for Slack-compatible incoming webhooks ({@code incident.sinks.slack.*}).
     *
     * @since 0.2.0
     */
    public static class Slack {

        /**
         * Incoming-webhook URL of the channel. No chat sink when unset. Its path is a secret and never logged.
         */
        private URI webhookUrl;

        @NestedConfigurationProperty
        private final Delivery delivery = new Delivery();

        /**
         * Creates the settings with their defaults.
         */
        public Slack() {
        }

        /**
         * The incoming-webhook URL.
         *
         * @return the URL, {@code null} when the sink is off
         */
        public URI getWebhookUrl() {
            return webhookUrl;
        }

        /**
         * Sets the incoming-webhook URL; the sink is on when it is set.
         *
         * @param webhookUrl an absolute http or https URL
         */
        public void setWebhookUrl(URI webhookUrl) {
            this.webhookUrl = webhookUrl;
        }

        /**
         * How messages are delivered: {@code incident.sinks.slack.delivery.*}.
         *
         * @return the delivery settings
         */
        public Delivery getDelivery() {
            return delivery;
        }
    }

    /**
     * How a remote sink delivers ({@code incident.sinks.<sink>.delivery.*}); mapped onto {@link DeliveryOptions},
     * whose defaults these are.
     *
     * @since 0.2.0
     */
    public static class Delivery {

        /**
         * Time allowed to open a connection.
         */
        private Duration connectTimeout = Duration.ofSeconds(5);

        /**
         * Time allowed for one request; a receiver that does not answer in time is retried.
         */
        private Duration requestTimeout = Duration.ofSeconds(10);

        /**
         * Pause after the first failed attempt; doubled after each further one.
         */
        private Duration initialBackoff = Duration.ofSeconds(1);

        /**
         * Longest pause between attempts.
         */
        private Duration maxBackoff = Duration.ofMinutes(1);

        /**
         * Longest pause taken when a receiver asks for one with Retry-After.
         */
        private Duration maxRetryAfter = Duration.ofMinutes(5);

        /**
         * Consecutive failures after which the circuit opens (nothing is sent for open-duration).
         */
        private int failureThreshold = 5;

        /**
         * How long the circuit stays open before one attempt probes the receiver.
         */
        private Duration openDuration = Duration.ofSeconds(30);

        /**
         * Directory of the disk spool: events are written there before they are sent, and replayed after a
         * crash or restart. One directory per sink. Events wait in memory only (lost with the process) when
         * unset.
         */
        private Path spoolDirectory;

        /**
         * When spooled events are forced to the device: EVERY_EVENT, BATCHED (every fsync-interval) or NEVER.
         * A killed process loses nothing under any of them; they differ for a machine crash.
         */
        private DeliveryOptions.Fsync fsync = DeliveryOptions.Fsync.EVERY_EVENT;

        /**
         * Longest time between two forces under BATCHED.
         */
        private Duration fsyncInterval = Duration.ofMillis(200);

        /**
         * Bound of the spool on disk; beyond it the oldest events are dropped, counted and reported.
         */
        private DataSize spoolMaxBytes = DataSize.ofMegabytes(64);

        /**
         * Events older than this are dropped unsent, counted and reported.
         */
        private Duration spoolMaxAge = Duration.ofHours(24);

        /**
         * How many events wait in memory without a spool, or while the spool cannot be written.
         */
        private int memoryCapacity = 10_000;

        /**
         * File (JSON Lines) that receives events the receiver refused; by default dead-letter.jsonl in the
         * spool directory.
         */
        private Path deadLetterFile;

        /**
         * How long closing goes on sending what is pending; the rest stays spooled for the next start. The SDK's
         * own close timeout (incident.close-timeout, 5 s) bounds it too: whichever ends first, the spool is
         * released before the SDK's close returns.
         */
        private Duration closeTimeout = Duration.ofSeconds(3);

        /**
         * Creates the settings with their defaults.
         */
        public Delivery() {
        }

        /** Maps these settings onto the core's options (which validate them). */
        DeliveryOptions options() {
            return DeliveryOptions.builder()
                    .connectTimeout(connectTimeout)
                    .requestTimeout(requestTimeout)
                    .backoff(initialBackoff, maxBackoff)
                    .maxRetryAfter(maxRetryAfter)
                    .circuitBreaker(failureThreshold, openDuration)
                    .spoolDirectory(spoolDirectory)
                    .fsync(fsync)
                    .fsyncInterval(fsyncInterval)
                    .spoolMaxBytes(spoolMaxBytes == null ? -1 : spoolMaxBytes.toBytes())
                    .spoolMaxAge(spoolMaxAge)
                    .memoryCapacity(memoryCapacity)
                    .deadLetterFile(deadLetterFile)
                    .closeTimeout(closeTimeout)
                    .build();
        }

        /**
         * The connect timeout.
         *
         * @return 5 s by default
         */
        public Duration getConnectTimeout() {
            return connectTimeout;
        }

        /**
         * Sets the connect timeout.
         *
         * @param connectTimeout between 1 ms and 5 minutes
         */
        public void setConnectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
        }

        /**
         * The request timeout.
         *
         * @return 10 s by default
         */
        public Duration getRequestTimeout() {
            return requestTimeout;
        }

        /**
         * Sets the request timeout.
         *
         * @param requestTimeout between 1 ms and 5 minutes
         */
        public void setRequestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
        }

        /**
         * The first backoff.
         *
         * @return 1 s by default
         */
        public Duration getInitialBackoff() {
            return initialBackoff;
        }

        /**
         * Sets the first backoff.
         *
         * @param initialBackoff between 1 ms and 1 hour
         */
        public void setInitialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
        }

        /**
         * The longest backoff.
         *
         * @return 1 min by default
         */
        public Duration getMaxBackoff() {
            return maxBackoff;
        }

        /**
         * Sets the longest backoff.
         *
         * @param maxBackoff between initial-backoff and 1 hour
         */
        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }

        /**
         * The bound of Retry-After.
         *
         * @return 5 min by default
         */
        public Duration getMaxRetryAfter() {
            return maxRetryAfter;
        }

        /**
         * Sets the bound of Retry-After.
         *
         * @param maxRetryAfter between 0 and 1 hour
         */
        public void setMaxRetryAfter(Duration maxRetryAfter) {
            this.maxRetryAfter = maxRetryAfter;
        }

        /**
         * The circuit breaker's threshold.
         *
         * @return 5 by default
         */
        public int getFailureThreshold() {
            return failureThreshold;
        }

        /**
         * Sets the circuit breaker's threshold.
         *
         * @param failureThreshold between 1 and 1000
         */
        public void setFailureThreshold(int failureThreshold) {
            this.failureThreshold = failureThreshold;
        }

        /**
         * How long the circuit stays open.
         *
         * @return 30 s by default
         */
        public Duration getOpenDuration() {
            return openDuration;
        }

        /**
         * Sets how long the circuit stays open.
         *
         * @param openDuration between 1 ms and 1 hour
         */
        public void setOpenDuration(Duration openDuration) {
            this.openDuration = openDuration;
        }

        /**
         * The spool directory.
         *
         * @return the directory, {@code null} for none
         */
        public Path getSpoolDirectory() {
            return spoolDirectory;
        }

        /**
         * Sets the spool directory.
         *
         * @param spoolDirectory the directory, one per sink
         */
        public void setSpoolDirectory(Path spoolDirectory) {
            this.spoolDirectory = spoolDirectory;
        }

        /**
         * The fsync policy.
         *
         * @return {@code EVERY_EVENT} by default
         */
        public DeliveryOptions.Fsync getFsync() {
            return fsync;
        }

        /**
         * Sets the fsync policy.
         *
         * @param fsync the policy
         */
        public void setFsync(DeliveryOptions.Fsync fsync) {
            this.fsync = fsync;
        }

        /**
         * The batch interval.
         *
         * @return 200 ms by default
         */
        public Duration getFsyncInterval() {
            return fsyncInterval;
        }

        /**
         * Sets the batch interval.
         *
         * @param fsyncInterval between 1 ms and 1 minute
         */
        public void setFsyncInterval(Duration fsyncInterval) {
            this.fsyncInterval = fsyncInterval;
        }

        /**
         * The spool's bound.
         *
         * @return 64 MB by default
         */
        public DataSize getSpoolMaxBytes() {
            return spoolMaxBytes;
        }

        /**
         * Sets the spool's bound.
         *
         * @param spoolMaxBytes between 64 KB and 1 TB
         */
        public void setSpoolMaxBytes(DataSize spoolMaxBytes) {
            this.spoolMaxBytes = spoolMaxBytes;
        }

        /**
         * The age bound.
         *
         * @return 24 hours by default
         */
        public Duration getSpoolMaxAge() {
            return spoolMaxAge;
        }

        /**
         * Sets the age bound.
         *
         * @param spoolMaxAge between 1 ms and 30 days
         */
        public void setSpoolMaxAge(Duration spoolMaxAge) {
            this.spoolMaxAge = spoolMaxAge;
        }

        /**
         * The memory capacity.
         *
         * @return 10,000 by default
         */
        public int getMemoryCapacity() {
            return memoryCapacity;
        }

        /**
         * Sets the memory capacity.
         *
         * @param memoryCapacity between 1 and 1,000,000
         */
        public void setMemoryCapacity(int memoryCapacity) {
            this.memoryCapacity = memoryCapacity;
        }

        /**
         * The dead-letter file.
         *
         * @return the file, {@code null} for the default
         */
        public Path getDeadLetterFile() {
            return deadLetterFile;
        }

        /**
         * Sets the dead-letter file.
         *
         * @param deadLetterFile the file
         */
        public void setDeadLetterFile(Path deadLetterFile) {
            this.deadLetterFile = deadLetterFile;
        }

        /**
         * The close timeout.
         *
         * @return 3 s by default
         */
        public Duration getCloseTimeout() {
            return closeTimeout;
        }

        /**
         * Sets the close timeout.
         *
         * @param closeTimeout between 0 and 10 minutes
         */
        public void setCloseTimeout(Duration closeTimeout) {
            this.closeTimeout = closeTimeout;
        }
    }
}
