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
            h.statementBegan((String) statements[i], (Long) statements[i + 1], 1_000L, thread, null);
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
        h.statementBegan(LEDGER, 200L, 1_000L, "worker-1", null); // open, but began after the failure at 120

        assertThat(h.transactionOpenAt(50L, 120L)).isNull();
        assertThat(h.transactionOpenAt(250L, 300L).statements()).containsExactly(LEDGER);
    }

    @Test
    void shortTransactionsAreKeptByTheThirtyTwoAndALongOneKeepsItsLastSixteenStatements() {
        TransactionHistory h = new TransactionHistory();
        // 40 transfers of two statements: the ring of transactions keeps the last 32 (their 64 statements fit)
        for (int tx = 0; tx < 40; tx++) {
            long base = 1_000L * (tx + 1);
            transaction(h, "w", base + 500L, DEBIT, base + 10L, base + 20L, CREDIT, base + 30L, base + 40L);
        }
        assertThat(h.transactionOpenAt(1_100L, 1_200L)).as("the first transaction was overwritten").isNull();
        assertThat(h.transactionOpenAt(8_100L, 8_200L)).as("the eighth too (32 are kept)").isNull();
        TransactionHistory.Transaction ninth = h.transactionOpenAt(9_100L, 9_200L);
        assertThat(ninth).isNotNull();
        assertThat(ninth.statements()).containsExactly(DEBIT, CREDIT);
        assertThat(ninth.begins()).containsExactly(9_010L, 9_030L);

        // a long transaction: its last 16 statements are handed out; the statement ring (64) then holds it and
        // the ends of the transfers before it
        long base = 100_000L;
        for (int st = 0; st < 20; st++) {
            h.statementBegan("UPDATE t" + st + " SET v = ?", base + 10L * st, 1L, "w", null);
            h.statementEnded(base + 10L * st + 5L);
        }
        h.transactionEnded(base + 500L);
        TransactionHistory.Transaction longOne = h.transactionOpenAt(base + 100L, base + 200L);
        assertThat(longOne.statementCount()).isEqualTo(20);
        assertThat(longOne.statements()).hasSize(TransactionHistory.STATEMENTS).startsWith("UPDATE t4 SET v = ?")
                .endsWith("UPDATE t19 SET v = ?");
        // 64 slots: the 20 statements overwrote the oldest 20 of the transfers (ten transfers: the 9th-18th)
        assertThat(h.transactionOpenAt(18_100L, 18_200L)).as("its statements were overwritten").isNull();
        assertThat(h.transactionOpenAt(19_100L, 19_200L).statements()).containsExactly(DEBIT, CREDIT);
    }

    @Test
    void rowKeyHashesAreKeptPerStatementAndNeverTheValues() {
        TransactionHistory h = new TransactionHistory();
        int[] keys = {0, io.incidentsdk.jdbc.internal.sql.RowKeys.ofLong(42L), 0, 0, 0, 0, 0, 0};
        h.statementBegan(DEBIT, 10L, 1L, "w", keys);
        h.statementEnded(20L);
        h.statementBegan(CREDIT, 30L, 1L, "w", null);
        TransactionHistory.Transaction tx = h.transactionOpenAt(25L, 40L);
        assertThat(tx.rowKeysOf(0)).containsExactly(keys);
        assertThat(tx.rowKeysOf(1)).containsOnly(0);
        assertThat(tx.rowKeysOf(0)).doesNotContain(42);
        assertThat(io.incidentsdk.jdbc.internal.sql.RowKeys.keysOf(DEBIT, tx.rowKeysOf(0)))
                .containsExactly(io.incidentsdk.jdbc.internal.sql.RowKeys.ofLong(42L));
    }

    @Test
    void aReaderRacingTheWriterNeverSeesAStatementOfAnotherTransaction() throws Exception {
        TransactionHistory h = new TransactionHistory();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread writer = new Thread(() -> {
            long t = 1L;
            while (!stop.get()) {
                // every transaction's statements carry its start in their SQL: a mix would show
                long start = t;
                h.statementBegan("UPDATE a SET v = 1 WHERE tx = " + start, t++, 1L, "w", null);
                h.statementEnded(t++);
                h.statementBegan("UPDATE b SET v = 1 WHERE tx = " + start, t++, 1L, "w", null);
                h.statementEnded(t++);
                h.transactionEnded(t++);
            }
        });
        writer.start();
        try {
            int checked = 0;
            long deadline = System.nanoTime() + 300_000_000L;
            while (System.nanoTime() < deadline) {
                for (TransactionHistory.Transaction tx : h.transactionsOpenBetween(0L, Long.MAX_VALUE / 2)) {
                    for (String st : tx.statements()) {
                        assertThat(st).endsWith("WHERE tx = " + tx.startNanos());
                        checked++;
                    }
                }
            }
            assertThat(checked).isPositive();
        } finally {
            stop.set(true);
            writer.join();
        }
    }

    @Test
    void aWantedCallSiteIsAskedForOnceOnTheNextRunOfThatStatementInAnExplicitTransaction() throws Exception {
        PreparedStatement rawStatement = stub(PreparedStatement.class, null);
        Connection rawConnection = stub(Connection.class, rawStatement);
        DataSource raw = stub(DataSource.class, rawConnection);
        RecordingObserver observer = new RecordingObserver();
        DataSource watched = WatchedDataSource.wrap(raw, "sampled", observer);
        try (Connection c = watched.getConnection()) {
            c.setAutoCommit(false);
            ConnectionState state = (ConnectionState) c;
            try (PreparedStatement credit = c.prepareStatement(CREDIT)) {
                credit.executeUpdate();
                assertThat(observer.callSitesWanted).as("nothing wanted yet").isEmpty();
                state.dataSource().wantCallSite(new String(CREDIT)); // an equal string, not the same object
                try (PreparedStatement debit = c.prepareStatement(DEBIT)) {
                    debit.executeUpdate();
                }
                assertThat(observer.callSitesWanted).as("another statement does not answer").isEmpty();
                credit.executeUpdate();
                credit.executeUpdate();
            }
            assertThat(observer.callSitesWanted).as("asked once, on the next run of the wanted statement")
                    .containsExactly(CREDIT);
        }
    }

    @Test
    void aRecycledHistoryAnswersNothingAboutMomentsAfterItWasGivenBack() {
        TransactionHistory h = new TransactionHistory();
        h.statementBegan(DEBIT, 10L, 1L, "old-owner", null); // left open when its connection closed
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
