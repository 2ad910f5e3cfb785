package io.incidentsdk.sink;

import io.incidentsdk.Incident;
import io.incidentsdk.IncidentEvent;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Logs each event as one line through SLF4J, with structured key-values: as SLF4J 2 key-value pairs
 * (for structured backends) and, for plain pattern layouts, in the message itself:
 * <pre>
 * incident OPENED kind=DEADLOCK severity=ERROR title="Deadlock on UPDATE account" occurrences=1 incidentId=… fingerprint=…
 * </pre>
 * The level follows the severity: INFO for {@code INFO}, WARN for {@code WARNING}, ERROR above; RESOLVED
 * events are logged at INFO. Every value was cleaned when the record was created, so a line can never be
 * broken by the data.
 *
 * @since 0.1.0
 */
public final class LoggingSink implements IncidentSink {

    /** The default logger name. */
    public static final String DEFAULT_LOGGER = "io.incidentsdk.incidents";

    private final Logger logger;

    private LoggingSink(Logger logger) {
        this.logger = logger;
    }

    /**
     * A sink logging to {@value #DEFAULT_LOGGER}.
     *
     * @return a new sink
     */
    public static LoggingSink create() {
        return new LoggingSink(LoggerFactory.getLogger(DEFAULT_LOGGER));
    }

    /**
     * A sink logging to the given logger.
     *
     * @param logger not {@code null}
     * @return a new sink
     */
    public static LoggingSink to(Logger logger) {
        return new LoggingSink(Objects.requireNonNull(logger, "logger must not be null"));
    }

    @Override
    public void publish(IncidentEvent event) {
        Incident incident = event.incident();
        Level level = level(event);
        if (!logger.isEnabledForLevel(level)) {
            return;
        }
        LoggingEventBuilder log = logger.atLevel(level)
                .addKeyValue("event", event.event().name())
                .addKeyValue("kind", incident.kind().name())
                .addKeyValue("severity", incident.severity().name())
                .addKeyValue("title", incident.title())
                .addKeyValue("occurrences", incident.occurrences())
                .addKeyValue("incidentId", incident.incidentId())
                .addKeyValue("fingerprint", incident.fingerprint())
                .addKeyValue("eventId", event.eventId());
        log.log(format(event));
    }

    /**
     * The one-line text of an event.
     *
     * @param event the event
     * @return the line, without a terminator
     */
    public static String format(IncidentEvent event) {
        Incident incident = event.incident();
        StringBuilder line = new StringBuilder(256)
                .append("incident ").append(event.event().name())
                .append(" kind=").append(incident.kind().name())
                .append(" severity=").append(incident.severity().name())
                .append(" title=");
        quote(line, incident.title());
        line.append(" occurrences=").append(incident.occurrences());
        if (incident.database() != null && incident.database().system() != null) {
            line.append(" database=").append(incident.database().system());
        }
        if (incident.database() != null && incident.database().dataSource() != null) {
            line.append(" dataSource=");
            quote(line, incident.database().dataSource());
        }
        if (incident.retry() != null) {
            line.append(" retry=").append(incident.retry().outcome().name())
                    .append(" attempts=").append(incident.retry().attempts());
        }
        line.append(" incidentId=").append(incident.incidentId())
                .append(" fingerprint=").append(incident.fingerprint())
                .append(" eventId=").append(event.eventId());
        return line.toString();
    }

    private static void quote(StringBuilder line, String value) {
        line.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                line.append('\\');
            }
            line.append(c);
        }
        line.append('"');
    }

    private static Level level(IncidentEvent event) {
        if (event.event() == IncidentEvent.Type.RESOLVED) {
            return Level.INFO;
        }
        switch (event.incident().severity()) {
            case INFO:
                return Level.INFO;
            case WARNING:
                return Level.WARN;
            default:
                return Level.ERROR;
        }
    }

    @Override
    public String name() {
        return "log";
    }
}
