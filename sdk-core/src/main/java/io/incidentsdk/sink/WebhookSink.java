package io.incidentsdk.sink;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentJson;
import io.incidentsdk.internal.delivery.Endpoint;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * POSTs each event as JSON to a URL: the incident record of the wire contract
 * ({@code application/json}), or a CloudEvents 1.0 event in structured mode
 * ({@code application/cloudevents+json}: {@code id} = {@code eventId}, {@code source}, {@code type}
 * {@code io.incidentsdk.incident.opened|updated|resolved}, {@code time} = {@code eventTime}, {@code subject} =
 * {@code fingerprint}, {@code datacontenttype}, {@code dataschema} and the record as {@code data}).
 *
 * <pre>{@code
 * WebhookSink webhook = WebhookSink.builder(URI.create("https://ops.example.com/incidents"))
 *         .secret(System.getenv("INCIDENT_WEBHOOK_SECRET"))
 *         .delivery(DeliveryOptions.builder().spoolDirectory(Path.of("/var/spool/checkout/webhook")).build())
 *         .build();
 * }</pre>
 *
 * <p>Every request carries {@code Incident-Event-Id} (the receiver's idempotency key) and, with a secret,
 * the {@value WebhookSignature#HEADER} header described in {@link WebhookSignature}. Delivery (spool, retries,
 * circuit breaker, dead-letter file) follows {@link DeliveryOptions}; a receiver answers {@code 2xx} to
 * accept an event. Header values and the secret never appear in logs, records or {@link #toString()}, which
 * shows only the URL's scheme, host and port.
 *
 * @since 0.2.0
 */
public final class WebhookSink extends HttpSink {

    /**
     * The body of each request.
     *
     * @since 0.2.0
     */
    public enum Format {
        /** The incident record of the wire contract ({@code incident-event.schema.json}). */
        INCIDENT_JSON,
        /** A CloudEvents 1.0 event in structured mode, with the record as {@code data}. */
        CLOUD_EVENTS
    }

    /** The header carrying the event id. */
    public static final String EVENT_ID_HEADER = "Incident-Event-Id";

    private final URI url;
    private final Format format;
    private final String secret;
    private final Map<String, String> headers;
    private final String cloudEventsSource;

    private WebhookSink(Builder b) {
        super(b.name, b.delivery, false);
        this.url = b.url;
        this.format = b.format;
        this.secret = b.secret;
        this.headers = Map.copyOf(b.headers);
        this.cloudEventsSource = b.cloudEventsSource;
    }

    /**
     * Starts configuring a webhook sink.
     *
     * @param url the receiver, an absolute {@code http} or {@code https} URL
     * @return a builder
     */
    public static Builder builder(URI url) {
        return new Builder(Endpoint.requireHttp("url", url));
    }

    /** The request body for an event, exactly as sent (and signed). */
    byte[] body(IncidentEvent event) {
        if (format == Format.INCIDENT_JSON) {
            return IncidentJson.toJson(event).getBytes(StandardCharsets.UTF_8);
        }
        ObjectNode ce = JsonNodeFactory.instance.objectNode();
        ce.put("specversion", "1.0");
        ce.put("id", event.eventId());
        ce.put("source", cloudEventsSource != null ? cloudEventsSource
                : "urn:incident-sdk:service:" + URLEncoder.encode(event.incident().service().name(), StandardCharsets.UTF_8));
        ce.put("type", "io.incidentsdk.incident." + event.event().name().toLowerCase(Locale.ROOT));
        ce.put("time", event.eventTime().toString());
        ce.put("subject", event.incident().fingerprint());
        ce.put("datacontenttype", "application/json");
        ce.put("dataschema", "urn:io.incidentsdk:incident-event:" + event.schemaVersion());
        ce.set("data", IncidentJson.toTree(event));
        return ce.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    HttpRequest request(IncidentEvent event, HttpRequest.Builder request, long nowMillis) {
        byte[] body = body(event);
        request.uri(url)
                .header("Content-Type", format == Format.CLOUD_EVENTS ? "application/cloudevents+json; charset=utf-8"
                        : "application/json; charset=utf-8")
                .header(EVENT_ID_HEADER, event.eventId());
        headers.forEach(request::header);
        if (secret != null) {
            request.header(WebhookSignature.HEADER, WebhookSignature.sign(secret, nowMillis / 1000, body));
        }
        return request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    /**
     * Describes the sink without secrets: the URL's scheme, host and port, the header names and whether
     * requests are signed.
     *
     * @return a description
     */
    @Override
    public String toString() {
        return "WebhookSink[name=" + name() + ", url=" + Endpoint.display(url) + ", format=" + format
                + ", headers=" + headers.keySet() + ", signed=" + (secret != null) + "]";
    }

    /**
     * Configures a {@link WebhookSink}.
     *
     * @since 0.2.0
     */
    public static final class Builder {
        private final URI url;
        private Format format = Format.INCIDENT_JSON;
        private String secret;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String cloudEventsSource;
        private String name = "webhook";
        private DeliveryOptions delivery = DeliveryOptions.defaults();

        private Builder(URI url) {
            this.url = url;
        }

        /**
         * The body format (default {@link Format#INCIDENT_JSON}).
         *
         * @param format not {@code null}
         * @return this builder
         */
        public Builder format(Format format) {
            this.format = Objects.requireNonNull(format, "format must not be null");
            return this;
        }

        /**
         * Signs every request with HMAC-SHA256 under this secret (see {@link WebhookSignature}).
         *
         * @param secret at least 16 characters, or {@code null} for unsigned requests
         * @return this builder
         */
        public Builder secret(String secret) {
            if (secret != null && secret.length() < 16) {
                throw new IllegalArgumentException("secret must be at least 16 characters");
            }
            this.secret = secret;
            return this;
        }

        /**
         * Adds a header to every request (an {@code Authorization} token, for example). Its value is never
         * logged.
         *
         * @param name  a header name the HTTP client allows, not one the sink sets itself
         * @param value the value
         * @return this builder
         */
        public Builder header(String name, String value) {
            Endpoint.requireHeader(name, value);
            headers.put(name, value);
            return this;
        }

        /**
         * The CloudEvents {@code source} (default {@code urn:incident-sdk:service:<service name>}).
         *
         * @param source a non-blank URI-reference, or {@code null} for the default
         * @return this builder
         */
        public Builder cloudEventsSource(String source) {
            if (source != null) {
                if (source.isBlank()) {
                    throw new IllegalArgumentException("cloudEventsSource must not be blank");
                }
                URI.create(source); // rejects what is not a URI-reference
            }
            this.cloudEventsSource = source;
            return this;
        }

        /**
         * The sink's name in stats, metrics and thread names (default {@code webhook}).
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
         * Builds the sink; its thread starts with the SDK (or the first event).
         *
         * @return a new sink
         */
        public WebhookSink build() {
            return new WebhookSink(this);
        }
    }
}
