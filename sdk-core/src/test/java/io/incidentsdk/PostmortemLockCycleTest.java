package io.incidentsdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The postmortem spells out the lock cycle in order, from the record's sanitized statements (never a bind value
 * or a literal), names statements and code paths instead of fingerprints, and has no repeated or empty lines.
 * The records have the shape deadlock forensics gives them: the victim's statement of the cycle with the
 * fingerprints of its transaction's earlier statements and its call site, a blocker statement per other
 * transaction, and the cause and participant count as attributes.
 */
class PostmortemLockCycleTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final Pattern HEX_FINGERPRINT = Pattern.compile("\\b[0-9a-f]{16}\\b");

    private static final String DEBIT = "UPDATE accounts SET balance = balance - ? WHERE id = ?";
    private static final String CREDIT = "UPDATE accounts SET balance = balance + ? WHERE id = ?";

    private static StatementInfo statement(StatementInfo.Role role, String fingerprint, String sql, String thread,
                                           List<String> earlier, String callSite) {
        return new StatementInfo(role, fingerprint, sql, thread, "c" + thread.hashCode() % 100, null, 12L, earlier,
                callSite);
    }

    private static Incident deadlock(String cause, int participants, StatementInfo... statements) {
        Incident.Builder b = Incident.builder(IncidentKind.DEADLOCK, "Deadlock on " + statements[0].sql()
                        .substring(0, 15))
                .firstSeen(T0).lastSeen(T0.plusSeconds(30)).resolvedAt(T0.plusSeconds(90)).occurrences(42)
                .error(new ErrorInfo("DEADLOCK", "40P01", 0, "org.postgresql.util.PSQLException",
                        "ERROR: deadlock detected", Boolean.TRUE))
                .attribute("deadlock.cause", cause)
                .timeline(new TimelineEntry(T0, TimelineEntry.FIRST_FAILURE, "DEADLOCK (SQLState 40P01)"))
                .timeline(new TimelineEntry(T0.plusSeconds(90), TimelineEntry.RESOLVED, "no new occurrence for 60 s"));
        if (participants > 0) {
            b.attribute("deadlock.participants", Integer.toString(participants));
        }
        for (StatementInfo s : statements) {
            b.statement(s);
        }
        return b.build();
    }

    private static List<String> cycleLines(String doc) {
        String rest = doc.substring(doc.indexOf("**The lock cycle"));
        List<String> lines = new ArrayList<>();
        for (String line : rest.lines().skip(1).toList()) {
            if (line.isBlank() && lines.isEmpty()) {
                continue;
            }
            if (!line.startsWith("- ")) {
                break;
            }
            lines.add(line);
        }
        return lines;
    }

    private static void assertReadable(String doc, Incident incident) {
        for (StatementInfo s : incident.statements()) {
            assertThat(doc).doesNotContain(s.fingerprint());
            s.transactionStatements().forEach(f -> assertThat(doc).doesNotContain(f));
        }
        assertThat(HEX_FINGERPRINT.matcher(doc.replace(incident.incidentId(), "")).find()).as(doc).isFalse();
        assertThat(doc).doesNotContain("\n\n\n").doesNotContain("\n- \n").doesNotContain(":** \n");
        Set<String> bullets = new HashSet<>();
        for (String line : doc.lines().toList()) {
            if (line.startsWith("- ")) {
                assertThat(bullets.add(line)).as("repeated line: " + line).isTrue();
            }
        }
    }

    @Test
    void aTwoWayCycleSaysWhatEachTransactionRanAndWhatItWaitedForInOrder() {
        Incident incident = deadlock("OPPOSITE_ORDER", 2,
                statement(StatementInfo.Role.VICTIM, "7b7152da5009310e", CREDIT, "worker-1",
                        List.of("a1b2c3d4e5f60718"), "TransferService.creditFirst(TransferService.java:57)"),
                statement(StatementInfo.Role.BLOCKER, "a1b2c3d4e5f60718", DEBIT, "worker-2",
                        List.of("7b7152da5009310e"), "TransferService.debitFirst(TransferService.java:42)"));

        String doc = Postmortem.render(incident);

        assertThat(cycleLines(doc)).containsExactly(
                "- **T1** (the victim, thread `worker-1`, `TransferService.creditFirst(TransferService.java:57)`) ran `"
                        + DEBIT + "`, then waited in `" + CREDIT + "` for a row lock T2 held.",
                "- **T2** (thread `worker-2`, `TransferService.debitFirst(TransferService.java:42)`) ran `" + CREDIT
                        + "`, then waited in `" + DEBIT + "` for a row lock T1 held.",
                "- The database broke the cycle by rolling back T1, the victim; T2 went on.");
        assertThat(doc).contains("**The lock cycle:**")
                .contains("Add a test that runs `TransferService.creditFirst` and `TransferService.debitFirst` "
                        + "concurrently on the same rows")
                .contains("Earlier statements of its transaction, in order: `" + DEBIT + "`, then this statement.")
                .contains(", called from `TransferService.creditFirst(TransferService.java:57)`");
        assertReadable(doc, incident);
    }

    @Test
    void earlierStatementsAreNamedByTheSqlTheRecordCarriesEvenWhenNoOtherStatementHasTheirShape() {
        String reserve = "UPDATE stock SET reserved = reserved + ? WHERE sku = ?";
        String audit = "INSERT INTO audit (kind, at) VALUES (?, ?)";
        Incident incident = deadlock("OPPOSITE_ORDER", 2,
                new StatementInfo(StatementInfo.Role.VICTIM, "7b7152da5009310e", CREDIT, "worker-1", "c1", null, 12L,
                        List.of("0011223344556677"), "Orders.place(Orders.java:10)", List.of(reserve)),
                new StatementInfo(StatementInfo.Role.BLOCKER, "a1b2c3d4e5f60718", reserve, "worker-2", "c2", null,
                        12L, List.of("8899aabbccddeeff", "7b7152da5009310e"), "Orders.refund(Orders.java:20)",
                        List.of(audit, CREDIT)));

        String doc = Postmortem.render(incident);

        assertThat(cycleLines(doc)).startsWith(
                "- **T1** (the victim, thread `worker-1`, `Orders.place(Orders.java:10)`) ran `" + reserve
                        + "`, then waited in `" + CREDIT + "` for a row lock T2 held.",
                "- **T2** (thread `worker-2`, `Orders.refund(Orders.java:20)`) ran `" + audit + "`, then `" + CREDIT
                        + "`, then waited in `" + reserve + "` for a row lock T1 held.");
        assertThat(doc).doesNotContain("whose SQL the record does not carry");
        assertReadable(doc, incident);
    }

    @Test
    void theSameCodePathOnBothSidesIsNamedOnceAsOneCodePath() {
        Incident incident = deadlock("OPPOSITE_ORDER", 2,
                statement(StatementInfo.Role.VICTIM, "7b7152da5009310e", CREDIT, "worker-1",
                        List.of("a1b2c3d4e5f60718"), "TransferService.transfer(TransferService.java:30)"),
                statement(StatementInfo.Role.BLOCKER, "7b7152da5009310e", CREDIT, "worker-2",
                        List.of("a1b2c3d4e5f60718"), "TransferService.transfer(TransferService.java:30)"));

        String doc = Postmortem.render(incident);

        assertThat(doc).contains("Add a test that runs `TransferService.transfer` concurrently from two threads on "
                + "the same rows");
        assertThat(doc.split(Pattern.quote("TransferService.transfer`"), -1)).hasSize(2);
        assertThat(cycleLines(doc).get(0)).contains("ran 1 statement whose SQL the record does not carry, then "
                + "waited in `" + CREDIT + "` for a row lock T2 held.");
        assertReadable(doc, incident);
    }

    @Test
    void aThreeWayRingGoesRoundInTheOrderTheDatabaseReported() {
        String reserve = "UPDATE stock SET reserved = reserved + ? WHERE sku = ?";
        Incident incident = deadlock("RING", 3,
                statement(StatementInfo.Role.VICTIM, "1111111111111111", CREDIT, "worker-1",
                        List.of("2222222222222222"), "Transfers.run(Transfers.java:10)"),
                statement(StatementInfo.Role.BLOCKER, "2222222222222222", DEBIT, "worker-2",
                        List.of("3333333333333333"), "Refunds.run(Refunds.java:20)"),
                statement(StatementInfo.Role.BLOCKER, "3333333333333333", reserve, "worker-3",
                        List.of("1111111111111111"), "Orders.reserve(Orders.java:30)"));

        String doc = Postmortem.render(incident);

        assertThat(doc).contains("**The lock cycle, in the order the database reported it:**");
        assertThat(cycleLines(doc)).containsExactly(
                "- **T1** (the victim, thread `worker-1`, `Transfers.run(Transfers.java:10)`) ran `" + DEBIT
                        + "`, then waited in `" + CREDIT + "` for a row lock T2 held.",
                "- **T2** (thread `worker-2`, `Refunds.run(Refunds.java:20)`) ran `" + reserve + "`, then waited in `"
                        + DEBIT + "` for a row lock T3 held.",
                "- **T3** (thread `worker-3`, `Orders.reserve(Orders.java:30)`) ran `" + CREDIT + "`, then waited in `"
                        + reserve + "` for a row lock T1 held.",
                "- The database broke the cycle by rolling back T1, the victim; the others went on.");
        assertThat(doc).contains("Add a test that runs `Orders.reserve` and `Refunds.run` and `Transfers.run` "
                + "concurrently");
        assertReadable(doc, incident);
    }

    @Test
    void aForeignKeyCycleSaysTheInsertLockedTheParentRow() {
        String insert = "INSERT INTO order_line (order_id, sku, qty) VALUES (?, ?, ?)";
        String touch = "UPDATE orders SET total = total + ? WHERE id = ?";
        Incident incident = deadlock("FK_LOCK_UPGRADE", 2,
                statement(StatementInfo.Role.VICTIM, "4444444444444444", touch, "http-1",
                        List.of("5555555555555555"), "OrderLines.add(OrderLines.java:12)"),
                statement(StatementInfo.Role.BLOCKER, "4444444444444444", touch, "http-2",
                        List.of("5555555555555555"), "OrderLines.add(OrderLines.java:12)"),
                // the insert itself ran earlier: an incident of the same code path named it as its statement
                new StatementInfo(StatementInfo.Role.FAILED, "5555555555555555", insert, "http-3", null, null, null,
                        List.of(), null));

        String doc = Postmortem.render(incident);

        assertThat(cycleLines(doc)).containsExactly(
                "- **T1** (the victim, thread `http-1`, `OrderLines.add(OrderLines.java:12)`) ran `" + insert
                        + "` (its foreign-key check locked the parent row in shared mode), then waited in `" + touch
                        + "` for the shared lock T2's foreign-key check held on the parent row.",
                "- **T2** (thread `http-2`, `OrderLines.add(OrderLines.java:12)`) ran `" + insert
                        + "` (its foreign-key check locked the parent row in shared mode), then waited in `" + touch
                        + "` for the shared lock T1's foreign-key check held on the parent row.",
                "- The database broke the cycle by rolling back T1, the victim; T2 went on.");
        assertThat(doc).contains("Foreign-key lock upgrade: lock the parent first");
        assertReadable(doc, incident);
    }

    @Test
    void aGapLockCycleSaysTheLockingReadLockedTheGap() {
        String probe = "SELECT id FROM reservation WHERE slot = ? FOR UPDATE";
        String insert = "INSERT INTO reservation (slot, guest) VALUES (?, ?)";
        Incident incident = deadlock("GAP_LOCKS", 0,
                statement(StatementInfo.Role.VICTIM, "6666666666666666", insert, "booking-1",
                        List.of("7777777777777777"), "Bookings.reserve(Bookings.java:88)"),
                statement(StatementInfo.Role.BLOCKER, "6666666666666666", insert, "booking-2",
                        List.of("7777777777777777"), "Bookings.reserve(Bookings.java:88)"),
                new StatementInfo(StatementInfo.Role.FAILED, "7777777777777777", probe, "booking-3", null, null, null,
                        List.of(), null));

        String doc = Postmortem.render(incident);

        assertThat(cycleLines(doc)).containsExactly(
                "- **T1** (the victim, thread `booking-1`, `Bookings.reserve(Bookings.java:88)`) ran `" + probe
                        + "` (a locking read of a key that did not exist: it locked the gap), then waited in `"
                        + insert + "` for the gap lock T2's locking read held.",
                "- **T2** (thread `booking-2`, `Bookings.reserve(Bookings.java:88)`) ran `" + probe
                        + "` (a locking read of a key that did not exist: it locked the gap), then waited in `"
                        + insert + "` for the gap lock T1's locking read held.",
                "- The database broke the cycle by rolling back T1, the victim; T2 went on.");
        assertThat(doc).contains("Gap (next-key) locks: use READ COMMITTED");
        assertReadable(doc, incident);
    }

    @Test
    void figuresCoverTheWholeIncidentFromItsTimeSeries() {
        Incident spike = Incident.builder(IncidentKind.ERROR_SPIKE, "Error spike on accounts")
                .firstSeen(T0.plusSeconds(2)).resolvedAt(T0.plusSeconds(60))
                .impact(new Impact(java.time.Duration.ofSeconds(2), 100, 60, 0.6, java.util.Map.of("DEADLOCK", 60L),
                        List.of("7b7152da5009310e")))
                .series(new TimeSeries(T0, java.time.Duration.ofSeconds(10), "units of work",
                        List.of(100L, 100L, 100L, 100L, 100L, 100L), List.of(10L, 60L, 30L, 20L, 0L, 0L)))
                .timeline(new TimelineEntry(T0.plusMillis(2260), TimelineEntry.FIRST_FAILURE, "first failure"))
                .build();
        Incident deadlock = deadlock("OPPOSITE_ORDER", 2,
                statement(StatementInfo.Role.VICTIM, "7b7152da5009310e", CREDIT, "worker-1",
                        List.of("a1b2c3d4e5f60718"), null),
                statement(StatementInfo.Role.BLOCKER, "a1b2c3d4e5f60718", DEBIT, "worker-2",
                        List.of("7b7152da5009310e"), null));

        String doc = Postmortem.render(List.of(spike, deadlock));

        assertThat(doc).contains("- **Start:** 2026-11-25T10:00:00Z (the first failure)")
                .contains("- **Share affected over the whole incident:** 20% of units of work failed (120 of 600 "
                        + "from 2026-11-25T10:00:00Z to 2026-11-25T10:01:00Z of incident 1)")
                .contains("- **Worst window:** 60% failed (60 of 100 in the worst 2 s window of incident 1)")
                .contains("- **Most failing statements:** `" + CREDIT + "`, a statement of incident 2")
                .contains("Add a test that runs the code that runs `" + CREDIT + "` and the code that runs `" + DEBIT
                        + "` concurrently");
        assertThat(doc.lines().filter(l -> l.contains("first failure"))).hasSize(2); // the timeline's, and the start's
        assertReadable(doc, deadlock);
    }
}
