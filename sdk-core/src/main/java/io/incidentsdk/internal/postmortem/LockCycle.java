package io.incidentsdk.internal.postmortem;

import io.incidentsdk.Incident;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.StatementInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The lock cycle of a deadlock incident as a reader follows it: its transactions in order (the victim first,
 * then the others as the record lists them, which for PostgreSQL is the order of the database's report), each
 * with what it ran before and the statement it waited in, each waiting for the next and the last for the first.
 * Everything comes from the record's sanitized statements: no bind value or literal can appear. Earlier
 * statements are named by the SQL the record carries for them ({@code transactionSql}), or else where any
 * statement of the related records has the same fingerprint.
 *
 * <p>Internal: not part of the public API.
 *
 * @param transactions the transactions, {@code T1} (the victim) first
 * @param cause        the recorded cause, or {@code null}
 * @param reported     how many transactions the database named in the cycle, {@code 0} when not recorded
 */
public record LockCycle(List<Transaction> transactions, DeadlockCauses.Cause cause, int reported) {

    /**
     * One transaction of the cycle.
     *
     * @param name       {@code T1}, {@code T2}, ...
     * @param victim     whether the database rolled it back to break the cycle
     * @param thread     its application thread, or {@code null}
     * @param callSite   the application code that ran its statement of the cycle, or {@code null}
     * @param earlier    the SQL of its earlier statements, in order, where known
     * @param unnamed    how many earlier statements have no SQL in the records
     * @param waitingSql the statement it waited in, or {@code null} when not recorded
     */
    public record Transaction(String name, boolean victim, String thread, String callSite, List<String> earlier,
                              int unnamed, String waitingSql) {
    }

    /**
     * The cycle of a deadlock incident, or {@code null} when the record names no other transaction.
     *
     * @param incident a deadlock incident
     * @param sqlByFingerprint SQL of every statement of the related records, by fingerprint
     * @return the cycle, or {@code null}
     */
    public static LockCycle of(Incident incident, Map<String, String> sqlByFingerprint) {
        if (Causes.failureOf(incident) != IncidentKind.DEADLOCK) {
            return null;
        }
        List<StatementInfo> ordered = new ArrayList<>();
        incident.statements().stream().filter(s -> s.role() == StatementInfo.Role.VICTIM).limit(1)
                .forEach(ordered::add);
        incident.statements().stream().filter(s -> s.role() == StatementInfo.Role.BLOCKER).forEach(ordered::add);
        if (ordered.size() < 2 || ordered.get(0).role() != StatementInfo.Role.VICTIM) {
            return null;
        }
        List<Transaction> transactions = new ArrayList<>();
        for (int i = 0; i < ordered.size(); i++) {
            StatementInfo s = ordered.get(i);
            List<String> earlier = new ArrayList<>();
            int unnamed = 0;
            List<String> fingerprints = s.transactionStatements();
            List<String> carried = s.transactionSql();
            for (int k = 0; k < fingerprints.size(); k++) {
                String fingerprint = fingerprints.get(k);
                String sql = k < carried.size() && carried.size() <= fingerprints.size() ? carried.get(k)
                        : fingerprint == null ? null : sqlByFingerprint.get(fingerprint);
                if (sql != null) {
                    earlier.add(sql);
                } else {
                    unnamed++;
                }
            }
            transactions.add(new Transaction("T" + (i + 1), i == 0, s.thread(), s.callSite(), List.copyOf(earlier),
                    unnamed, s.sql()));
        }
        int reported = 0;
        String participants = incident.attributes().get("deadlock.participants");
        if (participants != null) {
            try {
                reported = Integer.parseInt(participants.strip());
            } catch (NumberFormatException e) {
                reported = 0;
            }
        }
        return new LockCycle(List.copyOf(transactions), DeadlockCauses.of(incident), reported);
    }

    /**
     * The transaction the given one waited for: the next one, the last waiting for the first.
     *
     * @param index the waiting transaction's index
     * @return the index of the one holding what it waited for
     */
    public int waitsFor(int index) {
        return (index + 1) % transactions.size();
    }

    /**
     * What the waiting transaction waited for, in words, for the cycle's cause.
     *
     * @param holder the name of the transaction holding the lock
     * @return for example {@code a row lock T2 held}
     */
    public String lockHeldBy(String holder) {
        if (cause == null) {
            return "a lock " + holder + " held";
        }
        return switch (cause) {
            case OPPOSITE_ORDER, RING -> "a row lock " + holder + " held";
            case FK_LOCK_UPGRADE -> "the shared lock " + holder + "'s foreign-key check held on the parent row";
            case GAP_LOCKS -> "the gap lock " + holder + "'s locking read held";
            case SHARED_TO_EXCLUSIVE -> "the shared lock " + holder + " held on the same row";
        };
    }

    /**
     * Why an earlier statement took a lock, for the causes where the statement alone does not show it.
     *
     * @param sql an earlier statement
     * @return a parenthesised remark, or an empty string
     */
    public String remark(String sql) {
        String head = sql.stripLeading().toUpperCase(Locale.ROOT);
        if (cause == DeadlockCauses.Cause.FK_LOCK_UPGRADE && head.startsWith("INSERT")) {
            return " (its foreign-key check locked the parent row in shared mode)";
        }
        if (cause == DeadlockCauses.Cause.GAP_LOCKS && head.startsWith("SELECT") && head.contains("FOR UPDATE")) {
            return " (a locking read of a key that did not exist: it locked the gap)";
        }
        if (cause == DeadlockCauses.Cause.SHARED_TO_EXCLUSIVE && head.startsWith("SELECT")
                && (head.contains("FOR SHARE") || head.contains("LOCK IN SHARE MODE"))) {
            return " (a shared lock on the row)";
        }
        return "";
    }
}
