package io.incidentsdk;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Records of an outage as the SDK writes them: an error spike with its time series and the deadlock behind it. */
final class ReportFixtures {

    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    static final String DEBIT = "UPDATE accounts SET balance = balance - ? WHERE id = ?";
    static final String CREDIT = "UPDATE accounts SET balance = balance + ? WHERE id = ?";

    private ReportFixtures() {
    }

    static List<Incident> outage(String hostile) {
        List<Long> calls = new ArrayList<>();
        List<Long> failures = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            calls.add(400L + (i * 37L) % 90);
            failures.add(i < 5 || i > 30 ? 0L : 60L + (i * 53L) % 120);
        }
        Incident spike = Incident.builder(IncidentKind.ERROR_SPIKE, "Error spike on accounts " + hostile)
                .firstSeen(T0.plusSeconds(12)).lastSeen(T0.plusSeconds(150)).resolvedAt(T0.plusSeconds(160))
                .summary("31% of units of work failing " + hostile)
                .impact(new Impact(Duration.ofSeconds(10), 900, 280, 280 / 900.0, Map.of("DEADLOCK", 280L),
                        List.of("7b7152da5009310e")))
                .series(new TimeSeries(T0, Duration.ofSeconds(4), "units of work", calls, failures))
                .timeline(new TimelineEntry(T0.plusSeconds(20), TimelineEntry.FIRST_FAILURE, "first failure"))
                .timeline(new TimelineEntry(T0.plusSeconds(24), TimelineEntry.SPIKE_OPENED, "31% failing"))
                .timeline(new TimelineEntry(T0.plusSeconds(70), TimelineEntry.PEAK, "44% failing"))
                .timeline(new TimelineEntry(T0.plusSeconds(90), TimelineEntry.NOTE, "paged " + hostile))
                .timeline(new TimelineEntry(T0.plusSeconds(160), TimelineEntry.RESOLVED, "back to 0%"))
                .build();
        Incident deadlock = Incident.builder(IncidentKind.DEADLOCK, "Deadlock on UPDATE accounts")
                .firstSeen(T0.plusSeconds(20)).lastSeen(T0.plusSeconds(120)).resolvedAt(T0.plusSeconds(150))
                .occurrences(1028)
                .error(new ErrorInfo("DEADLOCK", "40P01", 0, "org.postgresql.util.PSQLException",
                        "ERROR: deadlock detected " + hostile, Boolean.TRUE))
                .statement(new StatementInfo(StatementInfo.Role.VICTIM, "7b7152da5009310e", CREDIT, "worker-1", "c1",
                        "4711", 14L, List.of("a1b2c3d4e5f60718"), "TransferService.creditFirst(TransferService.java:57)"))
                .statement(new StatementInfo(StatementInfo.Role.BLOCKER, "a1b2c3d4e5f60718", DEBIT, "worker-2", "c2",
                        "4712", 11L, List.of("7b7152da5009310e"), "TransferService.debitFirst(TransferService.java:42)"))
                .attribute("deadlock.cause", "OPPOSITE_ORDER")
                .attribute("deadlock.participants", "2")
                .hint("Lock rows in one order " + hostile)
                .timeline(new TimelineEntry(T0.plusSeconds(20), TimelineEntry.FIRST_FAILURE, "DEADLOCK (SQLState 40P01)"))
                .timeline(new TimelineEntry(T0.plusSeconds(150), TimelineEntry.RESOLVED, "no new occurrence"))
                .build();
        return List.of(spike, deadlock);
    }
}
