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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Posts incidents to a chat channel through a Slack-compatible incoming webhook (Slack, Mattermost,
 * Rocket.Chat and others accept the same {@code {"text": ...}} body): the title, severity and event, the
 * service, the statements involved (sanitized SQL, never values) and the first hint. Like
 * {@link PagerDutySink} it posts OPENED and RESOLVED events, and UPDATED events only when the severity rose,
 * so a long storm is two messages, not one per update interval. Texts are bounded ({@value #TEXT_MAX}
 * characters, whole lines) and render literally: {@code &}, {@code <} and {@code >} are escaped, statements are
 * shown in code spans, and any other text that holds one of the markup's formatting characters ({@code *},
 * {@code _}, {@code ~}, a backtick) is shown in a code span too, so {@code SELECT * FROM order_items} is never
 * read as bold or italic; a backtick inside a code span is shown as {@code ˋ} (U+02CB).
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
    private static final int SUMMARY_SHOWN = 500;
    private static final int HINT_SHOWN = 500;
    /** The characters the chat's markup formats with (bold, italic, strike, code). */
    private static final String FORMATTING = "*_~`";

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
        List<String> lines = new ArrayList<>(8);
        String verb = event.event() == IncidentEvent.Type.RESOLVED ? "Resolved"
                : event.event() == IncidentEvent.Type.OPENED ? "Opened" : "Escalated";
        String icon = event.event() == IncidentEvent.Type.RESOLVED ? ":white_check_mark: " : ":rotating_light: ";
        String severity = "[" + incident.severity().name() + "]";
        lines.add(icon + (plain(incident.title()) ? "*" + severity + " " + escape(incident.title()) + "*"
                : "*" + severity + "* " + code(incident.title())));
        StringBuilder meta = new StringBuilder(128).append(verb).append(" · ").append(incident.kind().name())
                .append(" · ").append(incident.occurrences())
                .append(incident.occurrences() == 1 ? " occurrence" : " occurrences");
        if (incident.service() != null) {
            meta.append(" · ").append(literal(incident.service().name()));
            if (incident.service().environment() != null) {
                meta.append(" (").append(literal(incident.service().environment())).append(')');
            }
        }
        lines.add(meta.toString());
        if (incident.summary() != null) {
            lines.add(literal(shorten(incident.summary(), SUMMARY_SHOWN)));
        }
        int shown = 0;
        for (StatementInfo statement : incident.statements()) {
            if (shown++ == STATEMENTS_SHOWN) {
                lines.add("> … " + (incident.statements().size() - STATEMENTS_SHOWN) + " more");
                break;
            }
            String sql = statement.sql() != null ? statement.sql() : statement.fingerprint();
            lines.add("> " + statement.role().name().toLowerCase(Locale.ROOT) + ": " + code(shorten(sql, SQL_SHOWN)));
        }
        if (!incident.hints().isEmpty()) {
            lines.add("Hint: " + literal(shorten(incident.hints().get(0), HINT_SHOWN)));
        }
        // whole lines only, so that no code span, entity or surrogate pair is cut; the incident id always ends it
        String last = "incident " + incident.incidentId();
        StringBuilder t = new StringBuilder(512);
        for (String line : lines) {
            if (t.length() + line.length() + 1 + last.length() > TEXT_MAX - 2) {
                t.append("…\n");
                break;
            }
            t.append(line).append('\n');
        }
        return t.append(last).toString();
    }

    /** Whether the text renders as itself outside a code span: none of the chat's formatting characters. */
    private static boolean plain(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (FORMATTING.indexOf(text.charAt(i)) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** The text as it reads: escaped, and in a code span when it holds a formatting character. */
    private static String literal(String text) {
        return plain(text) ? escape(text) : code(text);
    }

    /**
     * A code span: the chat shows {@code *}, {@code _} and {@code ~} inside it as they are. A backtick would end
     * the span, so it is shown as the look-alike {@code ˋ} (U+02CB); {@code &}, {@code <} and {@code >} are
     * escaped there too.
     */
    private static String code(String text) {
        return "`" + escape(text).replace('`', '\u02CB') + "`";
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
