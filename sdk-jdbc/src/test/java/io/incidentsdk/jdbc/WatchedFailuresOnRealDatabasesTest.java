package io.incidentsdk.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.incidentsdk.Incident;
import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentJson;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.StatementInfo;
import io.incidentsdk.sink.InMemorySink;
import io.incidentsdk.jdbc.testing.Database;
import io.incidentsdk.jdbc.testing.FailureOutcome;
import io.incidentsdk.jdbc.testing.RealDatabases;
import io.incidentsdk.jdbc.testing.RealFailures;
import io.incidentsdk.jdbc.testing.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Real failures on real databases, through watched data sources, become complete incidents. */
@ExtendWith(RealDatabases.class)
class WatchedFailuresOnRealDatabasesTest {

    private final InMemorySink memory = new InMemorySink(10_000);
    private final IncidentSdk sdk = IncidentSdk.builder().service("transfers", "1.0.0").sink(memory)
            .updateInterval(Duration.ofMillis(10)).housekeepingInterval(Duration.ofMillis(10)).build();

    @AfterEach
    void closeSdk() {
        sdk.close();
    }

    private DataSource watched(DataSource raw, String name) {
        return JdbcIncidents.watch(raw, sdk, JdbcWatchOptions.builder().dataSourceName(name).build());
    }

    private Incident awaitIncident(IncidentKind kind) {
        await().atMost(Duration.ofSeconds(15)).until(() -> memory.events().stream()
                .anyMatch(e -> e.incident().kind() == kind));
        return memory.events().stream().filter(e -> e.incident().kind() == kind).findFirst().orElseThrow().incident();
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void aDeadlockNamesTheVictimAndTheBlockerWithTheirTransactions(Database database, TestDatabases dbs)
            throws Exception {
        DataSource raw = database == Database.H2 ? dbs.freshH2() : dbs.dataSource(database);
        DataSource ds = watched(raw, "accounts-" + database.name().toLowerCase());
        String table = TestDatabases.uniqueName("account");
        try (Connection c = raw.getConnection()) {
            execute(c, "CREATE TABLE " + table + " (id INT PRIMARY KEY, balance INT)");
            execute(c, "INSERT INTO " + table + " VALUES (1, 1000), (2, 1000)");
        }
        CyclicBarrier bothHoldTheirFirstLock = new CyclicBarrier(2);
        CountDownLatch incidentSeen = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2, r -> new Thread(r, "transfer-" + r.hashCode()));
        try {
            Future<SQLException> a = threads.submit(() -> transfer(ds, table, 1, 2, bothHoldTheirFirstLock, incidentSeen));
            Future<SQLException> b = threads.submit(() -> transfer(ds, table, 2, 1, bothHoldTheirFirstLock, incidentSeen));
            Incident deadlock = awaitIncident(IncidentKind.DEADLOCK);
            incidentSeen.countDown();
            SQLException first = a.get(20, TimeUnit.SECONDS);
            SQLException second = b.get(20, TimeUnit.SECONDS);
            assertThat(first == null ^ second == null).as("exactly one side failed").isTrue();

            assertThat(deadlock.title()).isEqualTo("Deadlock on UPDATE " + table);
            assertThat(deadlock.database().system()).isEqualTo(database.name().toLowerCase());
            assertThat(deadlock.database().product()).isNotBlank();
            assertThat(deadlock.database().version()).isNotBlank();
            assertThat(deadlock.database().dataSource()).isEqualTo("accounts-" + database.name().toLowerCase());
            assertThat(deadlock.database().url()).startsWith("jdbc:").doesNotContain("password=app");
            assertThat(deadlock.error().category()).isEqualTo("DEADLOCK");
            assertThat(deadlock.error().sqlState()).isNotBlank();
            assertThat(deadlock.error().exceptionClass()).contains(".");
            assertThat(deadlock.error().transactionRolledBack()).isTrue();
            assertThat(deadlock.hints()).anyMatch(h -> h.contains("one order") && h.contains(table));

            List<StatementInfo> statements = deadlock.statements();
            assertThat(statements).extracting(StatementInfo::role)
                    .containsExactly(StatementInfo.Role.VICTIM, StatementInfo.Role.BLOCKER);
            for (StatementInfo s : statements) {
                assertThat(s.sql()).isEqualTo("UPDATE " + table + " SET balance = balance + ? WHERE id = ?");
                assertThat(s.fingerprint()).hasSize(16);
                assertThat(s.thread()).startsWith("transfer-");
                assertThat(s.transactionAgeMillis()).isNotNull().isNotNegative();
                assertThat(s.transactionStatements()).as("the earlier statement: the debit")
                        .hasSize(1).doesNotContain(s.fingerprint());
            }
            assertThat(statements.get(0).thread()).isNotEqualTo(statements.get(1).thread());
            assertThat(statements.get(0).transactionStatements()).isEqualTo(statements.get(1).transactionStatements());
            if (database != Database.H2) {
                assertThat(statements).extracting(StatementInfo::backendId).doesNotContainNull().doesNotHaveDuplicates();
            }
            // no literal of the statements or the data reaches the record
            String json = IncidentJson.toJson(memory.events().stream()
                    .filter(e -> e.incident().kind() == IncidentKind.DEADLOCK).findFirst().orElseThrow());
            assertThat(json).doesNotContain("balance + 100").doesNotContain("balance - 100").doesNotContain("1000").doesNotContain("WHERE id = 1");
        } finally {
            incidentSeen.countDown();
            threads.shutdownNow();
        }
    }

