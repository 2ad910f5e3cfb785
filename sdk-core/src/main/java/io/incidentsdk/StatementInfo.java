package io.incidentsdk;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.incidentsdk.internal.Limits;
import io.incidentsdk.internal.Text;
import java.util.List;

/**
 * A statement involved in an incident. The SQL is always sanitized: literals are replaced by {@code ?}
 * before a statement reaches a record.
 *
 * @param role                  what the statement did in the incident
 * @param fingerprint           the statement fingerprint (same statement shape, same fingerprint)
 * @param sql                   the sanitized SQL
 * @param thread                the application thread that ran it
 * @param connectionId          the SDK's id of the connection
 * @param backendId             the database's id of the session (PostgreSQL backend PID, MariaDB connection id)
 * @param transactionAgeMillis  how long the statement's transaction had been running
 * @param transactionStatements fingerprints of the earlier statements of the same transaction, oldest first
 * @param callSite              the application code that ran it ({@code Class.method(File.java:42)}: the first
 *                              frame outside the SDK, the JDK, drivers, pools and framework proxies), or
 *                              {@code null} when not known
 * @param transactionSql        the sanitized SQL of the earlier statements of the same transaction, oldest first,
 *                              as far as the SDK kept them (at most 8
 *                              entries, each position matching {@code transactionStatements}); empty when not
 *                              known. Since 0.2.0.
 * @since 0.1.0
 */
public record StatementInfo(Role role, String fingerprint, String sql, String thread, String connectionId,
                            String backendId, Long transactionAgeMillis, List<String> transactionStatements,
                            String callSite, List<String> transactionSql) {

    /**
     * The part a statement played.
     *
     * @since 0.1.0
     */
    public enum Role {
        /** The statement the database chose to fail (for example the deadlock victim). */
        @JsonProperty("victim") VICTIM,
        /** A statement of another transaction that held what the victim waited for. */
        @JsonProperty("blocker") BLOCKER,
        /** A statement that failed on its own; also what a role unknown to this version reads as. */
        @JsonProperty("failed") @com.fasterxml.jackson.annotation.JsonEnumDefaultValue FAILED
    }

    /**
     * Cleans and bounds every field; {@code role} is required, {@code transactionAgeMillis} must not be
     * negative; a blank connection or backend id becomes {@code null}.
     *
     * @param role                  what the statement did in the incident
     * @param fingerprint           the statement fingerprint (same statement shape, same fingerprint)
     * @param sql                   the sanitized SQL
     * @param thread                the application thread that ran it
     * @param connectionId          the SDK's id of the connection
     * @param backendId             the database's id of the session (PostgreSQL backend PID, MariaDB connection id)
     * @param transactionAgeMillis  how long the statement's transaction had been running
     * @param transactionStatements fingerprints of the earlier statements of the same transaction, oldest first
     * @param callSite              the application code that ran it, or {@code null} when not known
     * @param transactionSql        the sanitized SQL of the earlier statements, oldest first, or {@code null}
     */
    public StatementInfo {
        if (role == null) {
            throw new NullPointerException("role must not be null");
        }
        if (transactionAgeMillis != null && transactionAgeMillis < 0) {
            throw new IllegalArgumentException("transactionAgeMillis must be >= 0, was " + transactionAgeMillis);
        }
        fingerprint = Text.field(Text.Field.FINGERPRINT, fingerprint);
        sql = Text.field(Text.Field.SQL, sql);
        thread = Text.field(Text.Field.SHORT, thread);
        connectionId = Text.cleanId(connectionId, Limits.ID);
        backendId = Text.cleanId(backendId, Limits.ID);
        transactionStatements = Records.boundedList(transactionStatements, Limits.TRANSACTION_STATEMENTS,
                Text.Field.FINGERPRINT);
        callSite = Text.field(Text.Field.SHORT, callSite);
        transactionSql = Records.boundedList(transactionSql, Limits.TRANSACTION_SQL, Text.Field.SQL);
    }

    /**
     * A statement without the SQL of its transaction's earlier statements (the form of 0.1.0).
     *
     * @param role                  what the statement did in the incident
     * @param fingerprint           the statement fingerprint
     * @param sql                   the sanitized SQL
     * @param thread                the application thread that ran it
     * @param connectionId          the SDK's id of the connection
     * @param backendId             the database's id of the session
     * @param transactionAgeMillis  how long the statement's transaction had been running
     * @param transactionStatements fingerprints of the earlier statements of the same transaction, oldest first
     * @param callSite              the application code that ran it, or {@code null}
     * @since 0.1.0
     */
    public StatementInfo(Role role, String fingerprint, String sql, String thread, String connectionId,
                         String backendId, Long transactionAgeMillis, List<String> transactionStatements,
                         String callSite) {
        this(role, fingerprint, sql, thread, connectionId, backendId, transactionAgeMillis, transactionStatements,
                callSite, null);
    }

    /**
     * A statement whose call site is not known.
     *
     * @param role                  what the statement did in the incident
     * @param fingerprint           the statement fingerprint
     * @param sql                   the sanitized SQL
     * @param thread                the application thread that ran it
     * @param connectionId          the SDK's id of the connection
     * @param backendId             the database's id of the session
     * @param transactionAgeMillis  how long the statement's transaction had been running
     * @param transactionStatements fingerprints of the earlier statements of the same transaction, oldest first
     */
    public StatementInfo(Role role, String fingerprint, String sql, String thread, String connectionId,
                         String backendId, Long transactionAgeMillis, List<String> transactionStatements) {
        this(role, fingerprint, sql, thread, connectionId, backendId, transactionAgeMillis, transactionStatements,
                null, null);
    }
}
