package io.incidentsdk.spring;

import io.incidentsdk.jdbc.DatabaseVendor;
import io.incidentsdk.jdbc.RetryPolicy;
import io.incidentsdk.spring.internal.RetryableTransactionInterceptor;
import java.lang.reflect.Method;
import java.sql.SQLException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.resilience.retry.MethodRetryPredicate;

/**
 * For Spring Framework's own {@code @Retryable}: retries exactly the failures the SDK's {@link RetryPolicy}
 * retries (deadlocks and serialization failures by default), found behind Spring's {@code DataAccessException}
 * or any other wrapper, and nothing else.
 *
 * <pre>{@code
 * @Retryable(predicate = IncidentRetryPredicate.class, maxRetries = 5, delay = 10, jitter = 10, multiplier = 2)
 * @Transactional
 * public void transfer(long from, long to, long cents) { ... }
 * }</pre>
 *
 * <p>With the Spring Boot auto-configuration, the deadlocks such a method absorbs are reported like those of
 * {@link RetryableTransaction}: held back while Spring retries, then a {@code WARNING} with
 * {@code retry.outcome = SUCCEEDED} when a retry succeeded, an {@code ERROR} with {@code EXHAUSTED} when Spring
 * gave up, and counted in {@code incident.jdbc.retries}. Spring creates the predicate with its bean factory,
 * so it uses the application's {@code RetryPolicy} bean (the defaults when there is none).
 *
 * @since 0.1.0
 */
public final class IncidentRetryPredicate implements MethodRetryPredicate {

    private final RetryPolicy policy;

    /**
     * Creates the predicate with the application's policy (Spring does, through its bean factory).
     *
     * @param policies the {@code RetryPolicy} bean, if there is exactly one
     */
    @Autowired
    public IncidentRetryPredicate(ObjectProvider<RetryPolicy> policies) {
        this(policies.getIfUnique(RetryPolicy::defaults));
    }

    /**
     * Creates the predicate with the given policy.
     *
     * @param policy which categories are retried, and the classifier that tells them
     */
    public IncidentRetryPredicate(RetryPolicy policy) {
        this.policy = policy;
    }

    /**
     * Whether the failure is one the policy retries.
     *
     * @param method  the method that failed
     * @param failure what it threw
     * @return {@code true} when the first {@link SQLException} behind {@code failure} falls in a category the
     *         policy retries
     */
    @Override
    public boolean shouldRetry(Method method, Throwable failure) {
        SQLException sql = RetryableTransactionInterceptor.sqlException(failure);
        return sql != null && policy.retries(policy.classifier().classify(sql, DatabaseVendor.UNKNOWN).category());
    }

    @Override
    public String toString() {
        return "IncidentRetryPredicate[" + policy + "]";
    }
}
