package io.incidentsdk.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.incidentsdk.Incident;
import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentJson;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.StatementInfo;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.incidentsdk.sink.InMemorySink;
import io.incidentsdk.jdbc.testing.Database;
import io.incidentsdk.jdbc.testing.FailureOutcome;
import io.incidentsdk.jdbc.testing.RealDatabases;
import io.incidentsdk.jdbc.testing.RealFailures;
import io.incidentsdk.jdbc.testing.TestDatabases;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
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
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Real failures on real databases, through watched data sources, become complete incidents. */
@ExtendWith(RealDatabases.class)
class WatchedFailuresOnRealDatabasesTest {

    private final InMemorySink memory = new InMemorySink(10_000);
    private final IncidentSdk sdk = IncidentSdk.builder().service("transfers", "1.0.0").sink(memory)
            .updateInterval(Duration.ofMillis(10)).housekeepingInterval(Duration.ofMillis(10)).build();

    private final List<HikariDataSource> pools = new ArrayList<>();

    /** Where the watch sits: on the raw data source, or under a HikariCP pool (with the pool watched too). */
    enum Placement { DIRECT, UNDER_POOL }

    @AfterEach
    void closeSdk() {
        pools.forEach(HikariDataSource::close);
        sdk.close();
    }

    private DataSource watched(DataSource raw, String name) {
        return JdbcIncidents.watch(raw, sdk, JdbcWatchOptions.builder().dataSourceName(name).build());
    }

    private DataSource watched(DataSource raw, String name, Placement placement) {
        DataSource watched = watched(raw, name);
        if (placement == Placement.DIRECT) {
            return watched;
        }
        HikariConfig config = new HikariConfig();
        config.setDataSource(watched);
        config.setMaximumPoolSize(4);
        config.setPoolName(name);
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        return JdbcIncidents.watchPool(pool, watched);
    }

