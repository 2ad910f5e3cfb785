package io.incidentsdk.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The extension on real test classes (run here with the JUnit Platform launcher) against H2: a class whose
 * single-threaded transfers lock rows in a data-dependent order fails with the report, the fixed one passes,
 * and the warn mode reports without failing.
 */
class LockOrderExtensionTest {

    private static final AtomicInteger DATABASES = new AtomicInteger();

    static DataSource accounts() throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:lock_order_" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE account (id INT PRIMARY KEY, balance BIGINT NOT NULL)");
            s.execute("INSERT INTO account VALUES (1, 100), (2, 100), (3, 100)");
        }
        return h2;
    }

    /** The founding bug: debit first, whichever the ids. */
    static void transfer(DataSource ds, int from, int to, long amount) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            update(c, "UPDATE account SET balance = balance - ? WHERE id = ?", amount, from);
            update(c, "UPDATE account SET balance = balance + ? WHERE id = ?", amount, to);
            c.commit();
        }
    }

    /** The fix: the lower id first. */
    static void transferInOrder(DataSource ds, int from, int to, long amount) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            if (from < to) {
                update(c, "UPDATE account SET balance = balance - ? WHERE id = ?", amount, from);
                update(c, "UPDATE account SET balance = balance + ? WHERE id = ?", amount, to);
            } else {
                update(c, "UPDATE account SET balance = balance + ? WHERE id = ?", amount, to);
                update(c, "UPDATE account SET balance = balance - ? WHERE id = ?", amount, from);
            }
            c.commit();
        }
    }

    private static void update(Connection c, String sql, long amount, int id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, amount);
            s.setInt(2, id);
            s.executeUpdate();
        }
    }

    static class RacyTransfers {
        @RegisterExtension
        static final LockOrderExtension LOCK_ORDER = LockOrderExtension.failOnRisk();
        static DataSource ds;

        @BeforeAll
        static void database() throws SQLException {
            ds = LOCK_ORDER.watch(accounts());
        }

        @Test
        void transferOneWay() throws SQLException {
            transfer(ds, 1, 2, 10);
        }

        @Test
        void transferTheOtherWay() throws SQLException {
            transfer(ds, 3, 1, 10);
        }
    }

    static class FixedTransfers {
        @RegisterExtension
        static final LockOrderExtension LOCK_ORDER = LockOrderExtension.failOnRisk();
        static DataSource ds;

        @BeforeAll
        static void database() throws SQLException {
            ds = LOCK_ORDER.watch(accounts());
        }

        @Test
        void transferBothWays() throws SQLException {
            transferInOrder(ds, 1, 2, 10);
            transferInOrder(ds, 3, 1, 10);
            transferInOrder(ds, 2, 3, 10);
        }
    }

    @LockOrderCheck(LockOrderCheck.Mode.WARN)
    static class RacyTransfersWarnOnly {
        static final LockOrderExtension WATCH = new LockOrderExtension();
        static DataSource ds;

        @BeforeAll
        static void database() throws SQLException {
            ds = WATCH.watch(accounts());
        }

        @Test
        void transferBothWays() throws SQLException {
            transfer(ds, 1, 2, 10);
            transfer(ds, 2, 1, 10);
        }
    }

    private static TestExecutionSummary run(Class<?> testClass) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass))
                .build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request, listener);
        return listener.getSummary();
    }

    @Test
    void aClassWhoseTransfersLockRowsInADataDependentOrderFailsWithTheReport() {
        TestExecutionSummary summary = run(RacyTransfers.class);

        assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
        List<TestExecutionSummary.Failure> failures = summary.getFailures();
        assertThat(failures).singleElement().satisfies(f -> {
            assertThat(f.getException()).isInstanceOf(AssertionError.class);
            assertThat(f.getException().getMessage())
                    .startsWith("1 lock-order risk in ").contains("RacyTransfers: these transactions can deadlock")
                    .contains("Lock-order risk: rows of account locked in a data-dependent key order")
                    .contains("UPDATE account SET balance = balance - ? WHERE id = ?")
                    .contains("UPDATE account SET balance = balance + ? WHERE id = ?")
                    .contains("LockOrderExtensionTest.transfer(LockOrderExtensionTest.java:")
                    .contains("fix: lock the rows of account in ascending key order");
        });
    }

    @Test
    void theFixedClassPasses() {
        TestExecutionSummary summary = run(FixedTransfers.class);

        assertThat(summary.getFailures()).isEmpty();
        assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
    }

    @Test
    void warnOnlyReportsWithoutFailing() {
        TestExecutionSummary summary = run(RacyTransfersWarnOnly.class);

        assertThat(summary.getFailures()).isEmpty();
        assertThat(RacyTransfersWarnOnly.WATCH.risks()).isEmpty(); // its own recording was never opened
    }
}
