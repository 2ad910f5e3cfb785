package io.incidentsdk.jdbc.internal.forensics;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentsdk.internal.postmortem.DeadlockCauses.Cause;
import io.incidentsdk.jdbc.DatabaseVendor;
import io.incidentsdk.jdbc.SanitizedSql;
import io.incidentsdk.jdbc.SqlSanitizer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One identity per lock cycle, and the cause of a cycle from the victim's transaction. */
class CycleIdentityTest {

    private static final SqlSanitizer SANITIZER = SqlSanitizer.defaults();

    private static String key(int participants, String... statements) {
        return CycleIdentity.key(SANITIZER, statements, participants);
    }

    @Test
    void eitherSideOfARaceGivesTheSameIdentityNamedOrNot() {
        String a = key(0, "UPDATE account SET balance = balance - 5 WHERE id = 1",
                "UPDATE ledger SET n = n + 1 WHERE id = 2");
        String b = key(0, "UPDATE ledger SET n = n - 1 WHERE id = 2", "UPDATE account SET balance = balance + ? WHERE id = ?");
        assertThat(a).isEqualTo(b);
        assertThat(key(0, "UPDATE account SET balance = balance - ? WHERE id = ?",
                "UPDATE account SET balance = balance + ? WHERE id = ?"))
                .as("a transfer: debit and credit of one table").isEqualTo(key(0, "UPDATE account SET balance = 1 WHERE id = 3"));
    }

    @Test
    void otherTablesOtherKindsOfStatementAndOtherParticipantCountsAreOtherCycles() {
        String pair = key(2, "UPDATE account SET balance = ? WHERE id = ?");
        assertThat(key(3, "UPDATE account SET balance = ? WHERE id = ?")).isNotEqualTo(pair);
        assertThat(key(2, "UPDATE orders SET state = ? WHERE id = ?")).isNotEqualTo(pair);
        assertThat(key(2, "SELECT balance FROM account WHERE id = ? FOR UPDATE",
                "UPDATE account SET balance = ? WHERE id = ?")).isNotEqualTo(pair);
        assertThat(pair).doesNotContain("?").doesNotContain("balance");
    }

    private static Cause cause(DatabaseVendor vendor, int participants, String... statements) {
        List<SanitizedSql> sanitized = Arrays.stream(statements).map(SANITIZER::sanitize).toList();
        return CycleIdentity.cause(vendor, sanitized, statements, participants,
                DeadlockForensics.Naming.none(null));
    }

    @Test
    void theCauseIsReadFromWhatTheVictimsTransactionDid() {
        assertThat(cause(DatabaseVendor.POSTGRESQL, 2, "UPDATE a SET v = 1 WHERE id = 1", "UPDATE a SET v = 1 WHERE id = 2"))
                .isEqualTo(Cause.OPPOSITE_ORDER);
        assertThat(cause(DatabaseVendor.POSTGRESQL, 3, "UPDATE a SET v = 1 WHERE id = 1", "UPDATE a SET v = 1 WHERE id = 2"))
                .isEqualTo(Cause.RING);
        assertThat(cause(DatabaseVendor.MARIADB, 2, "INSERT INTO child (id, parent_id) VALUES (?, ?)",
                "UPDATE parent SET v = v + 1 WHERE id = ?")).isEqualTo(Cause.FK_LOCK_UPGRADE);
        assertThat(cause(DatabaseVendor.MARIADB, 2, "SELECT v FROM slot WHERE id = ? FOR UPDATE",
                "INSERT INTO slot (id, v) VALUES (?, ?)")).isEqualTo(Cause.GAP_LOCKS);
        assertThat(cause(DatabaseVendor.POSTGRESQL, 2, "SELECT v FROM a WHERE id = ? FOR SHARE",
                "UPDATE a SET v = ? WHERE id = ?")).isEqualTo(Cause.SHARED_TO_EXCLUSIVE);
        assertThat(cause(DatabaseVendor.POSTGRESQL, 2, "UPDATE a SET v = 1 WHERE id = 1", "UPDATE b SET v = 1 WHERE id = 1"))
                .isEqualTo(Cause.OPPOSITE_ORDER);
    }

    @Test
    void theLockOrderAdvisedIsTheSameWhicheverSideLost() {
        List<SanitizedSql> one = List.of(SANITIZER.sanitize("UPDATE ledger SET n = 1"), SANITIZER.sanitize("UPDATE account SET n = 1"));
        List<SanitizedSql> other = List.of(SANITIZER.sanitize("UPDATE account SET n = 1"), SANITIZER.sanitize("UPDATE ledger SET n = 1"));
        assertThat(CycleIdentity.lockOrder(Cause.OPPOSITE_ORDER, one)).containsExactly("account", "ledger")
                .isEqualTo(CycleIdentity.lockOrder(Cause.OPPOSITE_ORDER, other));
    }

    @Test
    void variantsAreCountedInsideTheirCycle() {
        CycleIdentity identity = new CycleIdentity();
        identity.count("f1", "victim UPDATE account");
        identity.count("f1", "victim UPDATE ledger");
        assertThat(identity.count("f1", "victim UPDATE account"))
                .isEqualTo("victim UPDATE account (2); victim UPDATE ledger (1)");
        assertThat(identity.count("f2", "victim UPDATE account")).isEqualTo("victim UPDATE account (1)");
    }

    @Test
    void theCallSiteIsTheFirstFrameOutsideTheSdkTheDriverThePoolAndProxies() {
        // (the end-to-end call site of a real victim is checked by the scenario suite in ...jdbc.forensics)
        assertThat(CallSite.skipped("com.zaxxer.hikari.pool.ProxyConnection")).isTrue();
        assertThat(CallSite.skipped("org.postgresql.jdbc.PgStatement")).isTrue();
        assertThat(CallSite.skipped("com.shop.TransferService$$SpringCGLIB$$0")).isTrue();
        assertThat(CallSite.skipped("io.incidentsdk.jdbc.internal.wrap.WatchedStatement")).isTrue();
        assertThat(CallSite.skipped("com.shop.TransferService")).isFalse();
    }
}
