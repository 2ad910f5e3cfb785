package io.incidentsdk.jdbc.internal.forensics;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentsdk.internal.RateLimitedLogger;
import io.incidentsdk.jdbc.DatabaseVendor;
import io.incidentsdk.jdbc.SqlSanitizer;
import io.incidentsdk.jdbc.internal.sql.RowKeys;
import io.incidentsdk.jdbc.internal.wrap.ConnectionState;
import io.incidentsdk.jdbc.internal.wrap.JdbcObserver;
import io.incidentsdk.jdbc.internal.wrap.TransactionHistory;
import io.incidentsdk.jdbc.internal.wrap.WatchedDataSource;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Naming from row keys alone (H2; MariaDB without {@code PROCESS}; a replaced InnoDB report), with histories
 * shaped like the transfer storm's misses measured on MariaDB: the application threads' clocks put a
 * participant's statement after the victim's, though the database had it first.
 */
class RowKeyNamingTest {

    private static final String DEBIT = "UPDATE accounts SET balance = balance - ? WHERE id = ?";
    private static final String CREDIT = "UPDATE accounts SET balance = balance + ? WHERE id = ?";
    private static final String DEBIT_SHAPE = SqlSanitizer.defaults().sanitize(DEBIT).fingerprint();
    private static final String CREDIT_SHAPE = SqlSanitizer.defaults().sanitize(CREDIT).fingerprint();

    private final DeadlockForensics forensics = new DeadlockForensics(SqlSanitizer.defaults(), null,
            Duration.ofSeconds(1), new RateLimitedLogger(LoggerFactory.getLogger(RowKeyNamingTest.class), 60_000));
    private final List<Connection> open = new ArrayList<>();

    /**
     * A transfer of 1 from one account to another, its statements begun and ended at the given moments (in
     * milliseconds; 0: not ended).
     */
    private static TransactionHistory.Transaction transfer(String thread, int from, int to, long debitAt,
                                                           long debitEnd, long creditAt, long creditEnd, long end) {
        return transferNanos(thread, from, to, debitAt * MS, debitEnd * MS, creditAt * MS, creditEnd * MS, end * MS);
    }

    private static final long MS = 1_000_000L;

    private static TransactionHistory.Transaction transferNanos(String thread, int from, int to, long debitAt,
                                                                long debitEnd, long creditAt, long creditEnd,
                                                                long end) {
        int[] keys = new int[2 * TransactionHistory.BINDS];
        keys[0] = RowKeys.ofLong(1);
        keys[1] = RowKeys.ofLong(from);
        keys[TransactionHistory.BINDS] = RowKeys.ofLong(1);
        keys[TransactionHistory.BINDS + 1] = RowKeys.ofLong(to);
        return new TransactionHistory.Transaction(thread, debitAt, 0L, end, new String[] {DEBIT, CREDIT},
                new long[] {debitAt, creditAt}, new long[] {debitEnd, creditEnd}, 2, keys);
    }

