package io.incidentsdk.jdbc.internal.classify;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The exceptions a classifier looks at for one failure, in a fixed order. Not API.
 *
 * <p>Depth-first, pre-order, starting with the thrown exception: each exception is followed by its
 * {@code getCause()} chain, then by its {@code getNextException()} chain (when it is a
 * {@link SQLException}). Causes that are not {@link SQLException}s are followed but not returned (H2's
 * {@code MVStoreException}, an {@code IOException}). Every throwable is visited at most once, so cycles
 * end the walk; at most {@link #MAX_THROWABLES} throwables are visited.
 */
public final class ExceptionChain {

    /** How many throwables (SQL or not) one walk visits at most. */
    public static final int MAX_THROWABLES = 32;

    private ExceptionChain() {
    }

    /**
     * Lists the {@link SQLException}s of the chain of {@code top}, {@code top} first.
     *
     * @param top the thrown exception
     * @return the exceptions in walk order; never empty
     */
    public static List<SQLException> of(SQLException top) {
        if (top.getCause() == null && top.getNextException() == null) {
            return List.of(top); // the common case, without the walk's collections (the failure path of a storm)
        }
        List<SQLException> result = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> pending = new ArrayDeque<>();
        pending.push(top);
        while (!pending.isEmpty() && seen.size() < MAX_THROWABLES) {
            Throwable current = pending.pop();
            if (!seen.add(current)) {
                continue;
            }
            Throwable cause = current.getCause();
            if (current instanceof SQLException sql) {
                result.add(sql);
                SQLException next = sql.getNextException();
                if (next != null) {
                    pending.push(next);
                }
            }
            // pushed last so that it is popped first: causes before next exceptions
            if (cause != null) {
                pending.push(cause);
            }
        }
        return result;
    }
}
