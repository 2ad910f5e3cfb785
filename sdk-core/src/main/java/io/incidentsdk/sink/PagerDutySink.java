package io.incidentsdk.sink;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.incidentsdk.Incident;
import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentJson;
import io.incidentsdk.internal.delivery.Endpoint;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * Pages through the PagerDuty Events API v2: an incident's OPENED event triggers an alert, its RESOLVED event
 * resolves it, and an UPDATED event triggers again (with the same key, so PagerDuty updates the alert) only
 * when the severity rose above what was last sent.
 *
 * <p>The event sent: {@code routing_key}; {@code event_action} {@code trigger} or {@code resolve};
 * {@code dedup_key} = the fingerprint (at most {@value #DEDUP_KEY_MAX} characters); and for a trigger a
 * {@code payload} with {@code summary} (kind, title and summary, at most {@value #SUMMARY_MAX} characters),
 * {@code source} (service and instance), {@code severity} ({@code critical}, {@code error}, {@code warning},
 * {@code info}, 1:1 from the record), {@code timestamp}, {@code component} (the data source, or the database
 * system), {@code group} (the service), {@code class} (the kind) and {@code custom_details} (the record,
 * at most {@value #CUSTOM_DETAILS_MAX} bytes of JSON: a larger record loses its timeline, then its statements'
 * detail, well under PagerDuty's 512 KB limit); {@code links} to the postmortem when a URL template is
 * configured; {@code client}. PagerDuty answers {@code 202}; {@code 400} is not retried (dead-letter file),
 * {@code 429} and {@code 5xx} are retried (see {@link DeliveryOptions}).
 *
 * <p>The routing key never appears in logs, records or {@link #toString()}.
 *
 * @since 0.2.0
 */
public final class PagerDutySink extends HttpSink {

    /** PagerDuty's Events API v2 endpoint, the default. */
    public static final URI DEFAULT_ENDPOINT = URI.create("https://events.pagerduty.com/v2/enqueue");
    /** Longest {@code dedup_key} PagerDuty accepts. */
    public static final int DEDUP_KEY_MAX = 255;
    /** Longest {@code payload.summary} PagerDuty accepts. */
    public static final int SUMMARY_MAX = 1024;
    /** Largest {@code payload.custom_details}, in bytes of JSON. */
    public static final int CUSTOM_DETAILS_MAX = 64 * 1024;

    private final String routingKey;
    private final URI endpoint;
    private final String postmortemUrl;

    private PagerDutySink(Builder b) {
        super(b.name, b.delivery, true);
        this.routingKey = b.routingKey;
        this.endpoint = b.endpoint;
        this.postmortemUrl = b.postmortemUrl;
    }

    /**
     * Starts configuring a PagerDuty sink.
     *
     * @param routingKey the integration's routing key (Events API v2), not blank
     * @return a builder
     */
    public static Builder builder(String routingKey) {
        Objects.requireNonNull(routingKey, "routingKey must not be null");
        if (routingKey.isBlank() || routingKey.length() > 128 || !routingKey.chars().allMatch(c -> c > 32 && c < 127)) {
            throw new IllegalArgumentException("routingKey must be 1 to 128 visible ASCII characters");
        }
        return new Builder(routingKey);
    }

    /** The Events API v2 body for an event, exactly as sent. */
    String body(IncidentEvent event) {
        Incident incident = event.incident();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("routing_key", routingKey);
        boolean resolve = event.event() == IncidentEvent.Type.RESOLVED;
        body.put("event_action", resolve ? "resolve" : "trigger");
        body.put("dedup_key", shorten(incident.fingerprint(), DEDUP_KEY_MAX));
        if (!resolve) {
            ObjectNode payload = body.putObject("payload");
            payload.put("summary", summary(incident));
            ServiceNames service = new ServiceNames(incident);
            payload.put("source", service.source);
            payload.put("severity", incident.severity().name().toLowerCase(Locale.ROOT));
            payload.put("timestamp", event.eventTime().toString());
            if (incident.database() != null) {
                String component = incident.database().dataSource() != null ? incident.database().dataSource()
                        : incident.database().system();
                if (component != null) {
                    payload.put("component", component);
                }
            }
            payload.put("group", service.group);
            payload.put("class", incident.kind().name());
            payload.set("custom_details", customDetails(event));
            if (postmortemUrl != null) {
                ArrayNode links = body.putArray("links");
                links.addObject().put("href", postmortemUrl
                                .replace("{incidentId}", encode(incident.incidentId()))
                                .replace("{fingerprint}", encode(incident.fingerprint())))
                        .put("text", "Postmortem");
            }
            body.put("client", "Incident SDK");
        }
        return body.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static final class ServiceNames {
        final String source;
        final String group;

        ServiceNames(Incident incident) {
            String service = incident.service() != null ? incident.service().name() : "unknown-service";
            String instance = incident.service() != null ? incident.service().instance() : null;
            this.group = shorten(service, 255);
            this.source = shorten(instance != null ? service + "/" + instance : service, 255);
        }
    }

    static String summary(Incident incident) {
        StringBuilder s = new StringBuilder(incident.kind().name()).append(": ").append(incident.title());
        if (incident.summary() != null) {
            s.append(" - ").append(incident.summary());
        }
        return shorten(s.toString(), SUMMARY_MAX);
    }

    /** The record, reduced step by step until its JSON fits {@link #CUSTOM_DETAILS_MAX}. */
    static ObjectNode customDetails(IncidentEvent event) {
        ObjectNode record = IncidentJson.toTree(event);
        if (fits(record)) {
            return record;
        }
        record.remove("timeline");
        record.put("truncated", "timeline left out: the record exceeded " + CUSTOM_DETAILS_MAX + " bytes");
        if (fits(record)) {
            return record;
        }
        if (record.get("statements") instanceof ArrayNode statements) {
            for (int i = 0; i < statements.size(); i++) {
                if (statements.get(i) instanceof ObjectNode statement) {
                    statement.remove("transactionStatements");
                    if (statement.hasNonNull("sql")) {
                        statement.put("sql", shorten(statement.get("sql").asText(), 500));
                    }
                }
            }
        }
        record.put("truncated", "timeline left out and statements shortened: the record exceeded "
                + CUSTOM_DETAILS_MAX + " bytes");
        if (fits(record)) {
            return record;
        }
        ObjectNode small = JsonNodeFactory.instance.objectNode();
        for (String field : new String[] {"eventId", "event", "incidentId", "fingerprint", "kind", "severity", "title",
                "firstSeen", "lastSeen", "occurrences"}) {
            if (record.has(field)) {
                small.set(field, record.get(field));
            }
        }
        small.put("truncated", "only the identity of the record: it exceeded " + CUSTOM_DETAILS_MAX + " bytes");
        return small;
    }

    private static boolean fits(ObjectNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8).length <= CUSTOM_DETAILS_MAX;
    }

    @Override
    HttpRequest request(IncidentEvent event, HttpRequest.Builder request, long nowMillis) {
        return request.uri(endpoint)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(event), StandardCharsets.UTF_8))
                .build();
    }

    /**
     * Describes the sink without its routing key.
     *
     * @return a description
     */
    @Override
    public String toString() {
        return "PagerDutySink[name=" + name() + ", endpoint=" + Endpoint.display(endpoint) + ", routingKey=***]";
    }

    /**
     * Configures a {@link PagerDutySink}.
     *
     * @since 0.2.0
     */
    public static final class Builder {
        private final String routingKey;
        private URI endpoint = DEFAULT_ENDPOINT;
        private String postmortemUrl;
        private String name = "pagerduty";
        private DeliveryOptions delivery = DeliveryOptions.defaults();

        private Builder(String routingKey) {
            this.routingKey = routingKey;
        }

        /**
         * The Events API endpoint (default {@link #DEFAULT_ENDPOINT}; tests point it at a local server).
         *
         * @param endpoint an absolute {@code http} or {@code https} URL
         * @return this builder
         */
        public Builder endpoint(URI endpoint) {
            this.endpoint = Endpoint.requireHttp("endpoint", endpoint);
            return this;
        }

        /**
         * Links each alert to its postmortem: a URL in which {@code {incidentId}} and {@code {fingerprint}} are
         * replaced (URL-encoded).
         *
         * @param template an absolute {@code http} or {@code https} URL template, or {@code null} for no link
         * @return this builder
         */
        public Builder postmortemUrl(String template) {
            if (template != null) {
                Endpoint.requireHttp("postmortemUrl", URI.create(template.replace("{incidentId}", "x")
                        .replace("{fingerprint}", "x")));
            }
            this.postmortemUrl = template;
            return this;
        }

        /**
         * The sink's name in stats, metrics and thread names (default {@code pagerduty}).
         *
         * @param name 1 to 64 characters of letters, digits, {@code .}, {@code _} or {@code -}
         * @return this builder
         */
        public Builder name(String name) {
            this.name = SinkNames.require(name);
            return this;
        }

        /**
         * How events are delivered (default {@link DeliveryOptions#defaults()}: no spool).
         *
         * @param delivery not {@code null}
         * @return this builder
         */
        public Builder delivery(DeliveryOptions delivery) {
            this.delivery = Objects.requireNonNull(delivery, "delivery must not be null");
            return this;
        }

        /**
         * Builds the sink.
         *
         * @return a new sink
         */
        public PagerDutySink build() {
            return new PagerDutySink(this);
        }
    }
}
