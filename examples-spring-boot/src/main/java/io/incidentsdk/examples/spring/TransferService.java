package io.incidentsdk.examples.spring;

import io.incidentsdk.spring.IncidentRetryPredicate;
import io.incidentsdk.spring.RetryableTransaction;
import java.sql.PreparedStatement;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.resilience.annotation.Retryable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The founding transfer service, written the ordinary Spring way: two {@code JdbcTemplate} updates in one
 * {@code @Transactional} method, the accounts locked in the order the caller names them. Two transfers in
 * opposite directions between the same accounts lock the same rows in opposite order, and the database breaks
 * the deadlock by rolling one back. {@link RetryableTransaction} runs the whole method again in a new
 * transaction, so the caller never sees the deadlock, and Incident SDK still reports it (a {@code WARNING}
 * incident saying to lock the rows in one order): the race condition is a bug to fix.
 *
 * <p>{@link #transferWithSpringRetry} is the same transfer retried by Spring Framework's own {@code @Retryable}
 * (enabled by {@code @EnableResilientMethods} on {@link BankApplication}) with the SDK's
 * {@link IncidentRetryPredicate}: the same deadlocks are retried, and reported and counted the same way.
 */
@Service
public class TransferService {

    private final JdbcTemplate jdbc;

    /**
     * Creates the service.
     *
     * @param jdbc the application's {@code JdbcTemplate} (on the watched DataSource)
     */
    public TransferService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Moves {@code amount} cents from one account to another and writes the transfer to the ledger, all or
     * nothing.
     *
     * @param from   the debited account
     * @param to     the credited account
     * @param amount cents, more than 0
     * @return the id of the ledger entry
     * @throws TransferRefused when an account is unknown, the two are the same, or the balance is too low
     */
    @RetryableTransaction
    @Transactional
    public long transfer(long from, long to, long amount) {
        return move(from, to, amount);
    }

    /**
     * The same transfer as {@link #transfer}, retried by Spring's own {@code @Retryable}: the predicate retries
     * what the SDK's {@code RetryPolicy} retries (deadlocks, serialization failures) and nothing else, and the
     * advice runs outside {@code @Transactional}, so each attempt is a new transaction. The SDK reports the
     * absorbed deadlocks as {@code WARNING}/{@code SUCCEEDED} and counts them in {@code incident.jdbc.retries}.
     *
     * @param from   the debited account
     * @param to     the credited account
     * @param amount cents, more than 0
     * @return the id of the ledger entry
     * @throws TransferRefused when an account is unknown, the two are the same, or the balance is too low
     */
    // 20 attempts in all, as incident.retry.max-attempts gives @RetryableTransaction; 10 ms to 1 s apart
    @Retryable(predicate = IncidentRetryPredicate.class, maxRetries = 19, delay = 10, jitter = 10, multiplier = 2,
            maxDelay = 1000)
    @Transactional
    public long transferWithSpringRetry(long from, long to, long amount) {
        return move(from, to, amount);
    }

    /** The body of a transfer, inside the caller's transaction. */
    private long move(long from, long to, long amount) {
        if (amount <= 0 || from == to) {
            throw new TransferRefused(TransferRefused.Reason.INVALID, "amount must be positive and the accounts differ");
        }
        int debited = jdbc.update("UPDATE account SET balance = balance - ? WHERE id = ? AND balance >= ?",
                amount, from, amount);
        if (debited == 0) {
            boolean known = jdbc.queryForObject("SELECT COUNT(*) FROM account WHERE id = ?", Integer.class, from) > 0;
            throw known ? new TransferRefused(TransferRefused.Reason.INSUFFICIENT_FUNDS, "balance too low")
                    : new TransferRefused(TransferRefused.Reason.UNKNOWN_ACCOUNT, "no account " + from);
        }
        if (jdbc.update("UPDATE account SET balance = balance + ? WHERE id = ?", amount, to) == 0) {
            // the debit is rolled back with the transaction
            throw new TransferRefused(TransferRefused.Reason.UNKNOWN_ACCOUNT, "no account " + to);
        }
        KeyHolder ledger = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO transfer (from_id, to_id, amount) VALUES (?, ?, ?)", new String[] {"id"});
            insert.setLong(1, from);
            insert.setLong(2, to);
            insert.setLong(3, amount);
            return insert;
        }, ledger);
        return ledger.getKeyAs(Number.class).longValue();
    }

    /**
     * Every account with its balance.
     *
     * @return the accounts by id
     */
    @Transactional(readOnly = true)
    public List<Account> accounts() {
        return jdbc.query("SELECT id, owner, balance FROM account ORDER BY id",
                (row, n) -> new Account(row.getLong("id"), row.getString("owner"), row.getLong("balance")));
    }

    /**
     * One account.
     *
     * @param id the account id
     * @return the account
     * @throws TransferRefused when there is no such account
     */
    @Transactional(readOnly = true)
    public Account account(long id) {
        List<Account> found = jdbc.query("SELECT id, owner, balance FROM account WHERE id = ?",
                (row, n) -> new Account(row.getLong("id"), row.getString("owner"), row.getLong("balance")), id);
        if (found.isEmpty()) {
            throw new TransferRefused(TransferRefused.Reason.UNKNOWN_ACCOUNT, "no account " + id);
        }
        return found.get(0);
    }

    /**
     * An account.
     *
     * @param id      its id
     * @param owner   its owner
     * @param balance its balance in cents
     */
    public record Account(long id, String owner, long balance) {
    }
}
