package io.incidentsdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PostmortemTest {

    static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");
    static final List<String> SECTIONS = List.of("Issue Summary", "Timeline", "Root Cause and Resolution",
            "Corrective and Preventative Measures", "Misleading Paths", "Escalation");

    static final String CHECKOUT_SQL = "UPDATE inventory SET reserved = reserved + ? WHERE sku = ?";
    static final String REFUND_SQL = "UPDATE account SET balance = balance + ? WHERE id = ?";
    static final String LOCK_ORDER_HINT = "Two transactions locked rows of table account in opposite order: take the "
            + "locks in one order (for example ascending primary key) in every code path";

    static final ServiceInfo SERVICE = new ServiceInfo("checkout", "1.4.2", "prod", "host-1/4242");
    static final DatabaseInfo DATABASE = new DatabaseInfo("postgresql", "PostgreSQL", "17.2", "ordersDataSource",
            "jdbc:postgresql://db.internal:5432/orders");

    // ------------------------------------------------------------------ the founding story

    /** The error spike that monitoring saw: 31% of calls failing for 2.5 hours, 97% of the failures deadlocks. */
    static Incident spike() {
        Map<String, Long> categories = new LinkedHashMap<>();
        categories.put("DEADLOCK", 3007L);
        categories.put("LOCK_TIMEOUT", 93L);
        return Incident.builder(IncidentKind.ERROR_SPIKE, "Error spike on ordersDataSource")
                .incidentId("0195a1b2-0000-7000-8000-000000000001")
                .firstSeen(T0.plusSeconds(60))
                .lastSeen(T0.plus(Duration.ofMinutes(149)))
                .resolvedAt(T0.plus(Duration.ofMinutes(150)))
                .occurrences(1)
                .service(SERVICE)
                .database(DATABASE)
                .summary("31% of calls failing (3100 of 10000 in 60 s); 97% of failures are DEADLOCK")
                .impact(new Impact(Duration.ofSeconds(60), 10_000, 3_100, 0.31, categories,
                        List.of("stmt:upd-inventory", "stmt:upd-account-refund")))
                .hint("Look at what the failures are before tuning anything")
                .timeline(new TimelineEntry(T0.plusMillis(250), TimelineEntry.FIRST_FAILURE,
                        "first failure in the window"))
                .timeline(new TimelineEntry(T0.plusSeconds(60), TimelineEntry.SPIKE_OPENED,
                        "24% of calls failing (240 of 1000)"))
                .timeline(new TimelineEntry(T0.plus(Duration.ofMinutes(5)), TimelineEntry.NOTE,
                        "acknowledged by on-call"))
                .timeline(new TimelineEntry(T0.plus(Duration.ofMinutes(20)), TimelineEntry.PEAK,
                        "peak: 31% of calls failing"))
                .timeline(new TimelineEntry(T0.plus(Duration.ofMinutes(75)), TimelineEntry.NOTE,
                        "escalated to the database team"))
                .timeline(new TimelineEntry(T0.plus(Duration.ofMinutes(150)), TimelineEntry.RESOLVED,
                        "failure rate back to 1% for 30 s (peak 31%)"))
                .build();
    }

    /** The checkout path, chosen as victim; nothing retried it, so its users saw the errors. */
    static Incident checkoutDeadlock() {
        return Incident.builder(IncidentKind.DEADLOCK, "Deadlock on UPDATE inventory")
                .incidentId("0195a1b2-0000-7000-8000-000000000002")
                .firstSeen(T0)
                .lastSeen(T0.plus(Duration.ofMinutes(140)))
                .resolvedAt(T0.plus(Duration.ofMinutes(145)))
                .occurrences(2367)
                .service(SERVICE)
                .database(DATABASE)
                .error(new ErrorInfo("DEADLOCK", "40P01", 0, "org.postgresql.util.PSQLException",
                        "ERROR: deadlock detected", Boolean.TRUE))
                .statement(new StatementInfo(StatementInfo.Role.VICTIM, "stmt:upd-inventory", CHECKOUT_SQL,
                        "http-nio-8080-exec-3", "c17", "4711", 180L, List.of("stmt:ins-order", "stmt:upd-account")))
                .statement(new StatementInfo(StatementInfo.Role.BLOCKER, "stmt:upd-account-refund", REFUND_SQL,
                        "refund-worker-1", "c21", "4712", 240L, List.of("stmt:upd-inventory-refund")))
                .retry(new RetryInfo(1, RetryInfo.Outcome.NOT_RETRIED, "inside a transaction the application manages"))
                .hint(LOCK_ORDER_HINT)
                .hint("Keep transactions short and retry the WHOLE transaction on deadlock, never a single statement")
                .timeline(new TimelineEntry(T0, TimelineEntry.FIRST_FAILURE,
                        "DEADLOCK (SQLState 40P01, vendor code 0) on thread http-nio-8080-exec-3"))
                .timeline(new TimelineEntry(T0.plusMillis(5), TimelineEntry.DETECTED, "DEADLOCK detected"))
                .timeline(new TimelineEntry(T0.plus(Duration.ofMinutes(145)), TimelineEntry.RESOLVED,
                        "no new occurrence for 5 min"))
                .build();
    }

    /** The refund path, chosen as victim in the other direction; a whole-transaction retry absorbed it. */
    static Incident refundDeadlock() {
        return Incident.builder(IncidentKind.DEADLOCK, "Deadlock on UPDATE account")
                .incidentId("0195a1b2-0000-7000-8000-000000000003")
                .severity(Severity.WARNING)
                .firstSeen(T0.plusSeconds(30))
                .lastSeen(T0.plus(Duration.ofMinutes(139)))
                .resolvedAt(T0.plus(Duration.ofMinutes(144)))
                .occurrences(640)
                .service(SERVICE)
                .database(DATABASE)
                .error(new ErrorInfo("DEADLOCK", "40P01", 0, "org.postgresql.util.PSQLException",
                        "ERROR: deadlock detected", Boolean.TRUE))
                .statement(new StatementInfo(StatementInfo.Role.VICTIM, "stmt:upd-account-refund", REFUND_SQL,
                        "refund-worker-2", "c22", "4713", 90L, List.of("stmt:upd-inventory-refund")))
                .statement(new StatementInfo(StatementInfo.Role.BLOCKER, "stmt:upd-inventory", CHECKOUT_SQL,
                        "http-nio-8080-exec-7", "c18", "4714", 60L, List.of("stmt:ins-order", "stmt:upd-account")))
                .retry(new RetryInfo(2, RetryInfo.Outcome.SUCCEEDED, null))
                .hint(LOCK_ORDER_HINT)
                .timeline(new TimelineEntry(T0.plusSeconds(30), TimelineEntry.FIRST_FAILURE,
                        "DEADLOCK (SQLState 40P01, vendor code 0) on thread refund-worker-2"))
                .timeline(new TimelineEntry(T0.plusSeconds(30).plusMillis(4), TimelineEntry.DETECTED,
                        "DEADLOCK detected"))
                .timeline(new TimelineEntry(T0.plus(Duration.ofMinutes(144)), TimelineEntry.RESOLVED,
                        "no new occurrence for 5 min"))
                .build();
    }

    static List<Incident> foundingStory() {
        return List.of(checkoutDeadlock(), spike(), refundDeadlock());
    }

    // ------------------------------------------------------------------ reading the document

    /** The H1 and H2 headings of a document, in order. */
    static List<String> outline(String markdown) {
        List<String> headings = new ArrayList<>();
        for (String line : markdown.split("\n", -1)) {
            if (line.startsWith("# ") || line.startsWith("## ")) {
                headings.add(line);
            }
        }
        return headings;
    }

    /** The body of an H2 section, without its heading. */
    static String section(String markdown, String name) {
        int start = markdown.indexOf("\n## " + name + "\n");
        assertThat(start).as("section %s", name).isNotNegative();
        int bodyStart = start + name.length() + 5;
        int end = markdown.indexOf("\n## ", bodyStart);
        return markdown.substring(bodyStart, end < 0 ? markdown.length() : end);
    }

    static List<String> bullets(String body) {
        return Arrays.stream(body.split("\n")).filter(l -> l.startsWith("- ")).toList();
    }

    // ------------------------------------------------------------------ tests

    @Nested
    class TheFoundingStory {

        private final String doc = Postmortem.render(foundingStory());

        @Test
        void hasTheTitleOfTheSpikeAndEverySectionInOrder() {
            List<String> expected = new ArrayList<>();
            expected.add("# Postmortem: Error spike on ordersDataSource");
            SECTIONS.forEach(s -> expected.add("## " + s));
            assertThat(outline(doc)).containsExactlyElementsOf(expected);
            assertThat(doc).startsWith("# Postmortem: ").endsWith("team\n").doesNotEndWith("\n\n");
        }

        @Test
        void issueSummaryGivesStartEndDurationShareKindsSeverityServiceAndDatabase() {
            String summary = section(doc, "Issue Summary");

            assertThat(summary)
                    .contains("- **Start:** 2025-03-01T09:00:00Z (the first failure)\n")
                    .contains("- **End:** 2025-03-01T11:30:00Z\n")
                    .contains("- **Duration:** 2 h 30 min\n")
                    .contains("- **Share affected in the worst window:** 31% failed (3100 of 10000 in the worst "
                            + "1 min window of incident 1)")
                    .contains("- **Failures by category:** `DEADLOCK` 97% (3007), `LOCK_TIMEOUT` 3% (93)")
                    .contains("- **Peak:** 2025-03-01T09:20:00Z (incident 1): 31% of calls failing")
                    .contains("- **Incidents:** `ERROR_SPIKE`: 1 incident, 1 occurrence; `DEADLOCK`: 2 incidents, "
                            + "3007 occurrences\n")
                    .contains("- **Severity:** ERROR (the highest of the incidents)")
                    .contains("- **Service:** checkout 1.4.2 (environment prod, instance host-1/4242)")
                    .contains("- **Database:** postgresql (PostgreSQL 17.2), data source ordersDataSource")
                    .contains("- **Summary:** 31% of calls failing (3100 of 10000 in 60 s); 97% of failures are "
                            + "DEADLOCK");
        }

        @Test
        void timelineMergesEveryEntryOfEveryIncidentSortedByTime() {
            List<String> entries = bullets(section(doc, "Timeline"));

            // one first failure for the document: the earliest (incident 3's and the spike's later ones are in their
            // records)
            assertThat(entries).hasSize(10);
            assertThat(entries).filteredOn(e -> e.contains("first failure")).hasSize(1);
            List<Instant> times = entries.stream().map(e -> Instant.parse(e.substring(2, e.indexOf(' ', 2)))).toList();
            List<Instant> sorted = new ArrayList<>(times);
            Collections.sort(sorted);
            assertThat(times).isEqualTo(sorted);
            assertThat(entries.get(0)).isEqualTo("- 2025-03-01T09:00:00Z — `DEADLOCK` (incident 2), first failure: "
                    + "DEADLOCK (SQLState 40P01, vendor code 0) on thread http-nio-8080-exec-3");
            assertThat(entries.get(1)).isEqualTo("- 2025-03-01T09:00:00.005Z — `DEADLOCK` (incident 2), detected: "
                    + "DEADLOCK detected");
            assertThat(entries).anyMatch(e -> e.contains("`ERROR_SPIKE` (incident 1), spike opened: 24% of calls"))
                    .anyMatch(e -> e.contains("`ERROR_SPIKE` (incident 1), peak: 31% of calls failing"))
                    .anyMatch(e -> e.contains("`ERROR_SPIKE` (incident 1), note: acknowledged by on-call"))
                    .anyMatch(e -> e.contains("`DEADLOCK` (incident 3), resolved: no new occurrence for 5 min"));
            assertThat(entries.get(9)).isEqualTo("- 2025-03-01T11:30:00Z — `ERROR_SPIKE` (incident 1), resolved: "
                    + "failure rate back to 1% for 30 s (peak 31%)");
        }

        @Test
        void incidentsAreNumberedSpikeFirstThenByFirstSeen() {
            assertThat(doc).contains("Written from 3 incident records: incident 1 `0195a1b2-0000-7000-8000-000000000001`, "
                    + "incident 2 `0195a1b2-0000-7000-8000-000000000002`, incident 3 "
                    + "`0195a1b2-0000-7000-8000-000000000003`.");
            String rootCause = section(doc, "Root Cause and Resolution");
            assertThat(rootCause.lines().filter(l -> l.startsWith("### ")).toList()).containsExactly(
                    "### Incident 1, `ERROR_SPIKE`: Error spike on ordersDataSource",
                    "### Incident 2, `DEADLOCK`: Deadlock on UPDATE inventory",
                    "### Incident 3, `DEADLOCK`: Deadlock on UPDATE account");
        }

        @Test
        void rootCauseNamesVictimAndBlockerWithSqlThreadsAndTransactionOrder() {
            String rootCause = section(doc, "Root Cause and Resolution");
            String checkout = rootCause.substring(rootCause.indexOf("### Incident 2"), rootCause.indexOf("### Incident 3"));

            assertThat(checkout)
                    .contains("The database found a lock cycle")
                    .contains("- **Error:** category `DEADLOCK`, SQLState `40P01`, vendor code `0`, exception "
                            + "`org.postgresql.util.PSQLException`")
                    .contains("- **Message:** ERROR: deadlock detected")
                    .contains("- **Rolled back:** the whole transaction: its earlier statements were undone as well")
                    .contains("- **Occurrences:** 2367, first seen 2025-03-01T09:00:00Z, last seen 2025-03-01T11:20:00Z")
                    .contains("**Victim statement**, thread `http-nio-8080-exec-3` (connection "
                            + "`c17`, database session `4711`, transaction open for 180 ms):\n\n```sql\n"
                            + CHECKOUT_SQL + "\n```\n")
                    .contains("Earlier statements of its transaction, in order: 2 statements whose SQL the record "
                            + "does not carry, then this statement.")
                    .contains("**Blocker statement**, thread `refund-worker-1` (connection "
                            + "`c21`, database session `4712`, transaction open for 240 ms):\n\n```sql\n"
                            + REFUND_SQL + "\n```\n")
                    .contains("Earlier statements of its transaction, in order: 1 statement whose SQL the record "
                            + "does not carry, then this statement.")
                    .contains("- **T1** (the victim, thread `http-nio-8080-exec-3`) ran 2 statements whose SQL the "
                            + "record does not carry, then waited in `" + CHECKOUT_SQL + "` for a lock T2 held.")
                    .contains("- **T2** (thread `refund-worker-1`) ran 1 statement whose SQL the record does not "
                            + "carry, then waited in `" + REFUND_SQL + "` for a lock T1 held.")
                    .contains("- The database broke the cycle by rolling back T1, the victim; T2 went on.")
                    .doesNotContain("stmt:")
                    .contains("- **Resolution:** resolved at 2025-03-01T11:25:00Z: no new occurrence for 5 min")
                    .contains("- **Retry:** not retried: inside a transaction the application manages; the failure "
                            + "reached the application");
            assertThat(checkout.indexOf("**Victim statement**")).isLessThan(checkout.indexOf("**Blocker statement**"));
        }

        @Test
        void aDeadlockAbsorbedByRetrySaysUsersSawNone() {
            String rootCause = section(doc, "Root Cause and Resolution");
            String refund = rootCause.substring(rootCause.indexOf("### Incident 3"));

            assertThat(refund).contains("- **Retry:** 640 deadlocks were absorbed by safe retry; users saw none (the "
                    + "latest recorded retry succeeded after 2 attempts)");
        }

        @Test
        void theSpikeSaysWhatItsFailuresWereAndWhichIncidentsDroveIt() {
            String rootCause = section(doc, "Root Cause and Resolution");
            String spike = rootCause.substring(0, rootCause.indexOf("### Incident 2"));

            assertThat(spike)
                    .contains("A spike is a symptom")
                    .contains("- **Most failing statements:** `" + CHECKOUT_SQL + "`, a statement of incident 2 "
                            + "(`DEADLOCK`), incident 3 (`DEADLOCK`); `" + REFUND_SQL + "`, a statement of")
                    .contains("- **Driven by:** incident 2 (`DEADLOCK`), incident 3 (`DEADLOCK`)")
                    .contains("- **Resolution:** resolved at 2025-03-01T11:30:00Z: failure rate back to 1% for 30 s "
                            + "(peak 31%)")
                    .doesNotContain("**Error:**")
                    .doesNotContain("**Retry:**");
        }

        @Test
        void measuresComeFromTheCategoryAndTheDeduplicatedHints() {
            String measures = section(doc, "Corrective and Preventative Measures");

            assertThat(measures)
                    .contains("- Take locks in one order in every code path that touches the same rows, for example "
                            + "update rows by ascending primary key.")
                    .contains("- Keep transactions short")
                    .contains("TransactionRunner")
                    .contains("- Add a test that runs the code that runs `" + REFUND_SQL + "` and the code that runs `"
                            + CHECKOUT_SQL + "` concurrently on the same rows")
                    .contains("Hints recorded with the incidents:")
                    .contains("- Look at what the failures are before tuning anything");
            assertThat(measures.split(Pattern.quote(LOCK_ORDER_HINT), -1)).hasSize(2);
            assertThat(measures.split("Add a test that runs", -1)).hasSize(2);
            assertThat(measures.indexOf("Take locks in one order")).isLessThan(measures.indexOf("Alert on failure"));
        }

        @Test
        void misleadingPathsSayTheseWereNotSlowQueriesAndTheSpikeWasASymptom() {
            List<String> paths = bullets(section(doc, "Misleading Paths"));

            assertThat(paths).containsExactly(
                    "- These were lock waits and a lock cycle, not slow queries: tuning query plans would not have "
                            + "helped.",
                    "- The error spike (incident 1) was a symptom: 97% of the failures were `DEADLOCK`.");
        }

        @Test
        void escalationListsTheNotesInOrderWithTheirTimes() {
            assertThat(bullets(section(doc, "Escalation"))).containsExactly(
                    "- 2025-03-01T09:05:00Z (`ERROR_SPIKE`, incident 1): acknowledged by on-call",
                    "- 2025-03-01T10:15:00Z (`ERROR_SPIKE`, incident 1): escalated to the database team");
        }

        @Test
        void theSameRecordsGiveTheSameTextWhateverTheirOrder() {
            List<Incident> shuffled = new ArrayList<>(foundingStory());
            Collections.reverse(shuffled);

            assertThat(Postmortem.render(shuffled)).isEqualTo(doc);
            assertThat(Postmortem.render(foundingStory())).isEqualTo(doc);
        }

        @Test
        void anOlderSnapshotOfTheSameIncidentCountsOnceAndTheLatestWins() {
            Incident opened = spike().toBuilder().resolvedAt(null).timeline(spike().timeline().subList(0, 2)).build();
            List<Incident> withSnapshot = new ArrayList<>(foundingStory());
            withSnapshot.add(0, opened);

            assertThat(Postmortem.render(withSnapshot)).isEqualTo(doc);
        }
    }

    @Test
    void aSingleIncidentNeedsNoIncidentNumbers() {
        String doc = Postmortem.render(checkoutDeadlock());

        assertThat(outline(doc)).containsExactly("# Postmortem: Deadlock on UPDATE inventory", "## Issue Summary",
                "## Timeline", "## Root Cause and Resolution", "## Corrective and Preventative Measures",
                "## Misleading Paths", "## Escalation");
        assertThat(doc)
                .contains("Written from the incident record `0195a1b2-0000-7000-8000-000000000002`.")
                .contains("- **Duration:** 2 h 25 min\n")
                .contains("### `DEADLOCK`: Deadlock on UPDATE inventory\n")
                .contains("- 2025-03-01T09:00:00Z — `DEADLOCK`, first failure: ")
                .doesNotContain("incident 1")
                .contains("- **Share affected:** not measured (no impact was recorded)")
                .contains("- **Severity:** ERROR\n");
        assertThat(bullets(section(doc, "Misleading Paths"))).containsExactly("- These were lock waits in a lock "
                + "cycle (deadlocks), not slow queries: tuning query plans would not have helped.");
        assertThat(section(doc, "Escalation")).contains("No escalation notes were recorded.");
        assertThat(Postmortem.render(List.of(checkoutDeadlock()))).isEqualTo(doc);
    }

    @Test
    void anUnresolvedIncidentIsOngoingAndLastsAtLeastUntilItsLastSignal() {
        Incident open = Incident.builder(IncidentKind.LOCK_TIMEOUT, "Lock wait timeout on UPDATE account")
                .firstSeen(T0)
                .lastSeen(T0.plusSeconds(45))
                .error(new ErrorInfo("LOCK_TIMEOUT", "40001", 1205, "java.sql.SQLTransientException",
                        "Lock wait timeout exceeded; try restarting transaction", Boolean.FALSE))
                .statement(new StatementInfo(StatementInfo.Role.FAILED, "stmt:upd-account", REFUND_SQL, "worker-1",
                        null, null, null, List.of()))
                .timeline(new TimelineEntry(T0, TimelineEntry.FIRST_FAILURE, "LOCK_TIMEOUT"))
                .timeline(new TimelineEntry(T0.plusSeconds(20), TimelineEntry.NOTE, "acknowledged by on-call"))
                .build();

        String doc = Postmortem.render(open);

        assertThat(section(doc, "Issue Summary"))
                .contains("- **End:** ongoing, unresolved at the time of writing\n")
                .contains("- **Duration:** at least 45 s, until the last recorded signal at 2025-03-01T09:00:45Z");
        assertThat(section(doc, "Root Cause and Resolution"))
                .contains("it was blocked, not slow")
                .contains("- **Error:** category `LOCK_TIMEOUT`, SQLState `40001`, vendor code `1205`")
                .contains("- **Rolled back:** only the failing statement, not the whole transaction")
                .contains("**Failed statement**, thread `worker-1`:\n")
                .contains("Earlier statements of its transaction: none recorded.")
                .contains("- **Resolution:** not resolved at the time of writing; last seen 2025-03-01T09:00:45Z")
                .contains("- **Retry:** not recorded");
        assertThat(bullets(section(doc, "Misleading Paths"))).containsExactly("- These were lock waits, not slow "
                + "queries: tuning query plans would not have helped.");
        assertThat(section(doc, "Corrective and Preventative Measures"))
                .contains("- Find the transaction that holds the lock");
        assertThat(bullets(section(doc, "Escalation"))).containsExactly("- 2025-03-01T09:00:20Z: acknowledged by on-call");
    }

    @Test
    void anOpenIncidentAmongResolvedOnesIsNamedAsStillOpen() {
        Incident open = refundDeadlock().toBuilder().resolvedAt(null).build();

        String doc = Postmortem.render(List.of(spike(), checkoutDeadlock(), open));

        assertThat(doc).contains("- **End:** ongoing, unresolved at the time of writing (incident 3 (`DEADLOCK`) still "
                + "open)\n")
                .contains("- **Duration:** at least 2 h 30 min, until the last recorded signal at 2025-03-01T11:30:00Z");
    }

    @Test
    void missingOptionalFieldsDoNotCrashAndSayNotRecorded() {
        Incident bare = Incident.builder(IncidentKind.DEADLOCK, "Deadlock somewhere")
                .firstSeen(T0)
                .lastSeen(T0.plusMillis(120))
                .resolvedAt(T0.plusMillis(120))
                .build();

        String doc = Postmortem.render(bare);

        assertThat(outline(doc)).hasSize(7);
        assertThat(section(doc, "Issue Summary"))
                .contains("- **Duration:** 120 ms\n")
                .contains("- **Share affected:** not measured (no impact was recorded)")
                .contains("- **Database:** not recorded")
                .contains("- **Service:** unknown-service")
                .doesNotContain("**Summary:**")
                .doesNotContain("**Peak:**");
        assertThat(section(doc, "Timeline")).contains("No timeline entries were recorded.");
        assertThat(section(doc, "Root Cause and Resolution"))
                .contains("- **Error:** not recorded")
                .contains("- **Rolled back:** not recorded")
                .contains("- **Statements:** not recorded")
                .contains("- **Resolution:** resolved at 2025-03-01T09:00:00.120Z\n")
                .contains("- **Retry:** not recorded");
        assertThat(section(doc, "Corrective and Preventative Measures"))
                .contains("- Add a test that runs the code paths of the lock cycle concurrently from two threads and asserts")
                .doesNotContain("Hints recorded");
        assertThat(section(doc, "Escalation")).contains("No escalation notes were recorded.");
    }

    @Test
    void aVictimWithoutSqlOrBlockerSaysWhatIsMissing() {
        Incident partial = Incident.builder(IncidentKind.DEADLOCK, "Deadlock on a lost statement")
                .firstSeen(T0)
                .error(new ErrorInfo(null, null, null, null, null, null))
                .statement(new StatementInfo(StatementInfo.Role.VICTIM, null, null, null, null, null, null, null))
                .build();

        String doc = Postmortem.render(partial);

        assertThat(section(doc, "Root Cause and Resolution"))
                .contains("- **Error:** not recorded")
                .contains("**Victim statement**, thread not recorded:\n\nSQL: not recorded.\n")
                .contains("**Blocker statement:** not recorded; the other transaction of the cycle was not identified.")
                .contains("- **Resolution:** not resolved at the time of writing");
    }

    @Test
    void aCustomIncidentWithoutCategoryHasNoInventedCauseOrMeasures() {
        Incident custom = Incident.builder(IncidentKind.CUSTOM, "Payment provider timing out")
                .firstSeen(T0)
                .lastSeen(T0.plusSeconds(3_700))
                .resolvedAt(T0.plusSeconds(3_700))
                .summary("The provider answered after 30 s")
                .attribute("provider", "acme-pay")
                .trace(new TraceInfo("4bf92f3577b34da6a3ce929d0e0e4736", null))
                .build();

        String doc = Postmortem.render(custom);

        assertThat(doc).contains("- **Duration:** 1 h 1 min\n")
                .contains("- **Recorded summary:** The provider answered after 30 s")
                .contains("- **Attributes:** `provider` = acme-pay")
                .contains("- **Trace:** trace `4bf92f3577b34da6a3ce929d0e0e4736`, span not recorded");
        assertThat(section(doc, "Corrective and Preventative Measures").strip()).isEqualTo("None recorded.");
        assertThat(section(doc, "Misleading Paths").strip()).isEqualTo("None recorded.");
    }

    @Test
    void aRetryThatRanOutOnDeadlocksGetsTheDeadlockMeasuresAndMisleadingPath() {
        Incident exhausted = Incident.builder(IncidentKind.RETRY_EXHAUSTED, "Transfer failed after 5 attempts")
                .firstSeen(T0)
                .occurrences(1)
                .error(new ErrorInfo("deadlock", "40P01", null, null, null, Boolean.TRUE))
                .retry(new RetryInfo(5, RetryInfo.Outcome.EXHAUSTED, null))
                .build();

        String doc = Postmortem.render(exhausted);

        assertThat(doc).contains("- **Retry:** retrying did not help: the latest recorded unit of work still failed "
                + "after 5 attempts, so the failure reached the application")
                .contains("- Fix the conflict that made every attempt fail")
                .contains("- Take locks in one order")
                .contains("not slow queries");
    }

    @Test
    void aSingleAbsorbedFailureIsSingular() {
        Incident once = Incident.builder(IncidentKind.SERIALIZATION_FAILURE, "Could not serialize access")
                .firstSeen(T0)
                .retry(new RetryInfo(2, RetryInfo.Outcome.SUCCEEDED, null))
                .build();
        Incident notRetried = once.toBuilder().retry(new RetryInfo(1, RetryInfo.Outcome.NOT_RETRIED, null)).build();

        assertThat(Postmortem.render(once)).contains("- **Retry:** 1 serialization failure was absorbed by safe retry; "
                + "users saw none (the latest recorded retry succeeded after 2 attempts)");
        assertThat(Postmortem.render(notRetried)).contains("- **Retry:** not retried: no reason recorded;");
    }

    @Test
    void everyKindHasAMeaningAndDocumentsRenderForAllOfThem() {
        for (IncidentKind kind : IncidentKind.values()) {
            Incident incident = Incident.builder(kind, "A " + kind.name().toLowerCase() + " incident")
                    .firstSeen(T0)
                    .timeline(new TimelineEntry(T0, "custom-step", "done by hand"))
                    .timeline(new TimelineEntry(T0.plusSeconds(1), TimelineEntry.SEVERITY_CHANGED, "ERROR -> CRITICAL"))
                    .timeline(new TimelineEntry(T0.plusSeconds(2), TimelineEntry.RETRY_ABSORBED, null))
                    .build();

            String doc = Postmortem.render(incident);

            assertThat(outline(doc)).as(kind.name()).hasSize(7);
            String rootCause = section(doc, "Root Cause and Resolution");
            assertThat(rootCause.lines().skip(3).findFirst().orElseThrow()).as(kind.name()).endsWith(".");
            assertThat(section(doc, "Timeline")).as(kind.name())
                    .contains(", custom-step: done by hand")
                    .contains(", severity changed: ERROR -&gt; CRITICAL")
                    .contains(", retries absorbed\n");
        }
    }

    @Test
    void aSpikeMixedFromSeveralCategoriesIsNotCalledASymptomOfOne() {
        Map<String, Long> mixed = new LinkedHashMap<>();
        mixed.put("QUERY_TIMEOUT", 50L);
        mixed.put("CONNECTION_FAILURE", 50L);
        Incident spike = Incident.builder(IncidentKind.ERROR_SPIKE, "Error spike on reports")
                .firstSeen(T0)
                .impact(new Impact(null, 400, 100, 0.25, mixed, List.of()))
                .build();

        String doc = Postmortem.render(spike);

        assertThat(section(doc, "Misleading Paths").strip()).isEqualTo("None recorded.");
        assertThat(doc).contains("- **Share affected in the worst window:** 25% failed (100 of 400 in the worst "
                + "recorded window)")
                .contains("`QUERY_TIMEOUT` 50% (50), `CONNECTION_FAILURE` 50% (50)");
    }

    @Test
    void withoutASpikeTheMostSevereThenEarliestIncidentIsMain() {
        Incident earlyError = Incident.builder(IncidentKind.QUERY_TIMEOUT, "Early timeout").firstSeen(T0).build();
        Incident lateCritical = Incident.builder(IncidentKind.COMMIT_OUTCOME_UNKNOWN, "Commit outcome unknown")
                .firstSeen(T0.plusSeconds(10)).build();
        Incident laterCritical = Incident.builder(IncidentKind.CONNECTION_FAILURE, "Connection lost")
                .severity(Severity.CRITICAL).firstSeen(T0.plusSeconds(20)).build();

        String doc = Postmortem.render(List.of(earlyError, laterCritical, lateCritical));

        assertThat(doc).startsWith("# Postmortem: Commit outcome unknown\n");
        assertThat(section(doc, "Root Cause and Resolution").lines().filter(l -> l.startsWith("### ")).toList())
                .containsExactly("### Incident 1, `COMMIT_OUTCOME_UNKNOWN`: Commit outcome unknown",
                        "### Incident 2, `QUERY_TIMEOUT`: Early timeout",
                        "### Incident 3, `CONNECTION_FAILURE`: Connection lost");
    }

    @Test
    void rejectsNullAndEmptyInput() {
        assertThatNullPointerException().isThrownBy(() -> Postmortem.render((Incident) null));
        assertThatNullPointerException().isThrownBy(() -> Postmortem.render((List<Incident>) null));
        assertThatNullPointerException().isThrownBy(() -> Postmortem.render(Arrays.asList(spike(), null)))
                .withMessageContaining("incidents[1]");
        assertThatIllegalArgumentException().isThrownBy(() -> Postmortem.render(List.of()));
    }

    @Nested
    class Escaping {

        private static final Pattern FENCE = Pattern.compile("^(`{3,})sql$");

        private Incident titled(String title) {
            return Incident.builder(IncidentKind.CUSTOM, title).firstSeen(T0).build();
        }

        @Test
        void aTitleLikeAHeadingStaysInTheTitle() {
            String doc = Postmortem.render(titled("# Drop"));

            assertThat(doc).startsWith("# Postmortem: \\# Drop\n");
            assertThat(outline(doc)).hasSize(7);
        }

        @Test
        void aLinkInATitleIsNotALink() {
            String doc = Postmortem.render(titled("[x](javascript:alert(1))"));

            assertThat(doc).startsWith("# Postmortem: \\[x\\](javascript:alert(1))\n").doesNotContain("[x]");
        }

        @Test
        void htmlInATitleBecomesEntities() {
            String doc = Postmortem.render(titled("<script>alert(1)</script> & <img src=x onerror=y>"));

            assertThat(doc).startsWith("# Postmortem: &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=x "
                    + "onerror=y&gt;\n").doesNotContain("<");
        }

        @Test
        void noteLikeAListItemOrQuoteStaysInItsBullet() {
            Incident incident = titled("t").toBuilder()
                    .timeline(new TimelineEntry(T0, TimelineEntry.NOTE, "- [ ] fake task"))
                    .timeline(new TimelineEntry(T0.plusSeconds(1), TimelineEntry.NOTE, "> quoted | a | b |"))
                    .timeline(new TimelineEntry(T0.plusSeconds(2), TimelineEntry.NOTE, "1. first"))
                    .build();

            assertThat(bullets(section(Postmortem.render(incident), "Escalation"))).containsExactly(
                    "- 2025-03-01T09:00:00Z: \\- \\[ \\] fake task",
                    "- 2025-03-01T09:00:01Z: &gt; quoted \\| a \\| b \\|",
                    "- 2025-03-01T09:00:02Z: 1\\. first");
        }

        @Test
        void backtickLadenSqlGetsAFenceLongerThanAnyRunInside() {
            String sql = "SELECT ```` FROM `t` WHERE a = ? -- ``` ```";
            Incident incident = Incident.builder(IncidentKind.QUERY_TIMEOUT, "Timeout")
                    .firstSeen(T0)
                    .statement(new StatementInfo(StatementInfo.Role.FAILED, "fp`1", sql, "t", null, null, null,
                            List.of("``a``")))
                    .build();

            String doc = Postmortem.render(incident);

            List<String> lines = doc.lines().toList();
            int open = -1;
            for (int i = 0; i < lines.size(); i++) {
                if (FENCE.matcher(lines.get(i)).matches()) {
                    open = i;
                }
            }
            assertThat(open).isNotNegative();
            Matcher fence = FENCE.matcher(lines.get(open));
            assertThat(fence.matches()).isTrue();
            assertThat(fence.group(1)).hasSize(5);
            assertThat(lines.get(open + 1)).isEqualTo(sql);
            assertThat(lines.get(open + 2)).isEqualTo("`````");
            assertThat(doc).contains("**Failed statement**, thread `t`:")
                    .contains("in order: 1 statement whose SQL the record does not carry, then this statement.")
                    .contains("### `QUERY_TIMEOUT`: Timeout");
        }
    }
}