    static List<Arguments> databasesAndPlacements() {
        List<Arguments> all = new ArrayList<>();
        for (Database database : Database.values()) {
            for (Placement placement : Placement.values()) {
                all.add(Arguments.of(database, placement));
            }
        }
        return all;
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
    @MethodSource("databasesAndPlacements")
    void aDeadlockNamesTheVictimAndTheBlockerWithTheirTransactions(Database database, Placement placement,
            TestDatabases dbs) throws Exception {
        DataSource raw = database == Database.H2 ? dbs.freshH2() : dbs.dataSource(database);
        DataSource ds = watched(raw, "accounts-" + database.name().toLowerCase(), placement);
        String table = TestDatabases.uniqueName("account");
        try (Connection c = raw.getConnection()) {
            execute(c, "CREATE TABLE " + table + " (id INT PRIMARY KEY, balance INT)");
            execute(c, "INSERT INTO " + table + " VALUES (1, 1000), (2, 1000)");
        }
        CyclicBarrier bothHoldTheirFirstLock = new CyclicBarrier(2);
        CountDownLatch incidentSeen = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2, r -> new Thread(r, "transfer-" + threadLetter()));
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
                assertThat(s.transactionSql()).as("the debit's SQL, sanitized, for a reader of the record")
                        .containsExactly("UPDATE " + table + " SET balance = balance - ? WHERE id = ?");
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

    /** The race's database, watched, with the victim's deadlock error held back until the survivor moved on. */
    private DataSource watchedHoldingBack(H2Race race, String name) {
        return watched(holdingBackDeadlocksUntil(race.h2, race.survivorMovedOn), name);
    }

    /** Runs a first round of the race and returns the deadlock incident it opened. */
    private Incident firstRound(H2Race race, DataSource ds, boolean survivorCommitsAndCloses) throws Exception {
        race.round(ds, survivorCommitsAndCloses);
        Incident deadlock = awaitIncident(IncidentKind.DEADLOCK);
        race.finish();
        return deadlock;
    }

    /**
     * H2 rolls the victim back before it raises the error, so the other transaction is free at once and may
     * run its next statement before the SDK sees the failure (a race that CI once lost). Here the victim's
     * error is held back under the watched layer until the survivor has run its next statement: the
     * incident must still name the survivor's statement of the cycle, not the one it ran afterwards.
     */
    @Test
    void onH2TheBlockerIsNamedByItsStatementOfTheCycleEvenWhenItHasMovedOnBeforeTheFailureIsSeen(TestDatabases dbs)
            throws Exception {
        H2Race race = new H2Race(dbs.freshH2());
        DataSource ds = watchedHoldingBack(race, "accounts-h2-race");
        Incident deadlock = firstRound(race, ds, false);

        assertThat(deadlock.statements()).extracting(StatementInfo::role)
                .containsExactly(StatementInfo.Role.VICTIM, StatementInfo.Role.BLOCKER);
        StatementInfo blocker = deadlock.statements().get(1);
        assertThat(blocker.sql()).isEqualTo("UPDATE " + race.table + " SET balance = balance + ? WHERE id = ?");
        assertThat(blocker.transactionStatements()).as("the debit before it, not the INSERT after it")
                .containsExactly(deadlock.statements().get(0).transactionStatements().get(0));
    }

    /**
     * When the survivor has even committed and closed its connection before the victim's failure is seen, its
     * history still names its statement of the cycle (the registry keeps recently closed connections), and a
     * later occurrence where nothing is held back is the same incident: the identity does not depend on naming.
     */
    @Test
    void aBlockerThatCommittedAndClosedBeforeTheFailureIsSeenIsStillNamedAndTheNextOccurrenceIsTheSameIncident(
            TestDatabases dbs) throws Exception {
        H2Race race = new H2Race(dbs.freshH2());
        DataSource ds = watchedHoldingBack(race, "accounts-h2-gone");
        Incident named = firstRound(race, ds, true);
        assertThat(named.statements()).extracting(StatementInfo::role)
                .containsExactly(StatementInfo.Role.VICTIM, StatementInfo.Role.BLOCKER);
        assertThat(named.statements().get(1).sql())
                .isEqualTo("UPDATE " + race.table + " SET balance = balance + ? WHERE id = ?");
        assertThat(named.attributes()).as("H2's details name the rows; the history has them")
                .containsEntry("deadlock.naming", "by the rows the database named");

        H2Race again = race.next();
        again.round(ds, false);
        again.finish();
        assertThat(deadlocks().map(Incident::fingerprint).distinct()).containsExactly(named.fingerprint());
        assertThat(sdk.isOpen(named.fingerprint())).isTrue();
    }

    private java.util.stream.Stream<Incident> deadlocks() {
        return memory.events().stream().map(IncidentEvent::incident).filter(i -> i.kind() == IncidentKind.DEADLOCK);
    }

    /**
     * Two transfers in opposite order on H2, each debiting, then crediting, then writing a ledger row; the
     * survivor signals {@link #survivorMovedOn} after its ledger row (and, when asked, after committing and
     * closing its connection), then waits for {@link #finish()}.
     */
    private static final class H2Race {
        final DataSource h2;
        final String table;
        final String ledger;
        final CountDownLatch survivorMovedOn;
        private final CountDownLatch finished = new CountDownLatch(1);
        private final ExecutorService threads = Executors.newFixedThreadPool(2,
                r -> new Thread(r, "transfer-" + threadLetter()));
        private List<Future<SQLException>> sides = List.of();

        H2Race(DataSource h2) throws SQLException {
            this(h2, TestDatabases.uniqueName("account"), TestDatabases.uniqueName("ledger"), new CountDownLatch(1));
            try (Connection c = h2.getConnection()) {
                execute(c, "CREATE TABLE " + table + " (id INT PRIMARY KEY, balance INT)");
                execute(c, "INSERT INTO " + table + " VALUES (1, 1000), (2, 1000)");
                execute(c, "CREATE TABLE " + ledger + " (from_id INT, to_id INT)");
            }
        }

        private H2Race(DataSource h2, String table, String ledger, CountDownLatch survivorMovedOn) {
            this.h2 = h2;
            this.table = table;
            this.ledger = ledger;
            this.survivorMovedOn = survivorMovedOn;
        }

        /** Another race on the same tables (the latch stays open: errors are no longer held back). */
        H2Race next() {
            return new H2Race(h2, table, ledger, survivorMovedOn);
        }

        void round(DataSource ds, boolean survivorCommitsAndCloses) {
            CyclicBarrier bothHoldTheirFirstLock = new CyclicBarrier(2);
            sides = List.of(1, 2).stream().map(from -> threads.submit(() -> {
                int to = 3 - from;
                Connection c = ds.getConnection();
                try {
                    c.setAutoCommit(false);
                    execute(c, "UPDATE " + table + " SET balance = balance - 100 WHERE id = " + from);
                    bothHoldTheirFirstLock.await(10, TimeUnit.SECONDS);
                    execute(c, "UPDATE " + table + " SET balance = balance + 100 WHERE id = " + to);
                    execute(c, "INSERT INTO " + ledger + " VALUES (" + from + ", " + to + ")");
                    if (survivorCommitsAndCloses) {
                        c.commit();
                        c.close();
                    }
                    survivorMovedOn.countDown();
                    finished.await(10, TimeUnit.SECONDS);
                    if (!survivorCommitsAndCloses) {
                        c.commit();
                    }
                    return (SQLException) null;
                } catch (SQLException e) {
                    c.rollback();
                    return e;
                } finally {
                    c.close();
                }
            })).toList();
        }

        /** Lets the survivor finish; asserts that exactly one side failed and the survivor had moved on. */
        void finish() throws Exception {
            finished.countDown();
            try {
                long failed = 0;
                for (Future<SQLException> side : sides) {
                    failed += side.get(20, TimeUnit.SECONDS) == null ? 0 : 1;
                }
                assertThat(failed).as("exactly one side failed").isEqualTo(1);
                assertThat(survivorMovedOn.getCount()).as("the survivor moved on before the failure was seen").isZero();
            } finally {
                threads.shutdownNow();
            }
        }
    }

    /**
     * A layer under the watched one that holds back a deadlock error (SQLState 40001) until {@code release}
     * opens: the driver's error then reaches the SDK late, as it does when the victim's thread is slow.
     */
    private static DataSource holdingBackDeadlocksUntil(DataSource target, CountDownLatch release) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(target, method, args, release);
                    return result instanceof Connection c ? holdingBack(c, Connection.class, release) : result;
                });
    }

    private static Object holdingBack(Object target, Class<?> type, CountDownLatch release) {
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            Object result = invoke(target, method, args, release);
            return result instanceof Statement s && method.getName().equals("createStatement")
                    ? holdingBack(s, Statement.class, release) : result;
        });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args, CountDownLatch release)
            throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof SQLException sql && "40001".equals(sql.getSQLState())) {
                release.await(10, TimeUnit.SECONDS);
            }
            throw e.getCause();
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

    private static final java.util.concurrent.atomic.AtomicInteger THREADS = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * A thread name suffix without digits: the record's JSON is searched for the bound values (1000, 100), and a
     * hash code in a thread name can hold them (transfer-1000958311 did).
     */
    private static String threadLetter() {
        int n = THREADS.getAndIncrement();
        return String.valueOf((char) ('a' + n % 26)) + (char) ('a' + (n / 26) % 26);
    }
}
