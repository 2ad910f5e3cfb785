package io.incidentsdk.jdbc.differential;

/**
 * One operation of a generated case, on the table {@code t(id INT PRIMARY KEY, v INT NOT NULL)}.
 *
 * @param type     what to do
 * @param key      the row (or savepoint number) it works on
 * @param n        a second number (increment, batch size)
 * @param prepared whether a statement is prepared ({@code PreparedStatement}) or plain ({@code Statement})
 */
record Op(Type type, int key, int n, boolean prepared) {

    /** The operations. */
    enum Type {
        AUTOCOMMIT_ON, AUTOCOMMIT_OFF, REPEATABLE_READ, INSERT, UPDATE, DELETE, SELECT_SUM, SELECT_ROW, BATCH_INSERT,
        SAVEPOINT, ROLLBACK_TO, RELEASE, COMMIT, ROLLBACK, CLOSE_REOPEN, OTHER_SESSION_UPDATE, SQL_BEGIN, SQL_COMMIT,
        /** Another session locks a row until the end of the case: the application's next write of it times out. */
        OTHER_SESSION_LOCK,
        /** In a runner unit only: the unit calls one of the runner's calls itself (key: 0 commit, 1 rollback, 2 auto-commit on, 3 close). */
        RUNNER_CALL
    }

    static Op of(Type type) {
        return new Op(type, 0, 0, false);
    }

    /** Whether this is a single statement the watch may run again in auto-commit mode (rule R2). */
    boolean singleStatement() {
        return switch (type) {
            case INSERT, UPDATE, DELETE, SELECT_SUM, SELECT_ROW -> true;
            default -> false;
        };
    }

    /** Readable, as application code. */
    @Override
    public String toString() {
        String kind = prepared ? "prepared " : "plain ";
        return switch (type) {
            case AUTOCOMMIT_ON -> "setAutoCommit(true)";
            case AUTOCOMMIT_OFF -> "setAutoCommit(false)";
            case REPEATABLE_READ -> "setTransactionIsolation(REPEATABLE_READ)";
            case INSERT -> kind + "INSERT INTO t VALUES (" + key + ", 1)";
            case UPDATE -> kind + "UPDATE t SET v = v + " + n + " WHERE id = " + key;
            case DELETE -> kind + "DELETE FROM t WHERE id = " + key;
            case SELECT_SUM -> kind + "SELECT COUNT(*), SUM(v) FROM t";
            case SELECT_ROW -> kind + "SELECT v FROM t WHERE id = " + key;
            case BATCH_INSERT -> "batch INSERT ids " + key + ".." + (key + n - 1);
            case SAVEPOINT -> "setSavepoint(\"sp" + key + "\")";
            case ROLLBACK_TO -> "rollback(savepoint #" + key + ")";
            case RELEASE -> "releaseSavepoint(savepoint #" + key + ")";
            case COMMIT -> "commit()";
            case ROLLBACK -> "rollback()";
            case CLOSE_REOPEN -> "close(); getConnection()";
            case OTHER_SESSION_UPDATE -> "another session: UPDATE t SET v = v + 100 WHERE id = " + key + " (no wait)";
            case OTHER_SESSION_LOCK -> "another session: UPDATE t SET v = v WHERE id = " + key + " (no wait; held to the end)";
            case SQL_BEGIN -> "plain execute(\"BEGIN\" / \"START TRANSACTION\")";
            case SQL_COMMIT -> "plain execute(\"COMMIT\")";
            case RUNNER_CALL -> switch (key) {
                case 0 -> "unit calls commit()";
                case 1 -> "unit calls rollback()";
                case 2 -> "unit calls setAutoCommit(true)";
                default -> "unit calls close()";
            };
        };
    }
}
