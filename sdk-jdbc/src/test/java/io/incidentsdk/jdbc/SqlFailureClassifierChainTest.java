package io.incidentsdk.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.incidentsdk.jdbc.internal.classify.ExceptionChain;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.h2.jdbc.JdbcSQLTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** Chain walking, rule order, user rules, null handling and vendor fallbacks. */
class SqlFailureClassifierChainTest {

    private final SqlFailureClassifier classifier = SqlFailureClassifier.defaults();

    @Test
    void aDeadlockHiddenBehindAWrapperIsStillADeadlock() {
        PSQLException deadlock = pg("40P01", "deadlock detected");
        SQLException wrapper = new SQLException("could not execute statement", deadlock);

        SqlFailure failure = classifier.classify(wrapper, DatabaseVendor.POSTGRESQL);

        assertThat(failure.category()).isEqualTo(SqlFailureCategory.DEADLOCK);
        assertThat((Object) failure.matched()).isSameAs(deadlock);
        assertThat(failure.sqlState()).isEqualTo("40P01");
    }

    @Test
    void aDeadlockBehindANonSqlExceptionInTheCauseChainIsFound() {
        SQLException deadlock = new SQLTransactionRollbackException("Deadlock found", "40001", 1213);
        SQLException top = new SQLException("wrapped", new IllegalStateException("framework", deadlock));

        SqlFailure failure = classifier.classify(top, DatabaseVendor.MYSQL);

        assertThat(failure.rule()).isEqualTo("mysql:1213");
        assertThat((Object) failure.matched()).isSameAs(deadlock);
    }

    @Test
    void aDeadlockInTheNextExceptionOfABatchFailureIsFound() {
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 was aborted", null, 0, new int[0]);
        PSQLException deadlock = pg("40P01", "deadlock detected");
        batch.setNextException(deadlock);

        SqlFailure failure = classifier.classify(batch, DatabaseVendor.POSTGRESQL);

        assertThat(failure.category()).isEqualTo(SqlFailureCategory.DEADLOCK);
        assertThat((Object) failure.matched()).isSameAs(deadlock);
    }

    @Test
    void aVendorCodeDeeperInTheChainBeatsAGenericSqlStateHigherUp() {
        // a wrapper that copied a misleading SQLState and subclass, around the real MySQL lock wait timeout
        SQLException lockTimeout = new SQLException("Lock wait timeout exceeded", "HY000", 1205);
        SQLException wrapper = new SQLTransactionRollbackException("rolled back", "40001", 0, lockTimeout);

        SqlFailure failure = classifier.classify(wrapper, DatabaseVendor.MYSQL);

        assertThat(failure.category()).isEqualTo(SqlFailureCategory.LOCK_TIMEOUT);
        assertThat(failure.rolledBack()).isEqualTo(RollbackScope.STATEMENT);
        assertThat((Object) failure.matched()).isSameAs(lockTimeout);
    }

    @Test
    void withinATierTheFirstExceptionOfTheChainWins() {
        SQLException timeout = new SQLException("Lock wait timeout exceeded", "HY000", 1205);
        SQLException deadlock = new SQLTransactionRollbackException("Deadlock found", "40001", 1213, timeout);

        assertThat(classifier.classify(deadlock, DatabaseVendor.MYSQL).rule()).isEqualTo("mysql:1213");
    }

    @Test
    void causesAreWalkedBeforeNextExceptions() {
        SQLException viaNext = new SQLException("Lock wait timeout exceeded", "HY000", 1205);
        SQLException viaCause = new SQLTransactionRollbackException("Deadlock found", "40001", 1213);
        SQLException top = new SQLException("top", viaCause);
        top.setNextException(viaNext);

        List<SQLException> chain = ExceptionChain.of(top);

        assertThat(chain).containsExactly(top, viaCause, viaNext);
        assertThat(classifier.classify(top, DatabaseVendor.MYSQL).rule()).isEqualTo("mysql:1213");
    }

