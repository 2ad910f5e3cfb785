package io.incidentsdk.jdbc.internal.forensics;

import io.incidentsdk.jdbc.internal.sql.RowKeys;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what databases say about a deadlock: the session ids in PostgreSQL's error detail, MariaDB's
 * {@code (conn=N)} prefix, and the latest deadlock section of {@code SHOW ENGINE INNODB STATUS}. Every
 * input is bounded before a pattern runs on it, and nothing here throws on malformed text.
 */
final class DeadlockReports {

    private static final Pattern REPORT_TIME = Pattern.compile(
            "LATEST DETECTED DEADLOCK\\s*\\n-+\\s*\\n(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2})");

    /** Text longer than this is cut before parsing (InnoDB status is usually 5 to 30 KB). */
    private static final int MAX_TEXT = 256 * 1024;
    private static final int MAX_CHAIN = 8;

    private static final Pattern PG_PROCESS = Pattern.compile("[Pp]rocess (\\d{1,10})");
    private static final Pattern RELATION = Pattern.compile("in relation \"([^\"]{1,128})\"");
    private static final Pattern MARIADB_CONN = Pattern.compile("^\\(conn=(\\d{1,19})\\)");
    private static final Pattern THREAD_ID = Pattern.compile("(?:MariaDB|MySQL) thread id (\\d{1,19})");
    private static final Pattern TABLE = Pattern.compile("of table `([^`]{1,128})`\\.`([^`]{1,128})`");
    private static final Pattern ROLLED_BACK = Pattern.compile("WE ROLL BACK TRANSACTION \\((\\d)\\)");
    private static final Pattern TRANSACTION_HEADER = Pattern.compile("\\*\\*\\* \\((\\d)\\) TRANSACTION:");

    private static final Pattern H2_WAIT = Pattern.compile("Transaction (\\d{1,10}) attempts to update map <[^>]{0,128}> "
            + "entry with key <([^>]{0,64})> modified by transaction (\\d{1,10})");
    private static final Pattern H2_VICTIM = Pattern.compile("Transaction (\\d{1,10}) has been chosen as a deadlock victim");

    private DeadlockReports() {
    }

    /**
     * One wait of an H2 deadlock's details: transaction {@code waiter} waited for the row {@code holder} had
     * changed, known only by the hash of its key (the key itself is never kept).
     */
    record H2Wait(long waiter, int keyHash, long holder) {
    }

    /**
     * The waits of an H2 (MVStore) deadlock's details, and the victim's H2 transaction id first (as a wait of
     * the victim on itself when no line names it); empty when the message has none. Row keys are hashed here
     * ({@link RowKeys}): only hashes leave this method.
     */
    static List<H2Wait> h2Waits(Throwable error) {
        List<H2Wait> waits = new java.util.ArrayList<>(3);
        long victim = -1L;
        Throwable e = error;
        for (int depth = 0; e != null && depth < MAX_CHAIN && waits.isEmpty(); depth++) {
            String message = bounded(e.getMessage());
            if (message != null) {
                Matcher v = H2_VICTIM.matcher(message);
                if (v.find()) {
                    victim = Long.parseLong(v.group(1));
                }
                Matcher m = H2_WAIT.matcher(message);
                while (m.find() && waits.size() < 16) {
                    waits.add(new H2Wait(Long.parseLong(m.group(1)), keyHash(m.group(2).trim()),
                            Long.parseLong(m.group(3))));
                }
            }
            e = e.getCause();
        }
        if (waits.isEmpty() || victim < 0) {
            return List.of();
        }
        List<H2Wait> ordered = new java.util.ArrayList<>(waits.size() + 1);
        ordered.add(new H2Wait(victim, 0, victim));
        ordered.addAll(waits);
        return ordered;
    }

    private static int keyHash(String key) {
        try {
            return RowKeys.ofLong(Long.parseLong(key));
        } catch (NumberFormatException e) {
            return 0; // a composite or hidden row key: not comparable with bind values
        }
    }

    /** The PostgreSQL backend PIDs named in a deadlock error's detail, in order of appearance. */
    static Set<Long> postgresProcesses(SQLException error) {
        Set<Long> pids = new LinkedHashSet<>();
        SQLException e = error;
        for (int depth = 0; e != null && depth < MAX_CHAIN; depth++) {
            String message = bounded(e.getMessage());
            if (message != null) {
                Matcher m = PG_PROCESS.matcher(message);
                while (m.find()) {
                    pids.add(Long.parseLong(m.group(1)));
                }
            }
            e = e.getNextException();
        }
        return pids;
    }

    /** The relation named by a PostgreSQL error's {@code Where:} part, or {@code null}. */
    static String postgresRelation(SQLException error) {
        String message = bounded(error.getMessage());
        if (message == null) {
            return null;
        }
        Matcher m = RELATION.matcher(message);
        return m.find() ? m.group(1) : null;
    }

