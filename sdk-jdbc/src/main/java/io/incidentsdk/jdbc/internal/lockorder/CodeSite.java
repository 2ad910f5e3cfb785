package io.incidentsdk.jdbc.internal.lockorder;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Where the application ran a locking statement: its first {@value #FRAMES} stack frames outside the SDK, the JDK,
 * drivers, pools and frameworks, innermost first ({@code Dao.update(Dao.java:92) < Service.transfer(...)}), so a
 * shared helper still shows the code path that called it. Walked once per new transaction shape (sampled
 * transactions only).
 *
 * <p>Internal: not part of the public API.
 */
final class CodeSite {

    static final int FRAMES = 3;
    private static final StackWalker WALKER = StackWalker.getInstance();
    private static final int MAX_FRAMES = 256;
    private static final String[] SKIPPED = {
        "io.incidentsdk.jdbc.internal.", "io.incidentsdk.jdbc.TransactionRunner", "io.incidentsdk.internal.",
        "io.incidentsdk.spring.", "java.", "javax.", "jdk.", "sun.", "com.sun.",
        "org.postgresql.", "org.mariadb.", "com.mysql.", "org.h2.", "org.hsqldb.", "org.apache.derby.", "org.sqlite.",
        "oracle.jdbc.", "com.microsoft.sqlserver.", "com.zaxxer.hikari.", "org.apache.commons.dbcp",
        "org.apache.tomcat.jdbc.", "com.mchange.", "org.springframework.", "org.hibernate.", "org.jooq.", "org.jdbi.",
        "org.mybatis.", "org.apache.ibatis.", "net.ttddyy.", "com.p6spy.", "io.github.resilience4j.",
        "kotlin.coroutines.", "org.junit.", "org.aspectj."
    };

    private CodeSite() {
    }

    /** The current thread's code site, or {@code null} when every frame is skipped. */
    static String current() {
        try {
            List<String> frames = WALKER.walk(s -> s.limit(MAX_FRAMES).filter(f -> !skipped(f.getClassName()))
                    .limit(FRAMES).map(CodeSite::format).collect(Collectors.toList()));
            return frames.isEmpty() ? null : String.join(" < ", frames);
        } catch (RuntimeException e) {
            return null; // a nicety: never a reason to fail
        }
    }

    private static boolean skipped(String className) {
        if (className.contains("$$") || className.contains("$Proxy") || className.startsWith("jdk.proxy")) {
            return true;
        }
        for (String prefix : SKIPPED) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static String format(StackWalker.StackFrame f) {
        String name = f.getClassName();
        String simple = name.substring(name.lastIndexOf('.') + 1);
        String file = f.getFileName();
        return simple + "." + f.getMethodName() + "(" + (file == null ? "?" : file)
                + (f.getLineNumber() > 0 ? ":" + f.getLineNumber() : "") + ")";
    }
}
