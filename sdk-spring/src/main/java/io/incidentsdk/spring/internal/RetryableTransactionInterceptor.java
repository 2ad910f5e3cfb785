package io.incidentsdk.spring.internal;

import io.incidentsdk.RetryInfo;
import io.incidentsdk.jdbc.DatabaseVendor;
import io.incidentsdk.jdbc.RetryPolicy;
import io.incidentsdk.jdbc.SqlFailureCategory;
import io.incidentsdk.jdbc.internal.lockorder.GateUnit;
import io.incidentsdk.jdbc.internal.watch.RetryScope;
import java.lang.reflect.Method;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.interceptor.TransactionAttribute;
import org.springframework.transaction.interceptor.TransactionAttributeSource;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The advice behind {@code @RetryableTransaction}: runs the method, and runs it again as a whole (a new Spring
 * transaction each time, since the advice sits outside {@code @Transactional}) when it failed with a category
 * the {@link RetryPolicy} retries. It opens the same {@link RetryScope} a {@code TransactionRunner} opens, so
 * the watched connections hold their retryable failures back until the outcome is known and then report them
 * as the runner's do (absorbed: {@code WARNING}/{@code SUCCEEDED}; exhausted: {@code ERROR}/{@code EXHAUSTED};
 * not retried: {@code ERROR}/{@code NOT_RETRIED} with the reason), and count them in {@code incident.jdbc.retries}.
 *
 * <p>Internal: not part of the public API.
 *
 * @since 0.1.0
 */