    /** MariaDB's server connection id from the {@code (conn=N)} message prefix, or {@code null}. */
    static Long mariaDbConnectionId(SQLException error) {
        String message = error.getMessage();
        if (message == null) {
            return null;
        }
        Matcher m = MARIADB_CONN.matcher(message.length() > 64 ? message.substring(0, 64) : message);
        return m.find() ? Long.valueOf(m.group(1)) : null;
    }

    /**
     * One transaction of an InnoDB deadlock report; {@code gap} when a lock of it is a gap or insert-intention
     * lock, {@code shared} when it holds or waits for a shared (S) record lock.
     */
    record InnoDbTransaction(int number, Long threadId, String query, String table, boolean gap, boolean shared) {
    }

    /**
     * The latest deadlock of an InnoDB status report ({@code rolledBack}: the number of the {@code WE ROLL
     * BACK TRANSACTION} line, not reliable on MariaDB 10.11.18; {@code at}: the report's time stamp, server
     * local time, {@code null} when absent).
     */
    record InnoDbDeadlock(List<InnoDbTransaction> transactions, int rolledBack, java.time.LocalDateTime at) {

        /** The section of a connection id, or {@code null}. */
        InnoDbTransaction byThread(Long threadId) {
            for (InnoDbTransaction t : transactions) {
                if (threadId != null && threadId.equals(t.threadId())) {
                    return t;
                }
            }
            return null;
        }

        InnoDbTransaction victim() {
            for (InnoDbTransaction t : transactions) {
                if (t.number() == rolledBack) {
                    return t;
                }
            }
            return null;
        }
    }

    /**
     * Parses the {@code LATEST DETECTED DEADLOCK} section of {@code SHOW ENGINE INNODB STATUS}.
     *
     * @return the deadlock, or {@code null} when the report has none or it cannot be read
     */
    static InnoDbDeadlock parseInnoDbStatus(String status) {
        String text = bounded(status);
        if (text == null) {
            return null;
        }
        int start = text.indexOf("LATEST DETECTED DEADLOCK");
        if (start < 0) {
            return null;
        }
        int end = text.indexOf("\nTRANSACTIONS\n", start);
        String section = end < 0 ? text.substring(start) : text.substring(start, end);
        List<InnoDbTransaction> transactions = new ArrayList<>(2);
        Matcher header = TRANSACTION_HEADER.matcher(section);
        List<int[]> blocks = new ArrayList<>();
        while (header.find()) {
            blocks.add(new int[] {header.start(), Integer.parseInt(header.group(1))});
        }
        for (int i = 0; i < blocks.size(); i++) {
            int from = blocks.get(i)[0];
            int to = i + 1 < blocks.size() ? blocks.get(i + 1)[0] : section.length();
            transactions.add(transaction(blocks.get(i)[1], section.substring(from, to)));
        }
        Matcher rolled = ROLLED_BACK.matcher(section);
        int victim = rolled.find() ? Integer.parseInt(rolled.group(1)) : -1;
        java.time.LocalDateTime at = null;
        Matcher time = REPORT_TIME.matcher(text.substring(start, Math.min(text.length(), start + 200)));
        if (time.find()) {
            try {
                at = java.time.LocalDateTime.parse(time.group(1).replace(' ', 'T'));
            } catch (java.time.format.DateTimeParseException e) {
                at = null;
            }
        }
        return transactions.isEmpty() ? null : new InnoDbDeadlock(List.copyOf(transactions), victim, at);
    }

    private static InnoDbTransaction transaction(int number, String block) {
        Long threadId = null;
        String query = null;
        Matcher thread = THREAD_ID.matcher(block);
        if (thread.find()) {
            threadId = Long.valueOf(thread.group(1));
            int lineEnd = block.indexOf('\n', thread.end());
            if (lineEnd >= 0) {
                StringBuilder q = new StringBuilder();
                for (String line : block.substring(lineEnd + 1).split("\n", -1)) {
                    if (line.startsWith("***") || line.startsWith("RECORD LOCKS") || line.startsWith("TABLE LOCK")) {
                        break;
                    }
                    if (q.length() > 0) {
                        q.append(' ');
                    }
                    q.append(line.trim());
                }
                query = q.toString().trim();
                if (query.isEmpty()) {
                    query = null;
                }
            }
        }
        Matcher table = TABLE.matcher(block);
        String tableName = table.find() ? table.group(2) : null;
        boolean gap = block.contains("insert intention") || block.contains("locks gap before rec");
        boolean shared = block.contains("lock mode S") || block.contains("lock_mode S");
        return new InnoDbTransaction(number, threadId, query, tableName, gap, shared);
    }

    private static String bounded(String text) {
        if (text == null) {
            return null;
        }
        return text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text;
    }
}
