package io.incidentsdk.jdbc.differential;

/**
 * One failure the {@link FaultInjectingDataSource} causes at a numbered step of a run (a statement execution,
 * a commit, a rollback, a savepoint call or an auto-commit switch of the application's thread).
 *
 * @param step the step, counted from 0 over the whole run
 * @param kind what fails
 */
record Fault(int step, Kind kind) {

    /** What fails. */
    enum Kind {
        /** A deadlock, modelled on what the database does to the transaction (statements only). */
        DEADLOCK,
        /** A serialization failure (statements; on PostgreSQL also a commit, as SSI does). */
        SERIALIZATION,
        /** A lock wait timeout (statements only). */
        LOCK_TIMEOUT,
        /** The session really ends (killed through a second connection) just before the step. */
        CONNECTION_LOSS,
        /**
         * The statement runs (and, in auto-commit mode, commits), then its answer is lost: a connection failure
         * whose outcome the application cannot know, on a driver that goes on with a new session.
         */
        LOST_ANSWER
    }

    @Override
    public String toString() {
        return kind + "@step" + step;
    }
}
