package io.incidentsdk.jdbc.internal.watch;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Tells whether the current thread runs inside a transaction that a {@code TransactionRunner} cannot see:
 * today a Spring-managed transaction ({@code TransactionSynchronizationManager.isActualTransactionActive()},
 * which also covers a {@code TransactionAwareDataSourceProxy} handing out the transaction's connection). A
 * retry inside such a transaction would run again inside a transaction the database may have doomed, or
 * apply work twice that the enclosing transaction already holds, so the runner does not retry there.
 * Spring is looked up reflectively: without it on the class path the answer is always "none".
 *
 * <p>Internal: not part of the public API.
 *
 * @since 0.1.0
 */
public final class EnclosingTransactions {

    private static final MethodHandle SPRING_ACTIVE = springActive();

    private EnclosingTransactions() {
    }

    private static MethodHandle springActive() {
        try {
            Class<?> manager = Class.forName("org.springframework.transaction.support.TransactionSynchronizationManager",
                    false, EnclosingTransactions.class.getClassLoader());
            return MethodHandles.publicLookup().findStatic(manager, "isActualTransactionActive",
                    MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return null; // no Spring: nothing to look at
        }
    }

    /**
     * Why the current thread's work is inside a transaction the runner cannot see.
     *
     * @return the reason, for the incident's {@code retry.reason}, or {@code null} when there is none
     * @since 0.1.0
     */
    public static String describe() {
        if (SPRING_ACTIVE == null) {
            return null;
        }
        try {
            return (boolean) SPRING_ACTIVE.invokeExact()
                    ? "inside a Spring-managed transaction of this thread that the runner cannot see: a retry "
                        + "inside it could run in a doomed transaction or apply work twice; retry outside the "
                        + "transaction instead"
                    : null;
        } catch (Throwable e) {
            return null;
        }
    }
}
