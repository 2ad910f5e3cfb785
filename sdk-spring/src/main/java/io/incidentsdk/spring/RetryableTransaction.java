package io.incidentsdk.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Retries the <b>whole</b> annotated method, each attempt in a new Spring transaction, when the database rolled
 * the transaction back because of a deadlock or a serialization failure (the categories of the application's
 * {@code io.incidentsdk.jdbc.RetryPolicy} bean, {@code incident.retry.*}).
 *
 * <pre>{@code
 * @RetryableTransaction   // outside the transaction: each attempt is a new transaction
 * @Transactional
 * public void transfer(long from, long to, long cents) {
 *     jdbcTemplate.update("UPDATE account SET balance = balance - ? WHERE id = ?", cents, from);
 *     jdbcTemplate.update("UPDATE account SET balance = balance + ? WHERE id = ?", cents, to);
 * }
 * }</pre>
 *
 * <p>The advice runs outside {@code @Transactional} (its order is {@link #ORDER}, before the transaction
 * advisor's), so everything bound to Spring's transaction ({@code JdbcTemplate}, JPA, jOOQ...) is rolled back
 * with a failed attempt and done again, never twice. It finds the {@link java.sql.SQLException} behind Spring's
 * {@code DataAccessException} (or any other wrapper) and classifies it with the policy's classifier; it waits
 * the policy's backoff (full jitter) between attempts, stops after {@code maxAttempts} or {@code maxTotalTime},
 * and takes every retry from the policy's {@code RetryBudget}. The last failure propagates unchanged, with the
 * earlier ones attached as suppressed exceptions.
 *
 * <p>Not retried, and said so in the incident ({@code retry.outcome = NOT_RETRIED} with the reason): a call made
 * while a Spring transaction is already active (a retry would run inside a transaction the database may have
 * doomed: annotate the method that starts the transaction); a method that starts no Spring transaction of its
 * own (no {@code @Transactional} with propagation {@code REQUIRED}, {@code REQUIRES_NEW} or {@code NESTED}: its
 * statements commit one by one, and a retry would apply the committed ones again); and a connection failure
 * after the transaction began (whether it committed may be unknown). A call inside another retried unit of work (an outer
 * {@code @RetryableTransaction} or a {@code TransactionRunner}) leaves the retry to that unit.
 *
 * <p>On watched DataSources, a deadlock absorbed by a retry is reported as a {@code WARNING} incident with
 * {@code retry.outcome = SUCCEEDED}, one that exhausted the retries as an {@code ERROR} with {@code EXHAUSTED},
 * exactly as {@code TransactionRunner} reports them, and {@code incident.jdbc.retries} counts them.
 *
 * <p>On a class, every public method of the bean is retried that way. The advice applies to Spring beans called
 * through their proxy (not to calls from the same object), like {@code @Transactional}. Switch it off with
 * {@code incident.retry.annotation-enabled=false}.
 *
 * @since 0.1.0
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
public @interface RetryableTransaction {

    /**
     * The order of the advice: well before {@code @Transactional} (whose advisor has the lowest precedence by
     * default), so that each attempt runs in a transaction of its own.
     */
    int ORDER = org.springframework.core.Ordered.HIGHEST_PRECEDENCE + 1000;
}
