package io.incidentsdk.benchmarks.stub;

import java.sql.SQLException;

/**
 * How a statement of the stub driver fails: called once per failed execution, so that, like a real driver,
 * every failure throws a new exception with its own stack trace.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface StubFailure {

    /**
     * Creates the exception of one failed execution.
     *
     * @return a new exception, never {@code null}
     */
    SQLException create();
}
