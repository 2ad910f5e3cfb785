package io.incidentsdk.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.incidentsdk.test.LockOrderExtension;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * "Catch the race before it ships": the founding demo's transfer service, tested the way its team would test it
 * (one thread, one transfer after the other, nothing concurrent), with the lock-order extension. The service as it
 * was fails the test class on its first run with the risk report; the fixed service passes. No deadlock happens in
 * either.
 */
class TransferServiceLockOrderTest {

    private static final AtomicInteger DATABASES = new AtomicInteger();

    static DataSource demoDatabase() throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:transfer_lock_order_" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        TransferService.createTables(h2);
        return h2;
    }

    interface Unit {
        void run(Connection c) throws SQLException;
    }

    static void inTransaction(DataSource ds, Unit unit) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            unit.run(c);
            c.commit();
        }
    }

    /** The team's tests of the service as it shipped: each code path works on its own. */
    static class ServiceAsShipped {
        @RegisterExtension
        static final LockOrderExtension LOCK_ORDER = LockOrderExtension.failOnRisk();
        static DataSource ds;

        @BeforeAll
        static void database() throws SQLException {
            ds = LOCK_ORDER.watch(demoDatabase());
        }

        @Test
        void aTransferMovesMoney() throws SQLException {
            inTransaction(ds, c -> TransferService.transfer(c, 1, 1, 2, 500));
        }

        @Test
        void aSettlementMovesMoney() throws SQLException {
            inTransaction(ds, c -> TransferService.settle(c, 2, 1, 2, 500));
        }
    }

    /** The same tests of the fixed service (accounts locked by ascending id). */
    static class FixedService {
        @RegisterExtension
        static final LockOrderExtension LOCK_ORDER = LockOrderExtension.failOnRisk();
        static DataSource ds;

        @BeforeAll
        static void database() throws SQLException {
            ds = LOCK_ORDER.watch(demoDatabase());
        }

        @Test
        void aTransferMovesMoney() throws SQLException {
            inTransaction(ds, c -> TransferService.transferInOrder(c, 1, 1, 2, 500));
        }

        @Test
        void aTransferBackMovesMoney() throws SQLException {
            inTransaction(ds, c -> TransferService.transferInOrder(c, 2, 2, 1, 500));
        }
    }

    private static TestExecutionSummary run(Class<?> testClass) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass))
                .build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(request, listener);
        return listener.getSummary();
    }

    @Test
    void theServiceAsShippedFailsOnItsFirstSingleThreadedRun() {
        TestExecutionSummary summary = run(ServiceAsShipped.class);

        assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
        assertThat(summary.getFailures()).singleElement().satisfies(f -> assertThat(f.getException().getMessage())
                .contains("Lock-order risk: rows of demo_account locked in opposite key orders")
                .contains("code path 1, rows of demo_account by ascending key")
                .contains("UPDATE demo_account SET balance = balance - ? WHERE id = ?   at TransferService.update(")
                .contains("< TransferService.transfer(TransferService.java:")
                .contains("code path 2, rows of demo_account by descending key")
                .contains("< TransferService.settle(TransferService.java:")
                .contains("fix: lock the rows of demo_account in ascending key order in both code paths"));
    }

    @Test
    void theFixedServicePasses() {
        TestExecutionSummary summary = run(FixedService.class);

        assertThat(summary.getFailures()).isEmpty();
        assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
    }
}
