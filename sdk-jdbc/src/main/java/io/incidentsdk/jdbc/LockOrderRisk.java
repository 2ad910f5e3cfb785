package io.incidentsdk.jdbc;

import java.util.List;
import java.util.Objects;

/**
 * A lock-order risk found by the lock-order analysis of a watched data source: two code paths that take row
 * locks in opposite orders, or one code path whose order depends on its data. Run concurrently on the same rows,
 * they can deadlock; the risk is found from single runs, before any deadlock happened. Each one is also
 * reported as a {@code LOCK_ORDER_RISK} incident (severity {@code WARNING}).
 *
 * <p>Holds no bind value and no literal: statements are sanitized (literals replaced by {@code ?}), and the key
 * order is known only by the sign of comparisons of consecutive keys.
 *
 * @param kind        what was found
 * @param dataSource  the watched data source's name
 * @param tables      the table or tables involved, in the order to use
 * @param first       the first code path (for row order: the one that locked the rows ascending)
 * @param second      the second code path (for row order: the one that locked them descending; the same code
 *                    path as {@code first} for {@link Kind#DATA_DEPENDENT_ROW_ORDER})
 * @param advice      the order to use, in a sentence
 * @param fingerprint the incident's fingerprint (stable across restarts and instances)
 * @since 0.2.0
 */
public record LockOrderRisk(Kind kind, String dataSource, List<String> tables, CodePath first, CodePath second,
                            String advice, String fingerprint) {

    /**
     * What kind of lock-order risk.
     *
     * @since 0.2.0
     */
    public enum Kind {
        /** Two code paths lock two tables in opposite orders. */
        OPPOSITE_TABLE_ORDER,
        /** One code path locks rows of one table in ascending key order in some runs and descending in others. */
        DATA_DEPENDENT_ROW_ORDER,
        /** One code path locks rows of one table in ascending key order, another in descending order. */
        OPPOSITE_ROW_ORDER
    }

    /**
     * One code path: its locking statements in order and where the application ran them.
     *
     * @param statements the sanitized SQL of its locking statements, in the order it ran them
     * @param callSites  per statement, the application's call site ({@code Class.method(File.java:42)}), or
     *                   {@code null} where not known
     * @param order      the lock order it takes, in words ("demo_account before demo_ledger", "rows of
     *                   demo_account by descending key")
     * @since 0.2.0
     */
    public record CodePath(List<String> statements, List<String> callSites, String order) {

        /**
         * Copies the lists.
         *
         * @param statements the statements, not {@code null}
         * @param callSites  the call sites, not {@code null} (entries may be {@code null})
         * @param order      the order in words
         */
        public CodePath {
            statements = List.copyOf(statements);
            callSites = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(callSites));
        }
    }

    /**
     * Checks and copies.
     *
     * @param kind        what was found, not {@code null}
     * @param dataSource  the data source's name
     * @param tables      the tables, not {@code null}
     * @param first       the first code path, not {@code null}
     * @param second      the second code path, not {@code null}
     * @param advice      the order to use
     * @param fingerprint the incident's fingerprint
     */
    public LockOrderRisk {
        Objects.requireNonNull(kind, "kind");
        tables = List.copyOf(tables);
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
    }

    /**
     * A one-line title, as the incident's.
     *
     * @return the title
     */
    public String title() {
        return switch (kind) {
            case OPPOSITE_TABLE_ORDER -> "Lock-order risk: " + tables.get(0) + " and " + tables.get(1)
                    + " locked in opposite orders";
            case DATA_DEPENDENT_ROW_ORDER -> "Lock-order risk: rows of " + tables.get(0)
                    + " locked in a data-dependent key order";
            case OPPOSITE_ROW_ORDER -> "Lock-order risk: rows of " + tables.get(0)
                    + " locked in opposite key orders";
        };
    }

    /**
     * The risk as a few lines of text: what, both code paths with their statements and call sites, and the order
     * to use. This is what the test extension prints.
     *
     * @return the report
     */
    public String report() {
        StringBuilder s = new StringBuilder(512);
        s.append(title()).append(" (data source ").append(dataSource).append(")\n");
        if (kind == Kind.DATA_DEPENDENT_ROW_ORDER) {
            s.append("  one code path, ").append(first.order()).append(" in some runs and ").append(second.order())
                    .append(" in others:\n");
            path(s, first);
        } else {
            s.append("  code path 1, ").append(first.order()).append(":\n");
            path(s, first);
            s.append("  code path 2, ").append(second.order()).append(":\n");
            path(s, second);
        }
        s.append("  fix: ").append(advice);
        return s.toString();
    }

    private static void path(StringBuilder s, CodePath path) {
        for (int i = 0; i < path.statements().size(); i++) {
            s.append("    ").append(path.statements().get(i));
            String site = i < path.callSites().size() ? path.callSites().get(i) : null;
            if (site != null) {
                s.append("   at ").append(site);
            }
            s.append('\n');
        }
    }
}
