package io.incidentsdk.jdbc.internal.wrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The per-connection history of DESIGN section 6: what it keeps, what it answers, and what it costs. */
class TransactionHistoryTest {

    private static final String DEBIT = "UPDATE account SET balance = balance - ? WHERE id = ?";
    private static final String CREDIT = "UPDATE account SET balance = balance + ? WHERE id = ?";
    private static final String LEDGER = "INSERT INTO ledger (a, b) VALUES (?, ?)";

    /** Runs one transaction on the history at the given clock readings: statements [begin, end] then commit. */
    private static void transaction(TransactionHistory h, String thread, long commitAt, Object... statements) {
        for (int i = 0; i < statements.length; i += 3) {
            h.statementBegan((String) statements[i], (Long) statements[i + 1], 1_000L, thread);
            h.statementEnded((Long) statements[i + 2]);
        }
        h.transactionEnded(commitAt);
    }

    @Test
    void theTransactionOpenWhenTheVictimBeganWaitingIsFoundAfterItCommittedAndTheNextOneBegan() {
        TransactionHistory h = new TransactionHistory();
        transaction(h, "worker-1", 100L, DEBIT, 10L, 20L, CREDIT, 30L, 95L);
        // the victim began waiting at 50 and failed at 120: meanwhile the blocker committed (100) and ran on
        transaction(h, "worker-1", 130L, LEDGER, 105L, 110L);

        TransactionHistory.Transaction held = h.transactionOpenAt(50L, 120L);

        assertThat(held).isNotNull();
        assertThat(held.statements()).containsExactly(DEBIT, CREDIT);
        assertThat(held.begins()).containsExactly(10L, 30L);
        assertThat(held.ends()).containsExactly(20L, 95L);
        assertThat(held.endNanos()).isEqualTo(100L);
        assertThat(held.thread()).isEqualTo("worker-1");
    }

    @Test
    void aTransactionThatBeganAfterTheVictimFailedIsNeverNamed() {
        TransactionHistory h = new TransactionHistory();
        transaction(h, "worker-1", 40L, DEBIT, 10L, 20L);
        h.statementBegan(LEDGER, 200L, 1_000L, "worker-1"); // open, but began after the failure at 120

        assertThat(h.transactionOpenAt(50L, 120L)).isNull();
        assertThat(h.transactionOpenAt(250L, 300L).statements()).containsExactly(LEDGER);
    }

    @Test
    void theLastFourTransactionsAndTheLastSixteenStatementsOfEachAreKept() {
        TransactionHistory h = new TransactionHistory();
        for (int tx = 0; tx < 6; tx++) {
            long base = 1_000L * (tx + 1);
            for (int s = 0; s < 20; s++) {
                h.statementBegan("UPDATE t" + s + " SET v = ?", base + 10L * s, 1L, "w");
                h.statementEnded(base + 10L * s + 5L);
            }
            h.transactionEnded(base + 500L);
        }
        assertThat(h.transactionOpenAt(1_100L, 1_200L)).as("the first transaction was overwritten").isNull();
        assertThat(h.transactionOpenAt(2_100L, 2_200L)).as("the second too (four are kept)").isNull();
        TransactionHistory.Transaction third = h.transactionOpenAt(3_100L, 3_200L);
        assertThat(third.statementCount()).isEqualTo(20);
        assertThat(third.statements()).hasSize(TransactionHistory.STATEMENTS).startsWith("UPDATE t4 SET v = ?")
                .endsWith("UPDATE t19 SET v = ?");
        assertThat(h.transactionOpenAt(6_100L, 6_200L)).isNotNull();
    }

    @Test
    void aRecycledHistoryAnswersNothingAboutMomentsAfterItWasGivenBack() {
        TransactionHistory h = new TransactionHistory();
        h.statementBegan(DEBIT, 10L, 1L, "old-owner"); // left open when its connection closed
        TransactionHistory.recycle(h);
        long afterRecycle = System.nanoTime() + 1_000_000L;
        TransactionHistory.Transaction tx = h.transactionOpenAt(afterRecycle, afterRecycle + 1);
        assertThat(tx).as("the old owner's transaction ended when the history was given back").isNull();
    }

    @Test
    void statementsOfAnExplicitTransactionAllocateNothingOnceTheHistoryExists() throws Exception {
        PreparedStatement rawStatement = stub(PreparedStatement.class, null);
        Connection rawConnection = stub(Connection.class, rawStatement);
        DataSource raw = stub(DataSource.class, rawConnection);
        DataSource watched = WatchedDataSource.wrap(raw, "alloc", JdbcObserver.NO_OP);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Connection c = watched.getConnection(); PreparedStatement ps = c.prepareStatement(DEBIT)) {
            c.setAutoCommit(false);
            for (int warm = 0; warm < 20_000; warm++) {
                ps.executeUpdate();
                if (warm % 10 == 9) {
                    c.commit();
                }
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 10_000; i++) {
                ps.executeUpdate();
                if (i % 10 == 9) {
                    c.commit();
                }
            }
            long perStatement = (threads.getCurrentThreadAllocatedBytes() - before) / 10_000;
            assertThat(perStatement).as("bytes per statement inside explicit transactions").isZero();
            assertThat(((ConnectionState) c).history()).isNotNull();
        }
    }

    private static <T> T stub(Class<T> type, Object inner) {
        return type.cast(Proxy.newProxyInstance(TransactionHistoryTest.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getConnection", "prepareStatement" -> inner;
                    case "executeUpdate" -> 1;
                    case "getAutoCommit", "execute" -> Boolean.FALSE;
                    case "isWrapperFor" -> Boolean.FALSE;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> type.getSimpleName() + " stub";
                    default -> {
                        Class<?> returns = method.getReturnType();
                        yield returns == int.class ? Integer.valueOf(0) : returns == boolean.class ? Boolean.FALSE
                                : returns == long.class ? Long.valueOf(0L) : null;
                    }
                }));
    }
}