    @Test
    void aCauseCycleEndsTheWalk() {
        SQLException first = new SQLException("first");
        SQLException second = new SQLException("second");
        first.initCause(second);
        second.initCause(first);

        SqlFailure failure = classifier.classify(first, DatabaseVendor.POSTGRESQL);

        assertThat(failure.category()).isEqualTo(SqlFailureCategory.UNKNOWN);
        assertThat(ExceptionChain.of(first)).containsExactly(first, second);
    }

    @Test
    void aNextExceptionPointingBackToItselfEndsTheWalk() {
        SQLException self = new SQLException("self", "XX999");
        self.setNextException(self);
        SQLException deadlock = new SQLTransactionRollbackException("Deadlock found", "40001", 1213);
        SQLException top = new SQLException("top", deadlock);
        deadlock.setNextException(top);

        assertThat(classifier.classify(self, DatabaseVendor.MYSQL).category()).isEqualTo(SqlFailureCategory.UNKNOWN);
        assertThat(classifier.classify(top, DatabaseVendor.MYSQL).category()).isEqualTo(SqlFailureCategory.DEADLOCK);
    }

    @Test
    void theWalkStopsAfter32Throwables() {
        assertThat(classifier.classify(wrappedDeadlock(ExceptionChain.MAX_THROWABLES - 1), DatabaseVendor.MYSQL)
                .category()).isEqualTo(SqlFailureCategory.DEADLOCK);
        assertThat(classifier.classify(wrappedDeadlock(ExceptionChain.MAX_THROWABLES), DatabaseVendor.MYSQL)
                .category()).isEqualTo(SqlFailureCategory.UNKNOWN);
    }

    @Test
    void theWalkStopsAfter32ThrowablesOnALongNextExceptionChainToo() {
        SQLException top = new SQLException("batch entry 0", "XX999");
        for (int i = 1; i < 1000; i++) {
            top.setNextException(new SQLException("batch entry " + i, "XX999"));
        }

        assertThat(ExceptionChain.of(top)).hasSize(ExceptionChain.MAX_THROWABLES);
    }

    @Test
    void aUserRuleOverridesABuiltInRule() {
        SqlFailureClassifier custom = SqlFailureClassifier.builder()
                .rule((e, vendor) -> "40P01".equals(e.getSQLState())
                        ? SqlFailure.of(e, SqlFailureCategory.LOCK_TIMEOUT, RollbackScope.STATEMENT, "app:40P01")
                        : null)
                .build();

        SqlFailure failure = custom.classify(pg("40P01", "deadlock detected"), DatabaseVendor.POSTGRESQL);

        assertThat(failure.category()).isEqualTo(SqlFailureCategory.LOCK_TIMEOUT);
        assertThat(failure.rolledBack()).isEqualTo(RollbackScope.STATEMENT);
        assertThat(failure.rule()).isEqualTo("app:40P01");
        assertThat(failure.sqlState()).isEqualTo("40P01");
        assertThat(failure.exceptionClass()).isEqualTo(PSQLException.class.getName());
    }

    @Test
    void aUserRuleAnsweringUnknownSilencesTheBuiltInRule() {
        SqlFailureClassifier custom = SqlFailureClassifier.builder()
                .rule((e, vendor) -> SqlFailure.of(e, SqlFailureCategory.UNKNOWN, RollbackScope.UNKNOWN, "app:mute"))
                .build();

        SqlFailure failure = custom.classify(pg("40P01", "deadlock detected"), DatabaseVendor.POSTGRESQL);

        assertThat(failure.category()).isEqualTo(SqlFailureCategory.UNKNOWN);
        assertThat(failure.rule()).isEqualTo("app:mute");
    }

