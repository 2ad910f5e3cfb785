package io.incidentsdk.jdbc.internal.forensics;

import java.util.Optional;

/**
 * The application's call site of a failed JDBC call: the first stack frame outside the SDK, the JDK, the
 * drivers, the pools and the frameworks' proxies. Walked only on the failure path (a {@link StackWalker}
 * that stops at the first such frame); the success path never pays for it.
 *
 * <p>Internal: not part of the public API.
 */
public final class CallSite {

    private static final StackWalker WALKER = StackWalker.getInstance();
    private static final int MAX_FRAMES = 256;

    private static final String[] SKIPPED = {
        "io.incidentsdk.jdbc.internal.", "io.incidentsdk.jdbc.TransactionRunner", "io.incidentsdk.internal.",
        "io.incidentsdk.IncidentSdk", "io.incidentsdk.spring.", "java.", "javax.", "jdk.", "sun.", "com.sun.",
        "org.postgresql.", "org.mariadb.", "com.mysql.", "org.h2.", "org.hsqldb.", "org.apache.derby.",
        "org.sqlite.", "oracle.jdbc.", "com.microsoft.sqlserver.", "com.zaxxer.hikari.", "org.apache.commons.dbcp",
        "org.apache.tomcat.jdbc.", "com.mchange.", "org.springframework.", "org.hibernate.", "org.jooq.",
        "org.jdbi.", "org.mybatis.", "org.apache.ibatis.", "net.ttddyy.", "com.p6spy.", "io.github.resilience4j.",
        "kotlin.coroutines.", "org.junit.", "org.aspectj."
    };

    private CallSite() {
    }

    /**
     * The call site of the current thread's JDBC call.
     *
     * @return {@code Class.method(File.java:42)}, or {@code null} when every frame is skipped
     */
    public static String current() {
        try {
            Optional<StackWalker.StackFrame> frame = WALKER.walk(frames -> frames.limit(MAX_FRAMES)
                    .filter(f -> !skipped(f.getClassName())).findFirst());
            return frame.map(CallSite::format).orElse(null);
        } catch (RuntimeException e) {
            return null; // a call site is a nicety: never a reason to fail
        }
    }

    static boolean skipped(String className) {
        if (className.contains("$$") || className.contains("$Proxy") || className.startsWith("jdk.proxy")) {
            return true; // generated proxies (CGLIB, ByteBuddy, JDK dynamic proxies)
        }
        for (String prefix : SKIPPED) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static String format(StackWalker.StackFrame f) {
        String file = f.getFileName();
        return f.getClassName() + "." + f.getMethodName() + "(" + (file == null ? "?" : file)
                + (f.getLineNumber() > 0 ? ":" + f.getLineNumber() : "") + ")";
    }
}
