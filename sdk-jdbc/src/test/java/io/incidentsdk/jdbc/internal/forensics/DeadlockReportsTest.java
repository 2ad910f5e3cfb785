package io.incidentsdk.jdbc.internal.forensics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** Reading the latest deadlock of an InnoDB report through all its transaction sections. */
class DeadlockReportsTest {

    /** As MariaDB 10.11.18 wrote it: the victim (thread 56, error 1213) is section (1), the line names (2). */
    private static final String REPORT = """
            =====================================
            2026-12-02 22:10:01 0x7f2b INNODB MONITOR OUTPUT
            =====================================
            ------------------------
            LATEST DETECTED DEADLOCK
            ------------------------
            2026-12-02 22:10:01 0x7f2b1c0f7700
            *** (1) TRANSACTION:
            TRANSACTION 334, ACTIVE 0 sec starting index read
            mysql tables in use 1, locked 1
            MariaDB thread id 56, OS thread handle 139, query id 277 127.0.0.1 app Updating
            UPDATE t SET v = v + 10 WHERE id = 2
            *** WAITING FOR THIS LOCK TO BE GRANTED:
            RECORD LOCKS space id 5 page no 3 n bits 72 index PRIMARY of table `app`.`t` trx id 334 lock_mode X locks rec but not gap waiting
            *** (2) TRANSACTION:
            TRANSACTION 335, ACTIVE 0 sec inserting
            MariaDB thread id 57, OS thread handle 140, query id 278 127.0.0.1 app Update
            INSERT INTO t VALUES (15, 1)
            *** WAITING FOR THIS LOCK TO BE GRANTED:
            RECORD LOCKS space id 5 page no 3 n bits 72 index PRIMARY of table `app`.`t` trx id 335 lock_mode X locks gap before rec insert intention waiting
            *** WE ROLL BACK TRANSACTION (2)
            ------------
            TRANSACTIONS
            ------------
            """;

    @Test
    void everySectionIsReadAndTheVictimIsFoundByItsConnectionIdNotByTheRollBackLine() {
        DeadlockReports.InnoDbDeadlock deadlock = DeadlockReports.parseInnoDbStatus(REPORT);

        assertThat(deadlock.transactions()).extracting(DeadlockReports.InnoDbTransaction::threadId)
                .containsExactly(56L, 57L);
        assertThat(deadlock.rolledBack()).as("the line names the other one on 10.11.18").isEqualTo(2);
        assertThat(deadlock.byThread(56L).query()).isEqualTo("UPDATE t SET v = v + 10 WHERE id = 2");
        assertThat(deadlock.byThread(57L).gap()).as("an insert-intention lock on a gap").isTrue();
        assertThat(deadlock.byThread(56L).gap()).isFalse();
        assertThat(deadlock.byThread(58L)).isNull();
        assertThat(deadlock.at()).isEqualTo(LocalDateTime.of(2026, 12, 2, 22, 10, 1));
    }

    @Test
    void theReportMustBeDatedAtTheFailureAllowingForTheServersTimeZone() {
        LocalDateTime at = LocalDateTime.of(2026, 12, 2, 22, 10, 1);
        long failure = at.atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
        assertThat(DeadlockForensics.sameTime(at, failure + 900)).isTrue();
        assertThat(DeadlockForensics.sameTime(at, failure + 3_600_000L + 400)).as("a server an hour off").isTrue();
        assertThat(DeadlockForensics.sameTime(at, failure + 60_000L)).as("a deadlock a minute earlier").isFalse();
        assertThat(DeadlockForensics.sameTime(null, failure)).isTrue();
    }

    @Test
    void malformedTextGivesNothingRatherThanAnError() {
        assertThat(DeadlockReports.parseInnoDbStatus(null)).isNull();
        assertThat(DeadlockReports.parseInnoDbStatus("no deadlock here")).isNull();
        assertThat(DeadlockReports.parseInnoDbStatus("LATEST DETECTED DEADLOCK\n*** (x) TRANSACTION:")).isNull();
    }

    /** A section as MariaDB 10.11 writes it for a wait on a row of an INT primary key (id 1). */
    private static final String WAITING_ON_ROW_1 = """
            *** (1) TRANSACTION:
            TRANSACTION 1007749, ACTIVE 1 sec starting index read
            MariaDB thread id 18602, OS thread handle 131265549416128, query id 2045694 127.0.0.1 app Updating
            UPDATE dl SET b=b+1 WHERE id=1
            *** WAITING FOR THIS LOCK TO BE GRANTED:
            RECORD LOCKS space id 798 page no 3 n bits 320 index PRIMARY of table `app`.`dl` trx id 1007749 lock_mode X locks rec but not gap waiting
            Record lock, heap no 2 PHYSICAL RECORD: n_fields 4; compact format; info bits 0
             0: len 4; hex 80000001; asc     ;;
             1: len 6; hex 0000000f6084; asc     ` ;;
            """;

    @Test
    void theRowATransactionWaitsForIsReadAsAHashOfItsIntegerPrimaryKey() {
        assertThat(DeadlockReports.waitingKeys(WAITING_ON_ROW_1))
                .contains(io.incidentsdk.jdbc.internal.sql.RowKeys.ofLong(1L))
                .doesNotContain(io.incidentsdk.jdbc.internal.sql.RowKeys.ofLong(2L));
        String bigint = WAITING_ON_ROW_1.replace("len 4; hex 80000001", "len 8; hex 800000000000002a");
        assertThat(DeadlockReports.waitingKeys(bigint)).contains(io.incidentsdk.jdbc.internal.sql.RowKeys.ofLong(42L));
        String negative = WAITING_ON_ROW_1.replace("hex 80000001", "hex 7fffffff");
        assertThat(DeadlockReports.waitingKeys(negative)).contains(io.incidentsdk.jdbc.internal.sql.RowKeys.ofLong(-1L));
        assertThat(DeadlockReports.waitingKeys(WAITING_ON_ROW_1.replace("index PRIMARY", "index idx_b")))
                .as("a secondary index record does not carry the primary key first").isEmpty();
        assertThat(DeadlockReports.waitingKeys(REPORT)).as("no record printed").isEmpty();
    }
}