    @Test
    void userRulesRunInRegistrationOrderOnEveryExceptionOfTheChainWithTheEffectiveVendor() {
        List<String> seen = new ArrayList<>();
        PSQLException inner = pg("40P01", "deadlock detected");
        SQLException top = new SQLException("wrapper", inner);
        SqlFailureClassifier custom = SqlFailureClassifier.builder()
                .rule((e, vendor) -> {
                    seen.add("first:" + e.getMessage() + ":" + vendor);
                    return null;
                })
                .rule((e, vendor) -> {
                    seen.add("second:" + e.getMessage() + ":" + vendor);
                    return e == inner ? SqlFailure.of(e, SqlFailureCategory.DEADLOCK, RollbackScope.TRANSACTION,
                            "app:second") : null;
                })
                .build();

        SqlFailure failure = custom.classify(top, DatabaseVendor.UNKNOWN);

        assertThat(failure.rule()).isEqualTo("app:second");
        assertThat(seen).containsExactly(
                "first:wrapper:UNKNOWN", "first:" + inner.getMessage() + ":POSTGRESQL",
                "second:wrapper:UNKNOWN", "second:" + inner.getMessage() + ":POSTGRESQL");
    }

    @Test
    void aUserRuleThatThrowsIsSkippedAndTheBuiltInRulesStillApply() {
        AtomicInteger calls = new AtomicInteger();
        SqlFailureClassifier custom = SqlFailureClassifier.builder()
                .rule((e, vendor) -> {
                    calls.incrementAndGet();
                    throw new IllegalStateException("broken rule");
                })
                .build();

        SqlFailure first = custom.classify(pg("40P01", "deadlock detected"), DatabaseVendor.POSTGRESQL);
        SqlFailure second = custom.classify(pg("55P03", "canceling statement due to lock timeout"),
                DatabaseVendor.POSTGRESQL);

        assertThat(first.category()).isEqualTo(SqlFailureCategory.DEADLOCK);
        assertThat(second.category()).isEqualTo(SqlFailureCategory.LOCK_TIMEOUT);
        assertThat(calls).hasValue(2);
    }

    @Test
    void aBuilderWithoutRulesGivesTheDefaults() {
        assertThat(SqlFailureClassifier.builder().build()).isSameAs(SqlFailureClassifier.defaults());
    }

    @Test
    void nullArgumentsAreRejectedWithTheirNameOrTreatedAsUnknownVendor() {
        assertThatNullPointerException().isThrownBy(() -> classifier.classify(null, DatabaseVendor.H2))
                .withMessage("exception");
        assertThatNullPointerException().isThrownBy(() -> SqlFailureClassifier.builder().rule(null))
                .withMessage("rule");
        assertThatNullPointerException()
                .isThrownBy(() -> SqlFailure.of(null, SqlFailureCategory.DEADLOCK, RollbackScope.TRANSACTION, "x"))
                .withMessage("matched");
        assertThatNullPointerException()
                .isThrownBy(() -> SqlFailure.of(new SQLException(), null, RollbackScope.TRANSACTION, "x"))
                .withMessage("category");

        SqlFailure failure = classifier.classify(new SQLException("x", "40001"), null);
        assertThat(failure.rule()).isEqualTo("sqlstate:40001");
    }

    @Test
    void anExceptionWithNoStateNoCodeAndNoMessageIsUnknownNotAnError() {
        SQLException bare = new SQLException();

        SqlFailure failure = classifier.classify(bare, DatabaseVendor.UNKNOWN);

        assertThat(failure.category()).isEqualTo(SqlFailureCategory.UNKNOWN);
        assertThat(failure.rolledBack()).isEqualTo(RollbackScope.UNKNOWN);
        assertThat(failure.rule()).isEqualTo("unknown");
        assertThat(failure.sqlState()).isNull();
        assertThat((Object) failure.matched()).isSameAs(bare);
    }

    @Test
    void anExceptionWhoseAccessorsThrowIsUnknownNotAnError() {
        SQLException hostile = new SQLException("hostile") {
            private static final long serialVersionUID = 1L;

            @Override
            public String getSQLState() {
                throw new IllegalStateException("no state for you");
            }

            @Override
            public int getErrorCode() {
                throw new IllegalStateException("no code either");
            }
        };

        SqlFailure failure = classifier.classify(hostile, DatabaseVendor.MYSQL);

        assertThat(failure.category()).isEqualTo(SqlFailureCategory.UNKNOWN);
        assertThat(failure.sqlState()).isNull();
    }

