package io.incidentsdk.examples;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * A small money-transfer service with the race condition of the founding postmortem: {@link #transfer}
 * debits first and credits second, while {@link #settle} (written later, by someone else) credits first and
 * debits second. Run concurrently on the same pair of accounts, the two code paths lock the same rows in
 * opposite order, and the database has to break the deadlock by rolling one of them back.
 */
public final class TransferService {

    /** Accounts in the demo. */
    public static final int ACCOUNTS = 2;
    /** Starting balance of each account, in cents. */
    public static final long INITIAL_BALANCE = 100_000;

    private static final String DEBIT = "UPDATE demo_account SET balance = balance - ? WHERE id = ?";
    private static final String CREDIT = "UPDATE demo_account SET balance = balance + ? WHERE id = ?";
    private static final String LEDGER = "INSERT INTO demo_ledger (transfer_id, from_id, to_id, amount) VALUES (?, ?, ?, ?)";

    private TransferService() {
    }

    /**
     * Creates (or recreates) the demo tables.
     *
     * @param dataSource where
     * @throws SQLException when the tables cannot be created
     */
    public static void createTables(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            s.execute("DROP TABLE IF EXISTS demo_ledger");
            s.execute("DROP TABLE IF EXISTS demo_account");
            s.execute("CREATE TABLE demo_account (id INT PRIMARY KEY, balance BIGINT NOT NULL)");
            s.execute("CREATE TABLE demo_ledger (transfer_id BIGINT PRIMARY KEY, from_id INT NOT NULL, "
                    + "to_id INT NOT NULL, amount BIGINT NOT NULL)");
            for (int id = 1; id <= ACCOUNTS; id++) {
                s.execute("INSERT INTO demo_account VALUES (" + id + ", " + INITIAL_BALANCE + ")");
            }
        }
    }

    /**
     * Code path 1: debit, then credit. The caller owns the transaction.
     *
     * @param c          the connection
     * @param transferId unique id
     * @param from       debited account
     * @param to         credited account
     * @param amount     cents
     * @throws SQLException when a statement fails
     */
    public static void transfer(Connection c, long transferId, int from, int to, long amount) throws SQLException {
        update(c, DEBIT, amount, from);
        fraudCheck();
        update(c, CREDIT, amount, to);
        fraudCheck();
        ledger(c, transferId, from, to, amount);
    }

    /**
     * Code path 2: credit, then debit — the opposite lock order. The caller owns the transaction.
     *
     * @param c          the connection
     * @param transferId unique id
     * @param from       debited account
     * @param to         credited account
     * @param amount     cents
     * @throws SQLException when a statement fails
     */
    public static void settle(Connection c, long transferId, int from, int to, long amount) throws SQLException {
        update(c, CREDIT, amount, to);
        fraudCheck();
        update(c, DEBIT, amount, from);
        fraudCheck();
        ledger(c, transferId, from, to, amount);
    }

    /**
     * The fix: the same transfer, locking the two accounts by ascending id whichever way the money goes, so that
     * every code path takes the rows in one order and no lock cycle can form.
     *
     * @param c          the connection
     * @param transferId unique id
     * @param from       debited account
     * @param to         credited account
     * @param amount     cents
     * @throws SQLException when a statement fails
     */
    public static void transferInOrder(Connection c, long transferId, int from, int to, long amount)
            throws SQLException {
        if (from < to) {
            update(c, DEBIT, amount, from);
            fraudCheck();
            update(c, CREDIT, amount, to);
        } else {
            update(c, CREDIT, amount, to);
            fraudCheck();
            update(c, DEBIT, amount, from);
        }
        fraudCheck();
        ledger(c, transferId, from, to, amount);
    }

    /**
     * A call to another service (a fraud check, a notification), made while rows are locked: a common way to
     * widen the window of a race condition. About a millisecond.
     */
    private static void fraudCheck() {
        try {
            java.util.concurrent.TimeUnit.MICROSECONDS.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void update(Connection c, String sql, long amount, int account) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, amount);
            s.setInt(2, account);
            s.executeUpdate();
        }
    }

    private static void ledger(Connection c, long id, int from, int to, long amount) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(LEDGER)) {
            s.setLong(1, id);
            s.setInt(2, from);
            s.setInt(3, to);
            s.setLong(4, amount);
            s.executeUpdate();
        }
    }

    /**
     * The sum of all balances (never changes if no money is lost or created).
     *
     * @param dataSource where
     * @return the sum
     * @throws SQLException when the query fails
     */
    public static long totalBalance(DataSource dataSource) throws SQLException {
        return queryLong(dataSource, "SELECT SUM(balance) FROM demo_account");
    }

    /**
     * Ledger rows.
     *
     * @param dataSource where
     * @return the count
     * @throws SQLException when the query fails
     */
    public static long ledgerRows(DataSource dataSource) throws SQLException {
        return queryLong(dataSource, "SELECT COUNT(*) FROM demo_ledger");
    }

    private static long queryLong(DataSource dataSource, String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