    /** Moves 100 from one account to the other, locking {@code from} first; returns the failure, if any. */
    private static SQLException transfer(DataSource ds, String table, int from, int to, CyclicBarrier barrier,
                                         CountDownLatch incidentSeen) throws Exception {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                execute(c, "UPDATE " + table + " SET balance = balance - 100 WHERE id = " + from);
                barrier.await(10, TimeUnit.SECONDS);
                execute(c, "UPDATE " + table + " SET balance = balance + 100 WHERE id = " + to);
                // the survivor keeps its transaction open until the test saw the incident
                incidentSeen.await(10, TimeUnit.SECONDS);
                c.commit();
                return null;
            } catch (SQLException e) {
                c.rollback();
                return e;
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void lockTimeoutsQueryTimeoutsSerializationFailuresAndKilledSessionsBecomeIncidents(Database database,
            TestDatabases dbs) throws Exception {
        DataSource raw = database == Database.H2 ? dbs.freshH2() : dbs.dataSource(database);
        RealFailures failures = RealFailures.on(watched(raw, "orders"), database);

        FailureOutcome lock = failures.lockTimeout();
        Incident lockTimeout = awaitIncident(IncidentKind.LOCK_TIMEOUT);
        assertThat(lockTimeout.error().sqlState()).isEqualTo(lock.exception().getSQLState());
        assertThat(lockTimeout.summary()).contains("lock wait, not a slow query");
        assertThat(lockTimeout.error().transactionRolledBack())
                .isEqualTo(database == Database.POSTGRESQL ? Boolean.TRUE : Boolean.FALSE);
        assertThat(lockTimeout.statements()).singleElement().satisfies(s -> {
            assertThat(s.role()).isEqualTo(StatementInfo.Role.FAILED);
            assertThat(s.sql()).matches("UPDATE \\S+ SET v = v \\+ \\? WHERE id = \\?");
        });

        failures.queryTimeout();
        assertThat(awaitIncident(IncidentKind.QUERY_TIMEOUT).error().category()).isEqualTo("QUERY_TIMEOUT");

        failures.serializationFailure();
        Incident serialization = awaitIncident(IncidentKind.SERIALIZATION_FAILURE);
        assertThat(serialization.error().transactionRolledBack()).isTrue();
        assertThat(serialization.statements()).singleElement()
                .satisfies(s -> assertThat(s.role()).isEqualTo(StatementInfo.Role.VICTIM));

        failures.killedSession();
        Incident lost = awaitIncident(IncidentKind.CONNECTION_FAILURE);
        assertThat(lost.error().category()).isEqualTo("CONNECTION_FAILURE");
        assertThat(lost.hints()).anyMatch(h -> h.contains("unknown outcome"));

        // every record is valid JSON that reads back
        for (IncidentEvent event : memory.events()) {
            assertThat(IncidentJson.fromJson(IncidentJson.toJson(event))).isEqualTo(event);
        }
    }

    @Test
    void withoutThePrivilegeAMariaDbDeadlockIncidentSaysWhyTheOtherTransactionIsMissing(TestDatabases dbs)
            throws Exception {
        DataSource ds = JdbcIncidents.watch(dbs.mariaDbWithoutProcess(), sdk,
                JdbcWatchOptions.builder().dataSourceName("noproc").build());
        RealFailures.on(ds, Database.MARIADB).deadlock();
        Incident deadlock = awaitIncident(IncidentKind.DEADLOCK);
        assertThat(deadlock.summary()).contains("PROCESS privilege");
        assertThat(deadlock.statements()).first().satisfies(s -> assertThat(s.role()).isEqualTo(StatementInfo.Role.VICTIM));
    }
}
