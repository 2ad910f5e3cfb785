package io.incidentsdk.otel;

import java.util.Locale;
import java.util.Set;

/**
 * The low-cardinality {@code db.query.summary} of a sanitized statement: its operation and its target table,
 * {@code UPDATE account}, {@code SELECT orders}, {@code INSERT ledger}; never literals (the statement was
 * sanitized before it entered the record, and only a keyword and one identifier are kept).
 */
final class QuerySummary {

    private static final Set<String> OPERATIONS = Set.of("SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "UPSERT",
            "REPLACE", "CALL", "WITH");
    private static final int MAX_IDENTIFIER = 128;

    private QuerySummary() {
    }

    static String of(String sql) {
        if (sql == null || sql.isBlank()) {
            return null;
        }
        String[] tokens = sql.substring(0, Math.min(sql.length(), 2000)).trim().split("[\\s,()]+");
        String operation = tokens[0].toUpperCase(Locale.ROOT);
        if (!OPERATIONS.contains(operation)) {
            return null;
        }
        String table = null;
        if (operation.equals("UPDATE") || operation.equals("CALL")) {
            table = tokens.length > 1 ? tokens[1] : null;
        } else {
            String marker = operation.equals("SELECT") || operation.equals("DELETE") || operation.equals("WITH")
                    ? "FROM" : "INTO";
            for (int i = 1; i < tokens.length - 1 && table == null; i++) {
                if (tokens[i].equalsIgnoreCase(marker)) {
                    table = tokens[i + 1];
                }
            }
        }
        table = table == null ? null : identifier(table);
        return table == null ? operation : operation + " " + table;
    }

    /** An identifier without its quotes, or {@code null} when the token is not one (a parameter, a literal). */
    private static String identifier(String token) {
        String name = token.replace("\"", "").replace("`", "").replace("[", "").replace("]", "");
        if (name.isEmpty() || name.length() > MAX_IDENTIFIER || !Character.isLetter(name.charAt(0)) && name.charAt(0) != '_') {
            return null;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!Character.isLetterOrDigit(c) && c != '_' && c != '.' && c != '$') {
                return null;
            }
        }
        return name;
    }
}
