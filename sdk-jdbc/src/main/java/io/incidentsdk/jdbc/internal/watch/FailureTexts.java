package io.incidentsdk.jdbc.internal.watch;

import io.incidentsdk.IncidentKind;
import io.incidentsdk.jdbc.DatabaseVendor;
import io.incidentsdk.jdbc.RollbackScope;
import io.incidentsdk.jdbc.SqlFailureCategory;
import java.util.List;

/** The words of failure incidents: kinds, titles and hints by failure category. No data ever goes in. */
final class FailureTexts {

    private FailureTexts() {
    }

    static IncidentKind kindOf(SqlFailureCategory category) {
        switch (category) {
            case DEADLOCK:
                return IncidentKind.DEADLOCK;
            case SERIALIZATION_FAILURE:
                return IncidentKind.SERIALIZATION_FAILURE;
            case LOCK_TIMEOUT:
                return IncidentKind.LOCK_TIMEOUT;
            case QUERY_TIMEOUT:
                return IncidentKind.QUERY_TIMEOUT;
            case CONNECTION_FAILURE:
                return IncidentKind.CONNECTION_FAILURE;
            default:
                return IncidentKind.CUSTOM;
        }
    }

    static String titleOf(SqlFailureCategory category) {
        switch (category) {
            case DEADLOCK:
                return "Deadlock";
            case SERIALIZATION_FAILURE:
                return "Serialization failure";
            case LOCK_TIMEOUT:
                return "Lock timeout";
            case QUERY_TIMEOUT:
                return "Query timeout";
            case CONNECTION_FAILURE:
                return "Connection failure";
            case RESOURCE_EXHAUSTED:
                return "Database resources exhausted";
            case CONSTRAINT_VIOLATION:
                return "Constraint violation";
            case DATA_ERROR:
                return "Data error";
            case PROGRAMMING_ERROR:
                return "SQL programming error";
            default:
                return "Database failure";
        }
    }

    static List<String> hints(SqlFailureCategory category, String table, DatabaseVendor vendor) {
        String rows = table == null ? "the same rows" : "rows of table " + table;
        switch (category) {
            case DEADLOCK:
                return List.of("Two transactions locked " + rows + " in opposite order: take the locks in one "
                                + "order (for example ascending primary key) in every code path",
                        "Keep transactions short and retry the WHOLE transaction on deadlock, never a single statement",
                        "This is a lock conflict, not a slow query: tuning the statements will not fix it");
            case SERIALIZATION_FAILURE:
                return List.of("A concurrent transaction changed " + rows + " this transaction read: retry the "
                                + "whole transaction",
                        "Lower contention on hot rows, or use a lower isolation level where the logic allows it");
            case LOCK_TIMEOUT:
                return List.of("This is a lock wait, not a slow query: find the transaction that holds the lock "
                                + "(long transactions, sessions idle in transaction)",
                        vendor == DatabaseVendor.MARIADB || vendor == DatabaseVendor.MYSQL
                                ? "MariaDB/MySQL undid only the statement: roll back the transaction before retrying it"
                                : "Roll back the transaction before retrying it");
            case QUERY_TIMEOUT:
                return List.of("The statement hit its time limit or was cancelled: check its plan if it is slow, "
                        + "or the lock it waited for if it was blocked");
            case CONNECTION_FAILURE:
                return List.of("The connection was refused or lost: check the database, the network and the pool",
                        "A commit in flight when a connection breaks has an unknown outcome: verify before retrying");
            default:
                return List.of();
        }
    }

    static Boolean rolledBack(RollbackScope scope) {
        if (scope == RollbackScope.TRANSACTION) {
            return Boolean.TRUE;
        }
        return scope == RollbackScope.STATEMENT ? Boolean.FALSE : null;
    }
}
