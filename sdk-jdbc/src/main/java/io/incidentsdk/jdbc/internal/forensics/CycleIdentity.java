package io.incidentsdk.jdbc.internal.forensics;

import io.incidentsdk.internal.postmortem.DeadlockCauses;
import io.incidentsdk.jdbc.DatabaseVendor;
import io.incidentsdk.jdbc.SanitizedSql;
import io.incidentsdk.jdbc.SqlSanitizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The identity of a lock cycle and the words for its cause.
 *
 * <p><b>Identity.</b> One incident per lock cycle, whichever side the database picks as victim and whether
 * or not the other side could be named. The key is built from what the victim alone knows, on every
 * occurrence: what its transaction did up to the failing statement, as a sorted set of verb and table ("UPDATE
 * account", "INSERT order_line"). The two sides of a race lock the same tables with the same kinds of
 * statement even when their statements differ (a transfer debits then credits; two opposite code paths each
 * update both tables), so either victim gives the same set, while other tables or other kinds of statement
 * give another. Where the database always tells the number of participants (PostgreSQL's detail), it is part
 * of the key, so a ring of three never counts as a pair; where it only tells it sometimes (the InnoDB report,
 * read once per cycle), it is not, so that a report that could not be read never splits one cycle in two.
 * Nothing that depends on naming goes in. The price: two code paths that lock the same tables with the same
 * kinds of statement share one incident (their fix, one lock order over those tables, is the same); the
 * variants below tell them apart.
 *
 * <p><b>Variants.</b> Inside one cycle the occurrences are counted by which statement was the victim's and
 * how many participants were named; every record carries the counts so far.
 *
 * <p>Internal: not part of the public API.
 */
public final class CycleIdentity {

    private static final int MAX_CYCLES = 1024;
    private static final int MAX_VARIANTS = 16;

    private final Map<String, Map<String, AtomicLong>> variants = new ConcurrentHashMap<>();

    /**
     * The key of the cycle a victim's transaction was in.
     *
     * @param sanitizer    for the statements' shapes
     * @param statements   raw SQL of the victim's transaction, oldest first, ending with the failing one
     * @param participants the database's count of participants when it always gives one (PostgreSQL), else 0
     * @return the key (verbs and tables, no SQL text)
     */
    public static String key(SqlSanitizer sanitizer, String[] statements, int participants) {
        TreeSet<String> shapes = new TreeSet<>();
        for (String sql : statements) {
            if (sql != null) {
                shapes.add(sanitizer.sanitize(sql).summary().toLowerCase(Locale.ROOT));
            }
        }
        return "cycle:" + String.join(",", shapes) + (participants > 0 ? "|participants=" + participants : "");
    }

    /**
     * Counts one occurrence of a cycle under its variant and returns the counts so far, most frequent first.
     *
     * @param fingerprint the cycle's incident fingerprint
     * @param variant     a short text naming the variant (no data)
     * @return for example {@code "victim UPDATE account (3); victim UPDATE ledger (2)"}
     */
    public String count(String fingerprint, String variant) {
        if (variants.size() >= MAX_CYCLES && !variants.containsKey(fingerprint)) {
            return variant + " (1)";
        }
        Map<String, AtomicLong> counts = variants.computeIfAbsent(fingerprint, k -> new ConcurrentHashMap<>());
        AtomicLong n = counts.get(variant);
        if (n == null && counts.size() < MAX_VARIANTS) {
            n = counts.computeIfAbsent(variant, k -> new AtomicLong());
        }
        if (n != null) {
            n.incrementAndGet();
        }
        List<Map.Entry<String, AtomicLong>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort((a, b) -> Long.compare(b.getValue().get(), a.getValue().get()));
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, AtomicLong> e : sorted) {
            if (out.length() > 0) {
                out.append("; ");
            }
            out.append(e.getKey()).append(" (").append(e.getValue().get()).append(')');
        }
        return out.toString();
    }

    /**
     * The cause of a cycle, from the victim's transaction and what the database reported.
     *
     * @param vendor       the database
     * @param victim       the victim's transaction, sanitized, ending with the failing statement
     * @param victimRaw    the same statements as the application wrote them (for locking clauses)
     * @param participants transactions in the cycle as far as known (database's count, or named + 1)
     * @param naming       what forensics found
     * @return the cause
     */
    public static DeadlockCauses.Cause cause(DatabaseVendor vendor, List<SanitizedSql> victim, String[] victimRaw,
                                             int participants, DeadlockForensics.Naming naming) {
        if (participants >= 3) {
            return DeadlockCauses.Cause.RING;
        }
        int n = victim.size();
        if (n == 0) {
            return DeadlockCauses.Cause.OPPOSITE_ORDER;
        }
        SanitizedSql failing = victim.get(n - 1);
        String failingVerb = verbOf(failing.summary());
        String failingTable = tableOfSummary(failing.summary());
        boolean innoDb = vendor == DatabaseVendor.MARIADB || vendor == DatabaseVendor.MYSQL;
        boolean earlierLockingReadSameTable = false;
        boolean earlierSharedReadSameTable = false;
        boolean earlierInsertOtherTable = false;
        boolean earlierWriteSameTable = false;
        for (int i = 0; i < n - 1; i++) {
            String summary = victim.get(i).summary();
            String verb = verbOf(summary);
            String table = tableOfSummary(summary);
            String raw = i < victimRaw.length ? upper(victimRaw[i]) : "";
            boolean sameTable = table != null && table.equals(failingTable);
            if (sameTable && "SELECT".equals(verb) && raw.contains("FOR UPDATE")) {
                earlierLockingReadSameTable = true;
            }
            if (sameTable && "SELECT".equals(verb) && (raw.contains("FOR SHARE") || raw.contains("LOCK IN SHARE MODE"))) {
                earlierSharedReadSameTable = true;
            }
            if (sameTable && ("UPDATE".equals(verb) || "DELETE".equals(verb) || "INSERT".equals(verb))) {
                earlierWriteSameTable = true;
            }
            if (!sameTable && table != null && "INSERT".equals(verb)) {
                earlierInsertOtherTable = true;
            }
        }
        if (naming.gapLocks() || (innoDb && "INSERT".equals(failingVerb) && earlierLockingReadSameTable)) {
            return DeadlockCauses.Cause.GAP_LOCKS;
        }
        if (earlierSharedReadSameTable) {
            return DeadlockCauses.Cause.SHARED_TO_EXCLUSIVE;
        }
        boolean failingLocksParent = "UPDATE".equals(failingVerb) || "DELETE".equals(failingVerb)
                || ("SELECT".equals(failingVerb) && victimRaw.length > 0
                    && upper(victimRaw[victimRaw.length - 1]).contains("FOR UPDATE"));
        if (earlierInsertOtherTable && failingLocksParent && !earlierWriteSameTable) {
            return DeadlockCauses.Cause.FK_LOCK_UPGRADE;
        }
        if (naming.sharedLocks() && !earlierWriteSameTable && !earlierInsertOtherTable) {
            return DeadlockCauses.Cause.SHARED_TO_EXCLUSIVE;
        }
        return DeadlockCauses.Cause.OPPOSITE_ORDER;
    }

    /**
     * The tables of the cycle in the order to lock them: for the FK upgrade the child then the parent (the
     * hint says which is the parent), otherwise alphabetical, so that both sides of a race get the same
     * advice.
     */
    public static List<String> lockOrder(DeadlockCauses.Cause cause, List<SanitizedSql> victim) {
        List<String> tables = new ArrayList<>(2);
        for (SanitizedSql sql : victim) {
            String table = tableOfSummary(sql.summary());
            if (table != null && !tables.contains(table)) {
                tables.add(table);
            }
        }
        if (cause == DeadlockCauses.Cause.FK_LOCK_UPGRADE && !victim.isEmpty()) {
            String parent = tableOfSummary(victim.get(victim.size() - 1).summary());
            tables.remove(parent);
            if (parent != null) {
                tables.add(parent);
            }
            return tables;
        }
        tables.sort(null);
        return tables;
    }

    /** "UPDATE account" gives "account"; {@code null} without a table. */
    static String tableOfSummary(String summary) {
        if (summary == null) {
            return null;
        }
        int space = summary.indexOf(' ');
        if (space <= 0 || space >= summary.length() - 1) {
            return null;
        }
        return summary.substring(space + 1).toLowerCase(Locale.ROOT);
    }

    private static String verbOf(String summary) {
        if (summary == null) {
            return "";
        }
        int space = summary.indexOf(' ');
        return (space < 0 ? summary : summary.substring(0, space)).toUpperCase(Locale.ROOT);
    }

    private static String upper(String s) {
        return s == null ? "" : s.toUpperCase(Locale.ROOT);
    }
}