    private ConnectionState connection() throws SQLException {
        DataSource raw = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getConnection" -> Proxy.newProxyInstance(getClass().getClassLoader(),
                            new Class<?>[] {Connection.class}, (p, m, a) -> m.getReturnType() == boolean.class
                                    ? Boolean.FALSE : m.getReturnType() == int.class ? Integer.valueOf(0) : null);
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
        Connection c = WatchedDataSource.wrap(raw, "row-keys", JdbcObserver.NO_OP).getConnection();
        open.add(c);
        return (ConnectionState) c;
    }

    private static DeadlockForensics.Victim victim(ConnectionState connection, long statementStart, long failedAt,
                                                   Map<ConnectionState, List<TransactionHistory.Transaction>> all) {
        return new DeadlockForensics.Victim(new SQLTransactionRollbackException("deadlock", "40001", 1213),
                connection, DatabaseVendor.MARIADB, statementStart, failedAt, 0L, null, new String[] {DEBIT, CREDIT},
                all);
    }

    private static Map<ConnectionState, TransactionHistory.Transaction> oldest(
            Map<ConnectionState, List<TransactionHistory.Transaction>> all) {
        Map<ConnectionState, TransactionHistory.Transaction> first = new LinkedHashMap<>();
        all.forEach((state, txs) -> first.put(state, txs.get(0)));
        return first;
    }

    @Test
    void aRingIsNamedByTheStatementsThatWaitedThoughTheTimingSaysOneStillRanItsFirst() throws Exception {
        // victim: holds 1, waits for 2 from t=1000; T6 holds 2 (its debit timed as running until 1012, after
        // the victim's wait began) and waits for 3 in its credit; T8 holds 3 and waits for 1
        ConnectionState v = connection();
        ConnectionState t6 = connection();
        ConnectionState t8 = connection();
        ConnectionState bystander = connection();
        Map<ConnectionState, List<TransactionHistory.Transaction>> all = new LinkedHashMap<>();
        all.put(v, List.of(transfer("victim", 1, 2, 900, 990, 1000, 0, 0)));
        all.put(t6, List.of(transfer("t6", 2, 3, 800, 1012, 1020, 0, 0)));
        all.put(t8, List.of(transfer("t8", 3, 1, 850, 960, 970, 0, 0)));
        all.put(bystander, List.of(transfer("bystander", 4, 2, 700, 710, 1005, 0, 0)));
        DeadlockForensics.Victim victim = victim(v, 1000 * MS, 2000 * MS, all);

        DeadlockForensics.Naming naming = forensics.byHistory(victim, null, oldest(all));

        assertThat(naming.others()).extracting(DeadlockForensics.Participant::thread)
                .containsExactlyInAnyOrder("t6", "t8");
        assertThat(naming.others()).allSatisfy(p -> {
            assertThat(p.sql().fingerprint()).as("the credit each waited in").isEqualTo(CREDIT_SHAPE);
            assertThat(p.transactionStatements()).containsExactly(DEBIT_SHAPE);
            assertThat(p.transactionSql()).containsExactly(DEBIT);
            assertThat(p.certainty()).isEqualTo(DeadlockForensics.Certainty.HISTORY);
        });
    }

    @Test
    void theOtherSideIsFoundAmongLaterTransactionsOfAConnectionWhenItsOldestOneDoesNotFit() throws Exception {
        // victim: holds 1, waits for 4 from t=1000 (the database had T6's debit of 4 first, but T6's thread timed
        // it at 1021); T6's oldest transaction of the wait is an unrelated transfer that ended at 1010
        ConnectionState v = connection();
        ConnectionState t6 = connection();
        ConnectionState t1 = connection();
        Map<ConnectionState, List<TransactionHistory.Transaction>> all = new LinkedHashMap<>();
        all.put(v, List.of(transfer("victim", 1, 4, 900, 990, 1000, 0, 0)));
        all.put(t6, List.of(transfer("t6", 3, 2, 800, 950, 960, 1005, 1010),
                transfer("t6", 4, 1, 1021, 1025, 1026, 1900, 1950)));
        all.put(t1, List.of(transfer("t1", 3, 2, 1002, 1004, 1004, 1006, 1008)));
        DeadlockForensics.Victim victim = victim(v, 1000 * MS, 2000 * MS, all);

        DeadlockForensics.Naming naming = forensics.byHistory(victim, null, oldest(all));

        assertThat(naming.others()).singleElement().satisfies(p -> {
            assertThat(p.thread()).isEqualTo("t6");
            assertThat(p.transactionAgeMillis()).as("its transfer of 4 to 1, begun 979 ms before the failure")
                    .isEqualTo(979L);
            assertThat(p.sql().fingerprint()).isEqualTo(CREDIT_SHAPE);
            assertThat(p.transactionStatements()).containsExactly(DEBIT_SHAPE);
        });
    }

    @Test
    void rowsThatFormNoCycleNameNobodyByRows() throws Exception {
        // the others touched other rows: the row keys show no cycle, and the timing fallback must say so by
        // its certainty rather than claim the rows
        ConnectionState v = connection();
        ConnectionState t2 = connection();
        Map<ConnectionState, List<TransactionHistory.Transaction>> all = new LinkedHashMap<>();
        all.put(v, List.of(transfer("victim", 1, 2, 900, 990, 1000, 0, 0)));
        all.put(t2, List.of(transfer("t2", 3, 4, 950, 960, 970, 0, 0)));
        DeadlockForensics.Victim victim = victim(v, 1000 * MS, 2000 * MS, all);

        DeadlockForensics.Naming naming = forensics.byRowKeys(victim, null, oldest(all));

        assertThat(naming).isNull();
    }
}