    @Test
    void withAnUnknownVendorOnlySqlStateAndSubclassRulesApplyToPlainJdbcExceptions() {
        SQLException mysqlDeadlock = new SQLTransactionRollbackException("Deadlock found", "40001", 1213);
        SQLException mysqlLockTimeout = new SQLException("Lock wait timeout exceeded", "HY000", 1205);
        SQLException timeout = new SQLTimeoutException("timed out");

        assertThat(classifier.classify(mysqlDeadlock, DatabaseVendor.UNKNOWN))
                .extracting(SqlFailure::category, SqlFailure::rule, SqlFailure::rolledBack)
                .containsExactly(SqlFailureCategory.SERIALIZATION_FAILURE, "sqlstate:40001", RollbackScope.TRANSACTION);
        assertThat(classifier.classify(mysqlLockTimeout, DatabaseVendor.UNKNOWN).category())
                .isEqualTo(SqlFailureCategory.UNKNOWN);
        assertThat(classifier.classify(timeout, DatabaseVendor.UNKNOWN))
                .extracting(SqlFailure::category, SqlFailure::rolledBack)
                .containsExactly(SqlFailureCategory.QUERY_TIMEOUT, RollbackScope.UNKNOWN);
    }

    @Test
    void withAnUnknownVendorTheDriverClassTellsTheVendor() {
        SQLException h2LockTimeout = new JdbcSQLTimeoutException("Timeout trying to lock table \"T\"", null, "HYT00",
                50200, null, null);
        SQLException plainLockTimeout = new SQLTimeoutException("Timeout trying to lock table \"T\"", "HYT00", 50200);

        assertThat(classifier.classify(h2LockTimeout, DatabaseVendor.UNKNOWN))
                .extracting(SqlFailure::category, SqlFailure::rule)
                .containsExactly(SqlFailureCategory.LOCK_TIMEOUT, "h2:50200");
        assertThat(classifier.classify(plainLockTimeout, DatabaseVendor.UNKNOWN))
                .extracting(SqlFailure::category, SqlFailure::rule)
                .containsExactly(SqlFailureCategory.QUERY_TIMEOUT, "sqlstate:HYT00");
        assertThat(classifier.classify(pg("40P01", "deadlock detected"), DatabaseVendor.UNKNOWN).rule())
                .isEqualTo("postgresql:40P01");
    }

    @Test
    void sqlServerDeadlockVictimAndMysqlLockWaitTimeoutShareNumber1205ButNotMeaning() {
        SQLException mssql = new SQLException("Transaction (Process ID 52) was deadlocked on lock resources with "
                + "another process and has been chosen as the deadlock victim.", "40001", 1205);
        SQLException mysql = new SQLException("Lock wait timeout exceeded; try restarting transaction", "HY000", 1205);

        SqlFailure onSqlServer = classifier.classify(mysql, DatabaseVendor.SQL_SERVER);
        SqlFailure onMysql = classifier.classify(mssql, DatabaseVendor.MYSQL);

        assertThat(classifier.classify(mssql, DatabaseVendor.SQL_SERVER).category())
                .isEqualTo(SqlFailureCategory.DEADLOCK);
        assertThat(classifier.classify(mysql, DatabaseVendor.MYSQL).category())
                .isEqualTo(SqlFailureCategory.LOCK_TIMEOUT);
        // the number is read in the vendor's meaning, never in another vendor's
        assertThat(onSqlServer.rule()).isEqualTo("mssql:1205-deadlock-victim");
        assertThat(onMysql.rule()).isEqualTo("mysql:1205");
        assertThat(classifier.classify(mysql, DatabaseVendor.ORACLE).rule()).doesNotStartWith("mysql:");
    }

    @Test
    void aConnectionFailureSeenOnlyAsARecoverableExceptionHasUnknownScope() {
        SqlFailure failure = classifier.classify(new SQLRecoverableException("IO Error"), DatabaseVendor.ORACLE);

        assertThat(failure.category()).isEqualTo(SqlFailureCategory.CONNECTION_FAILURE);
        assertThat(failure.rolledBack()).isEqualTo(RollbackScope.UNKNOWN);
    }

