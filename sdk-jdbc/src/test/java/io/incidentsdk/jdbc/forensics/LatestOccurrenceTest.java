package io.incidentsdk.jdbc.forensics;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentsdk.Incident;
import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.StatementInfo;
import io.incidentsdk.jdbc.JdbcIncidents;
import io.incidentsdk.jdbc.JdbcWatchOptions;
import io.incidentsdk.jdbc.testing.RealDatabases;
import io.incidentsdk.jdbc.testing.TestDatabases;
import io.incidentsdk.sink.InMemorySink;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One lock cycle deadlocking again and again, the database picking either side as the victim: one incident,
 * and its later events carry the latest occurrence (the other side's statement when it lost) and the counts per
 * variant, not the first occurrence's statements over and over (issue 11).
 */
@ExtendWith(RealDatabases.class)
class LatestOccurrenceTest {

    private static final String DEBIT = "UPDATE acct SET balance = balance - ? WHERE id = ?";
    private static final String CREDIT = "UPDATE acct SET balance = balance + ? WHERE id = ?";

    @Test
    void laterEventsOfOneCycleShowTheLatestVictimAndTheCountsPerVariant(TestDatabases dbs) throws Exception {
        DataSource raw = dbs.freshH2();
        try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE acct (id INT PRIMARY KEY, balance INT)");
            s.execute("INSERT INTO acct VALUES (1, 100), (2, 100)");
        }
        InMemorySink memory = new InMemorySink(10_000);
        try (IncidentSdk sdk = IncidentSdk.builder().service("latest", "1").sink(memory)
                .updateInterval(Duration.ofMillis(20)).build()) {
            DataSource watched = JdbcIncidents.watch(raw, sdk, JdbcWatchOptions.builder().dataSourceName("ledger")
                    .build());
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (System.nanoTime() < deadline && !(bothSidesShown(memory) && blockerCodeShown(memory))) {
                    race(watched, threads);
                }
            } finally {
                threads.shutdownNow();
            }
        }
        List<Incident> deadlocks = memory.events().stream().map(IncidentEvent::incident)
                .filter(i -> i.kind() == IncidentKind.DEADLOCK).toList();
        assertThat(deadlocks.stream().map(Incident::fingerprint).distinct()).as("one incident for the cycle")
                .hasSize(1);
        assertThat(deadlocks.stream().map(i -> victim(i).sql()).distinct())
                .as("the events show the victim of the latest occurrence looked at: both sides over time")
                .hasSize(2);
        String ours = LatestOccurrenceTest.class.getName() + ".update(LatestOccurrenceTest.java:";
        assertThat(deadlocks.get(0).statements()).as("the victim's code, from its own stack")
                .anyMatch(s -> s.role() == StatementInfo.Role.VICTIM && s.callSite() != null
                        && s.callSite().startsWith(ours));
        assertThat(blockerCodeShown(memory)).as("a later event names the other side's code too (sampled on a "
                + "later run of its statement, or learned when it was the victim)").isTrue();
        Incident last = deadlocks.get(deadlocks.size() - 1);
        assertThat(last.attributes().get("deadlock.variants")).as("counts per variant")
                .contains("victim " + DEBIT + " (").contains("victim " + CREDIT + " (");
        assertThat(last.occurrences()).isGreaterThan(1);
    }

    private static boolean bothSidesShown(InMemorySink memory) {
        return memory.events().stream().map(IncidentEvent::incident)
                .filter(i -> i.kind() == IncidentKind.DEADLOCK && !i.statements().isEmpty())
                .map(i -> victim(i).sql()).distinct().count() == 2;
    }

    private static boolean blockerCodeShown(InMemorySink memory) {
        return memory.events().stream().map(IncidentEvent::incident)
                .filter(i -> i.kind() == IncidentKind.DEADLOCK).flatMap(i -> i.statements().stream())
                .anyMatch(s -> s.role() == StatementInfo.Role.BLOCKER && s.callSite() != null
                        && s.callSite().startsWith(LatestOccurrenceTest.class.getName() + ".update("));
    }

    private static StatementInfo victim(Incident incident) {
        return incident.statements().stream().filter(s -> s.role() == StatementInfo.Role.VICTIM).findFirst()
                .orElseThrow();
    }

    /** One race: a payment from 1 to 2 against a refund from 1 to 2 written the other way round. */
    private static void race(DataSource ds, ExecutorService threads) throws Exception {
        CyclicBarrier firstLocks = new CyclicBarrier(2);
        // two code paths: a payment debits then credits; a refund credits then debits (opposite lock order)
        Future<?> a = threads.submit(() -> transfer(ds, DEBIT, 1, CREDIT, 2, firstLocks));
        Future<?> b = threads.submit(() -> transfer(ds, CREDIT, 2, DEBIT, 1, firstLocks));
        a.get(30, TimeUnit.SECONDS);
        b.get(30, TimeUnit.SECONDS);
    }

    /** An ordinary transaction of two updates, then commit; a deadlock is rolled back. */
    private static Void transfer(DataSource ds, String first, int firstId, String second, int secondId,
                                 CyclicBarrier firstLocks) throws Exception {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                update(c, first, firstId);
                try {
                    firstLocks.await(10, TimeUnit.SECONDS);
                } catch (BrokenBarrierException | TimeoutException e) {
                    // the other side failed early: no deadlock this time
                }
                update(c, second, secondId);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
            }
        }
        return null;
    }

    private static void update(Connection c, String sql, int id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, 1);
            ps.setInt(2, id);
            ps.executeUpdate();
        }
    }
}
