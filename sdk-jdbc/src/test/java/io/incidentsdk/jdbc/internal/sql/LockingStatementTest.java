package io.incidentsdk.jdbc.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentsdk.jdbc.internal.sql.LockingStatement.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a statement locks, read from its text. */
class LockingStatementTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "UPDATE account SET balance = balance - ? WHERE id = ?|UPDATE|account|2|false",
        "update public.Account set x = ? where id = ? and version = ?|UPDATE|account|2|false",
        "UPDATE \"Account\" SET x = 1 WHERE id = 42|UPDATE|account|0|true",
        "DELETE FROM t WHERE id = ?|DELETE|t|1|false",
        "DELETE FROM t WHERE id = ? OR id = ?|DELETE|t|0|false",
        "INSERT INTO ledger (id, amount) VALUES (?, ?)|INSERT|ledger|0|false",
        "SELECT * FROM account WHERE id = ? FOR UPDATE|SELECT_FOR_UPDATE|account|1|false",
        "SELECT * FROM account a WHERE a.id = ? FOR NO KEY UPDATE|SELECT_FOR_UPDATE|account|1|false",
        "SELECT * FROM account WHERE id = ? FOR SHARE|SELECT_FOR_SHARE|account|1|false",
        "SELECT * FROM `account` WHERE id = ? LOCK IN SHARE MODE|SELECT_FOR_SHARE|account|1|false",
        "SELECT id FROM account WHERE id IN (?, ?) ORDER BY id FOR UPDATE|SELECT_FOR_UPDATE|account|0|false",
        "UPDATE t SET x = ? WHERE id < ?|UPDATE|t|0|false",
        "UPDATE t SET x = ? WHERE id = (SELECT max(id) FROM t)|UPDATE|t|0|false",
        "UPDATE t SET x = ? WHERE name = 'a=b' AND id = ?|UPDATE|t|0|false",
    })
    void readsTheLockedTableAndTheKeyThatPicksTheRow(String sql, Kind kind, String table, int key, boolean literal) {
        LockingStatement s = LockingStatement.of(sql);
        assertThat(s.kind()).isEqualTo(kind);
        assertThat(s.table()).isEqualTo(table);
        assertThat(s.keyParameter()).isEqualTo(key);
        assertThat(s.hasLiteralKey()).isEqualTo(literal);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "SELECT * FROM account WHERE id = ?",
        "CREATE TABLE t (id INT)",
        "SET autocommit = 0",
        "'unterminated",
        "WITH x AS (SELECT 1) SELECT * FROM x",
        "CALL transfer(?, ?)",
    })
    void aStatementThatTakesNoRowLockIsNone(String sql) {
        assertThat(LockingStatement.of(sql).locks()).isFalse();
    }
}
