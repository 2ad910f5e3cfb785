package io.incidentsdk.sink;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.incidentsdk.Incident;
import io.incidentsdk.IncidentEvent;
import io.incidentsdk.StatementInfo;
import io.incidentsdk.internal.delivery.Endpoint;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * Posts incidents to a chat channel through a Slack-compatible incoming webhook (Slack, Mattermost,
 * Rocket.Chat and others accept the same {@code {"text": ...}} body): the title, severity and event, the
 * service, the statements involved (sanitized SQL, never values) and the first hint. Like
 * {@link PagerDutySink} it posts OPENED and RESOLVED events, and UPDATED events only when the severity rose,
 * so a long storm is two messages, not one per update interval. Texts are bounded ({@value #TEXT_MAX}
 * characters) and escaped for the chat's markup.
 *
 * <p>The webhook URL holds a secret in its path: logs and {@link #toString()} show only its host.
 *
 * @since 0.2.0
 */
public final class SlackSink extends HttpSink {

    /** The longest text posted. */
    public static final int TEXT_MAX = 3_000;
    private static final int STATEMENTS_SHOWN = 4;
    private static final int SQL_SHOWN = 300;

    private final URI url;

    private SlackSink(Builder b) {
        super(b.name, b.delivery, true);
        this.url = b.url;
    }

    /**
     * Starts configuring a chat sink.
     *
     * @param webhookUrl the incoming-webhook URL, an absolute {@code http} or {@code https} URL
     * @return a builder
     */
    public static Builder builder(URI webhookUrl) {
        return new Builder(Endpoint.requireHttp("webhookUrl", webhookUrl));
    }

    /** The message text of an event. */
    static String text(IncidentEvent event) {
        Incident incident = event.incident();
        StringBuilder t = new StringBuilder(512);
        String verb = event.event() == IncidentEvent.Type.RESOLVED ? "Resolved"
                : event.event() == IncidentEvent.Type.OPENED ? "Opened" : "Escalated";
        t.append(event.event() == IncidentEvent.Type.RESOLVED ? ":white_check_mark: " : ":rotating_light: ")
                .append("*[").append(incident.severity().name()).append("] ").append(escape(incident.title()))
                .append("*\n");
        t.append(verb).append(" · ").append(incident.kind().name()).append(" · ")
                .append(incident.occurrences()).append(incident.occurrences() == 1 ? " occurrence" : " occurrences");
        if (incident.service() != null) {
            t.append(" · ").append(escape(incident.service().name()));
            if (incident.service().environment() != null) {
                t.append(" (").append(escape(incident.service().environment())).append(')');
            }
        }
        t.append('\n');
        if (incident.summary() != null) {
            t.append(escape(shorten(incident.summary(), 500))).append('\n');
        }
        int shown = 0;
        for (StatementInfo statement : incident.statements()) {
            if (shown++ == STATEMENTS_SHOWN) {
                t.append("> … ").append(incident.statements().size() - STATEMENTS_SHOWN).append(" more\n");
                break;
            }
            String sql = statement.sql() != null ? statement.sql() : statement.fingerprint();
            t.append("> ").append(statement.role().name().toLowerCase(Locale.ROOT)).append(": `")
                    .append(escape(shorten(sql, SQL_SHOWN)).replace('`', '\'')).append("`\n");
        }
        if (!incident.hints().isEmpty()) {
            t.append("Hint: ").append(escape(incident.hints().get(0))).append('\n');
        }
        t.append("incident ").append(incident.incidentId());
        return shorten(t.toString(), TEXT_MAX);
    }

    /** Escapes the three characters the chat's markup reserves. */
    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    @Override
    HttpRequest request(IncidentEvent event, HttpRequest.Builder request, long nowMillis) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("text", text(event));
        return request.uri(url)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .build();
    }

    /**
     * Describes the sink without the webhook URL's secret path.
     *
     * @return a description
     */
    @Override
    public String toString() {
        return "SlackSink[name=" + name() + ", webhookUrl=" + Endpoint.display(url) + "]";
    }

    /**
     * Configures a {@link SlackSink}.
     *
     * @since 0.2.0
     */
    public static final class Builder {
        private final URI url;
        private String name = "slack";
        private DeliveryOptions delivery = DeliveryOptions.defaults();

        private Builder(URI url) {
            this.url = url;
        }

        /**
         * The sink's name in stats, metrics and thread names (default {@code slack}).
         *
         * @param name 1 to 64 characters of letters, digits, {@code .}, {@code _} or {@code -}
         * @return this builder
         */
        public Builder name(String name) {
            this.name = SinkNames.require(name);
            return this;
        }

        /**
         * How messages are delivered (default {@link DeliveryOptions#defaults()}: no spool).
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
        public SlackSink build() {
            return new SlackSink(this);
        }
    }
}