public final class RetryableTransactionInterceptor implements MethodInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(RetryableTransactionInterceptor.class);

    /** How deep the cause chain is searched for the {@link SQLException}. */
    private static final int MAX_CAUSE_DEPTH = 32;

    private static final String EXHAUSTED = "exhausted";

    private final ObjectProvider<RetryPolicy> policies;
    private final ObjectProvider<TransactionAttributeSource> transactionAttributes;
    private volatile RetryPolicy policy;

    /**
     * Creates the advice.
     *
     * @param policies              the application's {@code RetryPolicy} (the defaults when there is none)
     * @param transactionAttributes tells whether a method starts a Spring transaction of its own
     */
    public RetryableTransactionInterceptor(ObjectProvider<RetryPolicy> policies,
                                           ObjectProvider<TransactionAttributeSource> transactionAttributes) {
        this.policies = policies;
        this.transactionAttributes = transactionAttributes;
    }

    /**
     * Runs the method, again as a whole when the policy allows it.
     *
     * @param invocation the call
     * @return what the successful attempt returned
     * @throws Throwable what the method threw, unchanged: the failure not retried, or the last one
     */
    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        RetryPolicy retryPolicy = policy();
        boolean transactionActive = TransactionSynchronizationManager.isActualTransactionActive();
        RetryScope scope = RetryScope.enter(retryPolicy::retries);
        try {
            if (scope.isNested()) {
                // an enclosing unit of work retries as a whole; our failures are held back for it
                Object result = invocation.proceed();
                if (!transactionActive) {
                    // what this call did is committed now (its own transaction, or auto-commit): a retry of the
                    // enclosing unit would do it twice
                    scope.committed();
                }
                return result;
            }
            if (transactionActive) {
                // the open transaction is the unit of work the spike windows count (at its commit or first
                // failure): the scope must not count it a second time when it exits
                scope.insideEnclosingTransaction();
                return once(invocation, scope, "a Spring transaction was already active when "
                        + describe(invocation.getMethod()) + " was called: a retry inside it could run in a "
                        + "transaction the database has doomed or apply work twice; put @RetryableTransaction on "
                        + "the method that starts the transaction");
            }
            String noTransaction = noTransactionOfItsOwn(invocation);
            if (noTransaction != null) {
                return once(invocation, scope, noTransaction);
            }
            if (!(invocation instanceof ProxyMethodInvocation)) {
                return once(invocation, scope, "the call of " + describe(invocation.getMethod())
                        + " cannot be repeated (not a Spring AOP invocation)");
            }
            retryPolicy.budget().unitStarted();
            // the unit runs behind the lock-order gates of the data sources that have avoidance on, as a
            // TransactionRunner unit does (DESIGN: lock-order avoidance)
            GateUnit gate = GateUnit.enter();
            try {
                return attempts((ProxyMethodInvocation) invocation, retryPolicy, scope, gate);
            } finally {
                guarded(() -> GateUnit.exit(gate), "releasing the unit's lock-order gates");
            }
        } finally {
            guarded(scope::exit, "recording the held-back failures");
        }
    }

    /**
     * Why the method does not run in a Spring transaction of its own, or {@code null} when it does: without one,
     * its statements commit one by one, and running it again would apply the committed ones twice.
     */
    private String noTransactionOfItsOwn(MethodInvocation invocation) {
        Method method = invocation.getMethod();
        Class<?> targetClass = invocation.getThis() == null ? method.getDeclaringClass()
                : AopUtils.getTargetClass(invocation.getThis());
        TransactionAttribute attribute = transactionAttributes.orderedStream()
                .map(source -> source.getTransactionAttribute(method, targetClass))
                .filter(Objects::nonNull).findFirst().orElse(null);
        if (attribute == null) {
            return describe(method) + " runs in no Spring transaction of its own (no @Transactional, or no "
                    + "transaction management): its statements commit one by one, and a retry would apply the "
                    + "committed ones again; add @Transactional";
        }
        int propagation = attribute.getPropagationBehavior();
        if (propagation != TransactionDefinition.PROPAGATION_REQUIRED
                && propagation != TransactionDefinition.PROPAGATION_REQUIRES_NEW
                && propagation != TransactionDefinition.PROPAGATION_NESTED) {
            return describe(method) + " does not start a transaction (propagation " + propagation + "): a retry "
                    + "could apply committed statements again";
        }
        return null;
    }

    private static Object once(MethodInvocation invocation, RetryScope scope, String reason) throws Throwable {
        try {
            return invocation.proceed();
        } finally {
            guarded(() -> scope.finish(RetryInfo.Outcome.NOT_RETRIED, 1, reason), "recording the failures");
        }
    }

    private static Object attempts(ProxyMethodInvocation invocation, RetryPolicy policy, RetryScope scope,
                                   GateUnit gate) throws Throwable {
        long deadline = System.nanoTime() + policy.maxTotalTime().toNanos();
        List<Throwable> earlier = new ArrayList<>(0);
        for (int attempt = 1; ; attempt++) {
            Throwable failure;
            try {
                Object result = invocation.invocableClone().proceed();
                int attempts = attempt;
                // the transaction committed: nothing of ours may turn this into an exception now
                guarded(() -> scope.finish(RetryInfo.Outcome.SUCCEEDED, attempts, null), "recording the retries");
                return result;
            } catch (Throwable e) {
                failure = e;
            }
            if (gate != null && gate.restartAfter(failure)) {
                // the lock-order gate stopped this attempt before it could close a lock cycle (Spring rolled its
                // transaction back): run it again at once with its gates taken first; no attempt, no backoff, no
                // budget token
                attempt--;
                continue;
            }
            String refusal = refusal(failure, policy, attempt, deadline, scope);
            // a deadlock between units the gate covers (avoidance on) is not a storm to damp: its retry runs
            // behind the gate, so it costs no budget token
            boolean gatedDeadlock = refusal == null && gate != null && gate.avoidanceOn()
                    && category(failure, policy) == SqlFailureCategory.DEADLOCK;
            if (refusal == null && !gatedDeadlock && !policy.budget().tryAcquire()) {
                refusal = "the retry budget is exhausted";
                guarded(() -> scope.budgetExhausted(policy.budget().toString()), "reporting the retry budget");
            }
            if (refusal == null) {
                refusal = backoff(policy, attempt);
            }
            if (refusal != null) {
                boolean exhausted = EXHAUSTED.equals(refusal);
                int attempts = attempt;
                String reason = refusal;
                guarded(() -> scope.finish(exhausted ? RetryInfo.Outcome.EXHAUSTED : RetryInfo.Outcome.NOT_RETRIED,
                        attempts, exhausted ? null : reason), "recording the retries");
                for (Throwable e : earlier) {
                    if (e != failure) {
                        failure.addSuppressed(e);
                    }
                }
                throw failure;
            }
            earlier.add(failure);
        }
    }

    /** The category of the database failure in {@code failure}'s causes, {@code null} when there is none. */
    private static SqlFailureCategory category(Throwable failure, RetryPolicy policy) {
        SQLException sql = sqlException(failure);
        return sql == null ? null : policy.classifier().classify(sql, DatabaseVendor.UNKNOWN).category();
    }

    /** Why a failure is not retried, {@link #EXHAUSTED}, or {@code null} when it may be. */
    private static String refusal(Throwable failure, RetryPolicy policy, int attempt, long deadline,
                                  RetryScope scope) {
        SQLException sql = sqlException(failure);
        if (sql == null) {
            return "not a database failure";
        }
        SqlFailureCategory category = policy.classifier().classify(sql, DatabaseVendor.UNKNOWN).category();
        if (category == SqlFailureCategory.CONNECTION_FAILURE) {
            // only when Spring could not even begin the transaction is it certain that nothing ran
            if (!policy.retryConnectionFailuresBeforeFirstStatement() || !beforeTransaction(failure)) {
                return "the connection broke after the transaction began: whether it committed may be unknown";
            }
        } else if (!policy.retries(category)) {
            return category + " is not retried";
        }
        if (scope.nestedUnitCommitted()) {
            return "a unit of work nested in this one committed on its own: a retry would apply that work twice";
        }
        if (attempt >= policy.maxAttempts() || System.nanoTime() - deadline >= 0) {
            return EXHAUSTED;
        }
        return null;
    }

    /** Waits the backoff before retry number {@code attempt}: {@code null}, or why there is no retry. */
    private static String backoff(RetryPolicy policy, int attempt) {
        long initial = policy.initialBackoff().toMillis();
        long ceiling = Math.min(policy.maxBackoff().toMillis(),
                initial << Math.min(30, Math.max(0, attempt - 1)));
        long wait = ceiling <= 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling + 1);
        if (wait == 0) {
            return null;
        }
        try {
            TimeUnit.MILLISECONDS.sleep(wait);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /**
     * The first {@link SQLException} in the cause chain (behind a {@code DataAccessException}, for example).
     *
     * @param failure what a method threw
     * @return the exception, or {@code null} when there is none within 32 causes
     */
    public static SQLException sqlException(Throwable failure) {
        Throwable current = failure;
        for (int depth = 0; current != null && depth < MAX_CAUSE_DEPTH; depth++) {
            if (current instanceof SQLException sql) {
                return sql;
            }
            if (current.getCause() == current) {
                return null;
            }
            current = current.getCause();
        }
        return null;
    }

    private static boolean beforeTransaction(Throwable failure) {
        Throwable current = failure;
        for (int depth = 0; current != null && depth < MAX_CAUSE_DEPTH; depth++) {
            if (current instanceof CannotCreateTransactionException) {
                return true;
            }
            current = current.getCause();
        }
        return false;
    }

    private static String describe(Method method) {
        return method.getDeclaringClass().getSimpleName() + "." + method.getName();
    }

    private RetryPolicy policy() {
        RetryPolicy known = policy;
        if (known == null) {
            known = policies.getIfUnique(RetryPolicy::defaults);
            policy = known;
        }
        return known;
    }

    private static void guarded(Runnable step, String what) {
        try {
            step.run();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            LOG.warn("Incident SDK failed while {} after a @RetryableTransaction call; the call's outcome is "
                    + "unchanged", what, e);
        }
    }
}
