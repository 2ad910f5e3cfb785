package io.incidentsdk.internal;

/** The bounds of every field of an incident record (UTF-16 chars or element counts). */
public final class Limits {
    /** Fingerprint length. */
    public static final int FINGERPRINT = 255;
    /** Incident and event identifiers. */
    public static final int ID = 64;
    /** Title. */
    public static final int TITLE = 130;
    /** Summary. */
    public static final int SUMMARY = 2_000;
    /** Short labels: names, versions, SQLStates, classes, thread names. */
    public static final int SHORT = 256;
    /** A JDBC URL. */
    public static final int URL = 512;
    /** A (sanitized) driver message. */
    public static final int MESSAGE = 1_000;
    /** A sanitized SQL statement. */
    public static final int SQL = 4_000;
    /** One hint or timeline detail. */
    public static final int DETAIL = 500;
    /** Statements per incident. */
    public static final int STATEMENTS = 16;
    /** Earlier statement fingerprints per transaction. */
    public static final int TRANSACTION_STATEMENTS = 32;
    /** Earlier statements of a transaction whose SQL a record carries (the fingerprints go further). */
    public static final int TRANSACTION_SQL = 8;
    /** Hints per incident. */
    public static final int HINTS = 10;
    /** Timeline entries per incident: the first {@link #TIMELINE_HEAD} and the latest others. */
    public static final int TIMELINE = 100;
    /** Timeline entries always kept from the start of an incident. */
    public static final int TIMELINE_HEAD = 20;
    /** User attributes per incident. */
    public static final int ATTRIBUTES = 32;
    /** Attribute key length. */
    public static final int ATTRIBUTE_KEY = 64;
    /** Entries of maps and lists inside {@code impact}. */
    public static final int IMPACT_ENTRIES = 20;

    private Limits() {
    }
}
