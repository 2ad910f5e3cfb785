package io.incidentsdk.spring;

import io.incidentsdk.RetryInfo;
import io.incidentsdk.jdbc.RetryPolicy;
import io.incidentsdk.jdbc.internal.watch.RetryScope;
import org.aopalliance.aop.Advice;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.Advisor;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.resilience.retry.AbstractRetryInterceptor;

/**
 * Reports the failures that Spring Framework's own {@code @Retryable} retries the way a
 * {@link RetryableTransaction} reports them. For every bean proxied for {@code @Retryable}, it places an advice
 * just outside Spring's retry advice, which opens the SDK's {@link RetryScope} (the watched connections hold
 * their retryable failures back), and one just inside it, which counts the attempts. When the call ends, the
 * held-back failures are recorded: absorbed ({@code WARNING}, {@code SUCCEEDED}) when it returned, exhausted
 * ({@code ERROR}, {@code EXHAUSTED}) when it failed after retries, {@code NOT_RETRIED} when Spring did not retry.
 *
 * <p>Runs after Spring's {@code RetryAnnotationBeanPostProcessor} (it is registered later, by the
 * auto-configuration, with the same lowest precedence); a bean whose retry advice is not there yet is left as
 * it is, and its failures are reported as they happen.
 */
final class SpringRetryIncidents implements BeanPostProcessor, Ordered {

    private static final Logger LOG = LoggerFactory.getLogger(SpringRetryIncidents.class);

    private static final ThreadLocal<int[]> ATTEMPTS = new ThreadLocal<>();

    private final ObjectProvider<RetryPolicy> policies;
    private volatile RetryPolicy policy;

    SpringRetryIncidents(ObjectProvider<RetryPolicy> policies) {
        this.policies = policies;
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!(bean instanceof Advised advised) || advised.isFrozen()) {
            return bean;
        }
        Advisor[] advisors = advised.getAdvisors();
        for (int i = 0; i < advisors.length; i++) {
            Advice advice = advisors[i].getAdvice();
            if (advice instanceof AbstractRetryInterceptor || advice instanceof Scope) {
                if (advice instanceof Scope) {
                    return bean; // done already
                }
                if (!(advisors[i] instanceof org.springframework.aop.PointcutAdvisor spring)) {
                    return bean;
                }
                advised.addAdvisor(i + 1, new DefaultPointcutAdvisor(spring.getPointcut(), new Attempts()));
                advised.addAdvisor(i, new DefaultPointcutAdvisor(spring.getPointcut(), new Scope()));
                return bean;
            }
        }
        return bean;
    }

    private RetryPolicy policy() {
        RetryPolicy known = policy;
        if (known == null) {
            known = policies.getIfUnique(RetryPolicy::defaults);
            policy = known;
        }
        return known;
    }

    /** Outside Spring's retry: holds the failures back until the outcome of all attempts is known. */
    private final class Scope implements MethodInterceptor {

        @Override
        public Object invoke(MethodInvocation invocation) throws Throwable {
            int[] previous = ATTEMPTS.get();
            int[] attempts = {0};
            ATTEMPTS.set(attempts);
            RetryScope scope = RetryScope.enter(policy()::retries);
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
                    if (!scope.isNested()) {
                        scope.finish(outcome, made, reason);
                    }
                    scope.exit();
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
