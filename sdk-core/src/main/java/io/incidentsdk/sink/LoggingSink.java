package io.incidentsdk.sink;

import io.incidentsdk.ErrorInfo;
import io.incidentsdk.Incident;
import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentJson;
import io.incidentsdk.StatementInfo;
import io.incidentsdk.internal.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Logs each event as one line through SLF4J that carries the facts a reader needs: what happened (kind,
 * severity, title, summary, failure category), which statements took part (role, sanitized SQL, the
 * application code that ran them), the first hint, how often it happened and what retrying did.
 *
 * <p>The facts go out twice in the same line: as SLF4J 2 key-value pairs, for structured backends (logback's
 * {@code JsonEncoder}, log4j2's JSON layouts through {@code log4j-slf4j2-impl}, the logstash encoder), and in the
 * message itself, for plain pattern layouts:
 * <pre>
 * incident OPENED kind=DEADLOCK severity=ERROR title="Deadlock on UPDATE account" occurrences=1 category=DEADLOCK
 *   summary="…" statements="victim: UPDATE account SET … WHERE id = ? (at TransferService.debit(TransferService.java:42)); blocker: …"
 *   hint="…" incidentId=… fingerprint=… eventId=…
 * </pre>
 * (one line; wrapped here). The key-values: {@code event}, {@code kind}, {@code severity}, {@code title},
 * {@code summary}, {@code category}, {@code sqlState}, {@code statements} (how many), then per statement
 * {@code statement.N.role}, {@code statement.N.sql}, {@code statement.N.callSite} and {@code statement.N.thread}
 * (N from 1, at most {@value #MAX_STATEMENTS}), {@code hint}, {@code hints} (how many), {@code occurrences},
 * {@code retry.outcome}, {@code retry.attempts}, {@code database}, {@code dataSource}, {@code incidentId},
 * {@code fingerprint} and {@code eventId}; optional ones are left out when the record has no value. Values
 * are strings, except {@code occurrences}, {@code statements}, {@code hints} and {@code retry.attempts}, which are
 * numbers.
 *
 * <p>Bounded: the summary, each SQL statement and the hint are cut to a few hundred characters (with a
 * marker), at most {@value #MAX_STATEMENTS} statements are named, and the whole line is at most
 * {@value #MAX_LINE} characters; the record's other details (timeline, hints beyond the first, attributes) are in
 * the full record. When the logger has DEBUG enabled, a second line at DEBUG carries the full record as one line
 * of JSON ({@code incident record {...}}), with the {@code incidentId} and {@code eventId} key-values.
 *
 * <p>The level follows the severity: INFO for {@code INFO}, WARN for {@code WARNING}, ERROR above; RESOLVED
 * events are logged at INFO. Every value was cleaned when the record was created (one line, no control
 * characters, no bind values or literals), so a line can never be broken by the data.
 *
 * @since 0.1.0
 */
public final class LoggingSink implements IncidentSink {

    /** The default logger name. */
    public static final String DEFAULT_LOGGER = "io.incidentsdk.incidents";

    /** The most statements a line names. */
    public static final int MAX_STATEMENTS = 4;

    /** The longest line the sink writes, in characters (the DEBUG line with the full record aside). */
    public static final int MAX_LINE = 4096;

    private static final int MAX_SUMMARY = 600;
    private static final int MAX_SQL = 300;
    private static final int MAX_HINT = 400;
    private static final int MAX_SHORT = 160;

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
        if (logger.isEnabledForLevel(level)) {
            LoggingEventBuilder log = logger.atLevel(level)
                    .addKeyValue("event", event.event().name())
                    .addKeyValue("kind", incident.kind().name())
                    .addKeyValue("severity", incident.severity().name())
                    .addKeyValue("title", incident.title());
            if (incident.summary() != null) {
                log.addKeyValue("summary", cut(incident.summary(), MAX_SUMMARY));
            }
            ErrorInfo error = incident.error();
            if (error != null && error.category() != null) {
                log.addKeyValue("category", error.category());
            }
            if (error != null && error.sqlState() != null) {
                log.addKeyValue("sqlState", error.sqlState());
            }
            int statements = Math.min(MAX_STATEMENTS, incident.statements().size());
            if (statements > 0) {
                log.addKeyValue("statements", incident.statements().size());
            }
            for (int i = 0; i < statements; i++) {
                StatementInfo s = incident.statements().get(i);
                String prefix = "statement." + (i + 1) + ".";
                log.addKeyValue(prefix + "role", role(s));
                if (s.sql() != null) {
                    log.addKeyValue(prefix + "sql", cut(s.sql(), MAX_SQL));
                }
                if (s.callSite() != null) {
                    log.addKeyValue(prefix + "callSite", cut(s.callSite(), MAX_SHORT));
                }
                if (s.thread() != null) {
                    log.addKeyValue(prefix + "thread", cut(s.thread(), MAX_SHORT));
                }
            }
            if (!incident.hints().isEmpty()) {
                log.addKeyValue("hint", cut(incident.hints().get(0), MAX_HINT));
                log.addKeyValue("hints", incident.hints().size());
            }
            log.addKeyValue("occurrences", incident.occurrences());
            if (incident.retry() != null) {
                log.addKeyValue("retry.outcome", incident.retry().outcome().name());
                log.addKeyValue("retry.attempts", incident.retry().attempts());
            }
            if (incident.database() != null && incident.database().system() != null) {
                log.addKeyValue("database", incident.database().system());
            }
            if (incident.database() != null && incident.database().dataSource() != null) {
                log.addKeyValue("dataSource", cut(incident.database().dataSource(), MAX_SHORT));
            }
            log.addKeyValue("incidentId", incident.incidentId())
                    .addKeyValue("fingerprint", incident.fingerprint())
                    .addKeyValue("eventId", event.eventId())
                    .log(format(event));
        }
        if (logger.isDebugEnabled()) {
            logger.atDebug()
                    .addKeyValue("incidentId", incident.incidentId())
                    .addKeyValue("eventId", event.eventId())
                    .log("incident record " + IncidentJson.toJson(event));
        }
    }

    /**
     * The one-line text of an event: at most {@value #MAX_LINE} characters, without a terminator.
     *
     * @param event the event
     * @return the line
     */
    public static String format(IncidentEvent event) {
        Incident incident = event.incident();
        StringBuilder head = new StringBuilder(256)
                .append("incident ").append(event.event().name())
                .append(" kind=").append(incident.kind().name())
                .append(" severity=").append(incident.severity().name())
                .append(" title=");
        quote(head, incident.title());
        head.append(" occurrences=").append(incident.occurrences());
        ErrorInfo error = incident.error();
        if (error != null && error.category() != null) {
            head.append(" category=").append(error.category());
        }
        if (incident.database() != null && incident.database().system() != null) {
            head.append(" database=").append(incident.database().system());
        }
        if (incident.database() != null && incident.database().dataSource() != null) {
            head.append(" dataSource=");
            quote(head, cut(incident.database().dataSource(), MAX_SHORT));
        }
        if (incident.retry() != null) {
            head.append(" retry=").append(incident.retry().outcome().name())
                    .append(" attempts=").append(incident.retry().attempts());
        }
        List<String[]> facts = new ArrayList<>(3);
        if (incident.summary() != null) {
            facts.add(new String[] {"summary", cut(incident.summary(), MAX_SUMMARY)});
        }
        if (!incident.statements().isEmpty()) {
            facts.add(new String[] {"statements", statements(incident)});
        }
        if (!incident.hints().isEmpty()) {
            facts.add(new String[] {"hint", cut(incident.hints().get(0), MAX_HINT)});
        }
        StringBuilder tail = new StringBuilder(160)
                .append(" incidentId=").append(incident.incidentId())
                .append(" fingerprint=").append(incident.fingerprint())
                .append(" eventId=").append(event.eventId());
        // the ids at the end must survive: they find the full record
        int limit = MAX_LINE - tail.length();
        int previousStart = -1;
        String[] previous = null;
        for (String[] fact : facts) {
            int start = head.length();
            if (appendWhole(head, fact[0], fact[1], limit)) {
                previousStart = start;
                previous = fact;
                continue;
            }
            if (!appendCut(head, fact[0], fact[1], limit) && previous != null) {
                // no room for this key: the cut is marked at the end of the value before it
                head.setLength(previousStart);
                appendCut(head, previous[0], previous[1], limit);
            }
            break;
        }
        return head.append(tail).toString();
    }

    /** Appends {@code  key="value"} when all of it fits before {@code limit}; else changes nothing. */
    private static boolean appendWhole(StringBuilder line, String key, String value, int limit) {
        int start = line.length();
        line.append(' ').append(key).append('=');
        quote(line, value);
        if (line.length() <= limit) {
            return true;
        }
        line.setLength(start);
        return false;
    }

    /**
     * Appends {@code  key="value…[truncated]"} with as much of the value as fits before {@code limit}, cut at a
     * safe place: never inside an escape or a surrogate pair. Changes nothing when not even the key fits.
     */
    private static boolean appendCut(StringBuilder line, String key, String value, int limit) {
        // room for the value's characters between  key="  and  …[truncated]"
        int room = limit - line.length() - key.length() - 3 - Text.TRUNCATION_MARKER.length() - 1;
        if (room < 0) {
            return false;
        }
        line.append(' ').append(key).append("=\"");
        int used = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean escaped = c == '"' || c == '\\';
            boolean pair = Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1));
            int width = escaped || pair ? 2 : 1;
            if (used + width > room) {
                break;
            }
            if (escaped) {
                line.append('\\');
            }
            line.append(c);
            if (pair) {
                line.append(value.charAt(++i));
            }
            used += width;
        }
        line.append(Text.TRUNCATION_MARKER).append('"');
        return true;
    }

    /** {@code victim: UPDATE … (at Foo.bar(Foo.java:42)); blocker: …}, at most {@value #MAX_STATEMENTS}. */
    private static String statements(Incident incident) {
        StringBuilder s = new StringBuilder(512);
        int n = Math.min(MAX_STATEMENTS, incident.statements().size());
        for (int i = 0; i < n; i++) {
            StatementInfo statement = incident.statements().get(i);
            if (i > 0) {
                s.append("; ");
            }
            s.append(role(statement)).append(": ")
                    .append(statement.sql() == null ? "SQL not recorded" : cut(statement.sql(), MAX_SQL));
            if (statement.callSite() != null) {
                s.append(" (at ").append(cut(statement.callSite(), MAX_SHORT)).append(')');
            }
        }
        if (incident.statements().size() > n) {
            s.append("; and ").append(incident.statements().size() - n).append(" more");
        }
        return s.toString();
    }

    private static String role(StatementInfo statement) {
        return statement.role().name().toLowerCase(Locale.ROOT);
    }

    private static String cut(String value, int max) {
        if (value.length() <= max) {
            return value;
        }
        int end = max - Text.TRUNCATION_MARKER.length();
        if (end > 0 && Character.isHighSurrogate(value.charAt(end - 1))) {
            end--;
        }
        return value.substring(0, Math.max(0, end)) + Text.TRUNCATION_MARKER;
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
