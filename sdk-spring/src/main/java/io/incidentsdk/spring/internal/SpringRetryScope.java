package io.incidentsdk.spring.internal;

import io.incidentsdk.RetryInfo;
import io.incidentsdk.jdbc.RetryPolicy;
import io.incidentsdk.jdbc.internal.watch.RetryScope;
import java.util.function.Supplier;
import org.aopalliance.aop.Advice;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two advices placed around Spring Framework's own retry advice: {@link #outside(Supplier)} opens the SDK's
 * {@link RetryScope} for the whole call (the watched connections hold their retryable failures back) and
 * records them with the outcome when the call ends; {@link #attempts()} counts the attempts Spring makes.
 *
 * <p>Internal: not part of the public API.
 *
 * @since 0.1.0
 */
public final class SpringRetryScope {

    private static final Logger LOG = LoggerFactory.getLogger(SpringRetryScope.class);

    private static final ThreadLocal<int[]> ATTEMPTS = new ThreadLocal<>();

    private SpringRetryScope() {
    }

    /**
     * The advice outside Spring's retry advice.
     *
     * @param policy the policy whose categories are held back
     * @return the advice
     */
    public static MethodInterceptor outside(Supplier<RetryPolicy> policy) {
        return new Outside(policy);
    }

    /**
     * The advice inside Spring's retry advice, which counts the attempts.
     *
     * @return the advice
     */
    public static MethodInterceptor attempts() {
        return new Attempts();
    }

    /**
     * Whether an advice is the one {@link #outside(Supplier)} returns.
     *
     * @param advice an advice
     * @return {@code true} for ours
     */
    public static boolean isOutside(Advice advice) {
        return advice instanceof Outside;
    }

    /** Outside Spring's retry: holds the failures back until the outcome of all attempts is known. */
    private static final class Outside implements MethodInterceptor {

        private final Supplier<RetryPolicy> policy;

        Outside(Supplier<RetryPolicy> policy) {
            this.policy = policy;
        }

        @Override
        public Object invoke(MethodInvocation invocation) throws Throwable {
            int[] previous = ATTEMPTS.get();
            int[] attempts = {0};
            ATTEMPTS.set(attempts);
            RetryScope scope = RetryScope.enter(policy.get()::retries);
            boolean returned = false;
            try {
                Object result = invocation.proceed();
                returned = true;
                return result;
            } finally {
                int made = Math.max(1, attempts[0]);
                RetryInfo.Outcome outcome = returned ? RetryInfo.Outcome.SUCCEEDED
                        : made > 1 ? RetryInfo.Outcome.EXHAUSTED : RetryInfo.Outcome.NOT_RETRIED;
                String reason = outcome == RetryInfo.Outcome.NOT_RETRIED
                        ? "the @Retryable policy of " + invocation.getMethod().getDeclaringClass().getSimpleName() + "."
                            + invocation.getMethod().getName() + " did not retry it"
                        : null;
                try {
                    try {
                        if (!scope.isNested()) {
                            scope.finish(outcome, made, reason);
                        }
                    } finally {
                        scope.exit(); // whatever recording did, the thread leaves the scope
                    }
                } catch (RuntimeException | LinkageError e) {
                    LOG.warn("Incident SDK failed while recording the retries of a @Retryable call; the call's outcome "
                            + "is unchanged", e);
                } finally {
                    if (previous == null) {
                        ATTEMPTS.remove();
                    } else {
                        ATTEMPTS.set(previous);
                    }
                }
            }
        }
    }

    /** Inside Spring's retry: counts the attempts. */
    private static final class Attempts implements MethodInterceptor {

        @Override
        public Object invoke(MethodInvocation invocation) throws Throwable {
            int[] attempts = ATTEMPTS.get();
            if (attempts != null) {
                attempts[0]++;
            }
            return invocation.proceed();
        }
    }
}
