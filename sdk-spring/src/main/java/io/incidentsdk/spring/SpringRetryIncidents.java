package io.incidentsdk.spring;

import io.incidentsdk.jdbc.RetryPolicy;
import io.incidentsdk.spring.internal.SpringRetryScope;
import org.aopalliance.aop.Advice;
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
 * just outside Spring's retry advice, which opens the SDK's retry scope (the watched connections hold
 * their retryable failures back), and one just inside it, which counts the attempts. When the call ends, the
 * held-back failures are recorded: absorbed ({@code WARNING}, {@code SUCCEEDED}) when it returned, exhausted
 * ({@code ERROR}, {@code EXHAUSTED}) when it failed after retries, {@code NOT_RETRIED} when Spring did not retry.
 *
 * <p>Runs after Spring's {@code RetryAnnotationBeanPostProcessor} (it is registered later, by the
 * auto-configuration, with the same lowest precedence); a bean whose retry advice is not there yet is left as
 * it is, and its failures are reported as they happen.
 */
final class SpringRetryIncidents implements BeanPostProcessor, Ordered {

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
            if (advice instanceof AbstractRetryInterceptor || SpringRetryScope.isOutside(advice)) {
                if (SpringRetryScope.isOutside(advice)) {
                    return bean; // done already
                }
                if (!(advisors[i] instanceof org.springframework.aop.PointcutAdvisor spring)) {
                    return bean;
                }
                advised.addAdvisor(i + 1, new DefaultPointcutAdvisor(spring.getPointcut(), SpringRetryScope.attempts()));
                advised.addAdvisor(i, new DefaultPointcutAdvisor(spring.getPointcut(),
                        SpringRetryScope.outside(this::policy)));
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
}
