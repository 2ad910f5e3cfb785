package io.incidentsdk;

import io.incidentsdk.internal.Uuid7;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Incidents and events for tests: one with every field filled, one with the minimum, and hostile strings. */
public final class Fixtures {

    /** A fixed point in time so that records are reproducible. */
    public static final Instant T0 = Instant.parse("2025-03-01T10:15:30.123Z");

    /** Strings that break log lines, terminals or JSON parsers when passed through unchanged. */
    public static final List<String> HOSTILE = List.of(
            "line one\nline two\r\nline three\rend",
            "\u001b[31mred\u001b[0m alert \u001b[1;4;38;5;196mbold\u001b[m",
            "json \"}{\" breaker \"},{\"kind\":\"FAKE\" and \\ backslash",
            "lone high \uD83D surrogate",
            "lone low \uDE00 surrogate",
            "trailing high surrogate \uD83D",
            "C1 controls \u0085 next line \u009b csi \u0080 pad",
            "separators \u2028 line and \u2029 paragraph",
            "nul \u0000 bell \u0007 backspace \b delete \u007f",
            "tab\tform\fvertical\u000bend",
            "osc \u001b]0;window title\u0007 and \u001b]8;;http://x\u001b\\link",
            "emoji \uD83D\uDE00 pair and \u00e9 accent",
            "   \n\t  ");

    private Fixtures() {
    }

    /**
     * An incident with every field of the wire contract filled.
     *
     * @return a new incident
     */
    public static Incident fullIncident() {
        return Incident.builder(IncidentKind.DEADLOCK, "Deadlock on UPDATE account")
                .incidentId(Uuid7.at(T0.toEpochMilli()).toString())
                .fingerprint(Fingerprint.of(IncidentKind.DEADLOCK, "stmt:upd-account", "orders-db"))
                .severity(Severity.ERROR)
                .summary("Two transactions updated account rows in opposite order.")
                .firstSeen(T0)
                .lastSeen(T0.plusSeconds(3))
                .occurrences(3)
                .suppressed(1)
                .service(new ServiceInfo("checkout", "1.4.2", "prod", "host-1/4242"))
                .database(new DatabaseInfo("postgresql", "PostgreSQL", "17.2", "ordersDataSource",
                        "jdbc:postgresql://app:secret@db.internal:5432/orders?sslmode=require"))
                .error(new ErrorInfo("DEADLOCK", "40P01", 0, "org.postgresql.util.PSQLException",
                        "ERROR: deadlock detected", Boolean.TRUE))
                .statement(new StatementInfo(StatementInfo.Role.VICTIM, "stmt:upd-account",
                        "UPDATE account SET balance = balance - ? WHERE id = ?", "http-nio-8080-exec-1", "conn-7",
                        "4711", 120L, List.of("stmt:sel-account", "stmt:ins-ledger")))
                .statement(new StatementInfo(StatementInfo.Role.BLOCKER, "stmt:upd-account-2",
                        "UPDATE account SET balance = balance + ? WHERE id = ?", "http-nio-8080-exec-2", "conn-8",
                        "4712", 95L, List.of("stmt:sel-account")))
                .statement(new StatementInfo(StatementInfo.Role.FAILED, "stmt:upd-ledger",
                        "UPDATE ledger SET total = ? WHERE id = ?", "worker-1", "conn-9", "4713", 3L, List.of()))
                .retry(new RetryInfo(1, RetryInfo.Outcome.NOT_RETRIED, "inside a transaction the application manages"))
                .impact(new Impact(Duration.ofMinutes(1), 200, 4, 0.02, Map.of("DEADLOCK", 4L),
                        List.of("stmt:upd-account")))
                .hint("Update account rows in one order, for example by ascending id.")
                .hint("Keep transactions short.")
                .timeline(new TimelineEntry(T0, TimelineEntry.FIRST_FAILURE, "first deadlock"))
                .timeline(new TimelineEntry(T0.plusMillis(5), TimelineEntry.DETECTED, "DEADLOCK detected"))
                .trace(new TraceInfo("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"))
                .attribute("tenant", "acme")
                .attribute("region", "eu-west-1")
                .build();
    }

    /**
     * An incident with only the required fields.
     *
     * @return a new incident
     */
    public static Incident minimalIncident() {
        return Incident.builder(IncidentKind.CUSTOM, "Payment provider timing out")
                .firstSeen(T0)
                .build();
    }

    /**
     * An event of the given type carrying {@code incident}; a RESOLVED event gets a {@code resolvedAt}.
     *
     * @param type     the event type
     * @param incident the incident
     * @return a new event
     */
    public static IncidentEvent event(IncidentEvent.Type type, Incident incident) {
        Incident carried = incident;
        if (type == IncidentEvent.Type.RESOLVED && !incident.isResolved()) {
            carried = incident.toBuilder()
                    .resolvedAt(incident.lastSeen().plusSeconds(60))
                    .timeline(new TimelineEntry(incident.lastSeen().plusSeconds(60), TimelineEntry.RESOLVED,
                            "no new occurrence for 60 s"))
                    .build();
        }
        Instant at = carried.lastSeen().plusSeconds(1);
        return new IncidentEvent(IncidentEvent.SCHEMA_VERSION, Uuid7.at(at.toEpochMilli()).toString(), type, at,
                carried);
    }

    /**
     * An OPENED event for a minimal incident with the given title.
     *
     * @param title the title
     * @return a new event
     */
    public static IncidentEvent opened(String title) {
        return event(IncidentEvent.Type.OPENED, Incident.builder(IncidentKind.CUSTOM, title).firstSeen(T0).build());
    }
}