    @Test
    void toStringLeavesOutTheMessageWhichMayHoldData() {
        SqlFailure failure = classifier.classify(pg("23505", "duplicate key value violates unique constraint "
                + "\"users_email_key\" jane@example.com"), DatabaseVendor.POSTGRESQL);

        assertThat(failure.toString())
                .doesNotContain("jane@example.com")
                .contains("CONSTRAINT_VIOLATION", "23505", "sqlstate:23xxx", "org.postgresql.util.PSQLException");
    }

    @Test
    void transientCategoriesAreTheOnesThatCanGoAwayByThemselves() {
        assertThat(Stream.of(SqlFailureCategory.values()).filter(SqlFailureCategory::isTransient))
                .containsExactly(SqlFailureCategory.DEADLOCK, SqlFailureCategory.SERIALIZATION_FAILURE,
                        SqlFailureCategory.LOCK_TIMEOUT, SqlFailureCategory.QUERY_TIMEOUT,
                        SqlFailureCategory.CONNECTION_FAILURE);
    }

    static Stream<Arguments> randomChains() {
        long seed = 20261125L;
        Random random = new Random(seed);
        return IntStream.range(0, 200).mapToObj(i -> {
            long chainSeed = random.nextLong();
            return Arguments.of("seed " + seed + " chain " + i + " (" + chainSeed + ")", chainSeed);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("randomChains")
    void randomChainsAreAlwaysClassifiedIntoAnExceptionOfTheChain(String name, long chainSeed) {
        Random random = new Random(chainSeed);
        List<SQLException> nodes = new ArrayList<>();
        int size = 1 + random.nextInt(12);
        for (int i = 0; i < size; i++) {
            nodes.add(randomException(random));
        }
        for (SQLException node : nodes) {
            // random links, cycles included; initCause may only be called once per throwable
            if (random.nextBoolean()) {
                SQLException target = nodes.get(random.nextInt(nodes.size()));
                if (target != node) {
                    node.initCause(target);
                }
            }
            if (random.nextInt(3) == 0) {
                node.setNextException(nodes.get(random.nextInt(nodes.size())));
            }
        }
        SQLException top = nodes.get(0);
        DatabaseVendor vendor = DatabaseVendor.values()[random.nextInt(DatabaseVendor.values().length)];

        SqlFailure failure = classifier.classify(top, vendor);

        Set<SQLException> reachable = Collections.newSetFromMap(new IdentityHashMap<>());
        reachable.addAll(ExceptionChain.of(top));
        assertThat(failure).isNotNull();
        assertThat(reachable).contains(failure.matched());
        assertThat(failure.sqlState()).isEqualTo(failure.matched().getSQLState());
        if (failure.category() == SqlFailureCategory.UNKNOWN) {
            assertThat((Object) failure.matched()).isSameAs(top);
        }
    }

    private static SQLException randomException(Random random) {
        String[] states = {null, "40001", "40P01", "HY000", "08006", "23505", "57014", "XX000", "70100", "HYT00"};
        int[] codes = {0, 1213, 1205, 1317, 1969, 60, 5, -911, 40001, 50200};
        String state = states[random.nextInt(states.length)];
        int code = codes[random.nextInt(codes.length)];
        return switch (random.nextInt(4)) {
            case 0 -> new SQLTransactionRollbackException("rollback", state, code);
            case 1 -> new SQLTimeoutException("timeout", state, code);
            case 2 -> new SQLRecoverableException("recoverable", state, code);
            default -> new SQLException("plain", state, code);
        };
    }

    private static SQLException wrappedDeadlock(int wrappers) {
        SQLException current = new SQLTransactionRollbackException("Deadlock found", "40001", 1213);
        for (int i = 0; i < wrappers; i++) {
            current = new SQLException("wrapper " + i, current);
        }
        return current;
    }

    private static PSQLException pg(String state, String message) {
        return new PSQLException(new ServerErrorMessage("SERROR\0VERROR\0C" + state + "\0M" + message + "\0"));
    }
}
