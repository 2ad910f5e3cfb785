package io.incidentsdk.jdbc.internal.wrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The in-place tracking of a connection, and what readers on other threads get to see of it. */
class ConnectionStateTest {

    private final ConnectionState state = new ConnectionState(new DataSourceContext("unit", JdbcObserver.NO_OP), null);
    private final ExecutorService threads = Executors.newFixedThreadPool(3);

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void aTransactionStartsAtItsFirstStatementAndEndsClean() {
        state.autoCommitSeen(false);
        assertThat(state.transactionStartMillis()).isZero();
        long before = System.currentTimeMillis();

        state.beginStatement("a");
        long started = state.transactionStartMillis();
        state.beginStatement("b");

        assertThat(started).isBetween(before, System.currentTimeMillis());
        assertThat(state.transactionStartMillis()).as("set once per transaction").isEqualTo(started);
        assertThat(state.transactionStatements()).containsExactly("a", "b");

        state.endTransaction();

        assertThat(state.transactionStartMillis()).isZero();
        assertThat(state.transactionStartNanos()).isZero();
        assertThat(state.transactionStatements()).isEmpty();
        assertThat(state.currentSql()).as("the last statement stays visible").isEqualTo("b");
    }

    @Test
    void theStatementAtAMomentIsTheEarliestThatHadNotEndedThen() {
        state.autoCommitSeen(false);
        assertThat(state.statementStartNanos()).as("no statement yet").isZero();
        state.beginStatement("update a");
        long first = state.statementStartNanos();
        clockPast(first);
        state.endStatement();
        long afterFirst = clockPast(System.nanoTime());
        clockPast(afterFirst);
        state.beginStatement("update b");
        long second = state.statementStartNanos();
        long whileSecondRuns = clockPast(second);
        clockPast(whileSecondRuns);
        state.endStatement();
        state.endStatement();
        state.beginStatement("insert c");

        assertThat(first).isNotZero().isEqualTo(state.transactionStartNanos());
        assertThat(second - afterFirst).isPositive();
        assertThat(state.transactionStatementsUntilRunningAt(first)).as("the first one was running")
                .containsExactly("update a");
        assertThat(state.transactionStatementsUntilRunningAt(afterFirst)).as("idle then: the next one it began")
                .containsExactly("update a", "update b");
        assertThat(state.transactionStatementsUntilRunningAt(whileSecondRuns))
                .as("not the insert it began after the second ended").containsExactly("update a", "update b");
        assertThat(state.transactionStatementsUntilRunningAt(System.nanoTime()))
                .as("the insert still runs").containsExactly("update a", "update b", "insert c");
        state.endStatement();
        assertThat(state.transactionStatementsUntilRunningAt(System.nanoTime()))
                .as("all ended: every statement").containsExactly("update a", "update b", "insert c");
        assertThat(state.transactionStatements()).containsExactly("update a", "update b", "insert c");

        state.endTransaction();
        assertThat(state.transactionStatementsUntilRunningAt(System.nanoTime())).isEmpty();
        assertThat(state.statementStartNanos()).isZero();

        state.autoCommitSeen(true);
        state.beginStatement("select 1");
        assertThat(state.statementStartNanos()).as("auto-commit: not timed").isZero();
        assertThat(state.transactionStatementsUntilRunningAt(0L)).as("auto-commit: the last statement")
                .containsExactly("select 1");
    }

    /**
     * Waits (spinning, a few microseconds) until the monotonic clock is well past {@code nanos}: statement
     * times are kept to about a microsecond.
     */
    private static long clockPast(long nanos) {
        long now;
        while ((now = System.nanoTime()) - nanos < 10_000L) {
            Thread.onSpinWait();
        }
        return now;
    }

    @Test
    void doomingMarksOnlyAnExplicitTransactionAndKeepsTheReason() {
        state.beginStatement("update t set x = 1");
        state.doom("DEADLOCK in UPDATE t");
        assertThat(state.isDoomed()).as("auto-commit mode: nothing to doom").isFalse();

        state.autoCommitSeen(false);
        state.doom("DEADLOCK in UPDATE t");
        assertThat(state.isDoomed()).isTrue();
        assertThat(state.doomReason()).isEqualTo("DEADLOCK in UPDATE t");

        state.endTransaction();
        assertThat(state.isDoomed()).isFalse();
        assertThat(state.doomReason()).isNull();
    }

    @Test
    void switchingAutoCommitToTheValueItHasChangesNothing() {
        state.autoCommitSeen(false);
        state.beginStatement("a");
        state.doom("failed");

        state.autoCommitSeen(false);

        assertThat(state.isDoomed()).isTrue();
        assertThat(state.transactionStatements()).containsExactly("a");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(JdbcOperation.class)
    void onlyOperationsThatRunOnTheServerCanDoomATransaction(JdbcOperation operation) {
        boolean dooms = operation.isExecution() || operation == JdbcOperation.COMMIT
                || operation == JdbcOperation.RESULT_SET;
        assertThat(operation.doomsTransaction()).isEqualTo(dooms);
    }

    @Test
    void closingIsMarkedOnce() {
        ConnectionState real = WatchedConnection.open(org.mockito.Mockito.mock(java.sql.Connection.class),
                new DataSourceContext("unit", JdbcObserver.NO_OP));

        assertThat(real.isClosedByApplication()).isFalse();
        assertThat(real.markClosed()).isTrue();
        assertThat(real.markClosed()).isFalse();
        assertThat(real.isClosedByApplication()).isTrue();
    }

    @Test
    void connectionIdsAreUniqueAndPositive() {
        DataSourceContext context = new DataSourceContext("unit", JdbcObserver.NO_OP);
        long first = WatchedConnection.open(org.mockito.Mockito.mock(java.sql.Connection.class), context).id();
        long second = WatchedConnection.open(org.mockito.Mockito.mock(java.sql.Connection.class), context).id();

        assertThat(first).isPositive();
        assertThat(second).isNotEqualTo(first);
    }

    @Test
    void recordingAStatementAndItsSuccessAllocatesNothing() {
        com.sun.management.ThreadMXBean threadBean =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        DataSourceContext context = new DataSourceContext("unit", JdbcObserver.NO_OP);
        ConnectionState connection = new ConnectionState(context, null);
        String[] sqls = {"select 1", "update t set x = ? where id = ?", "insert into t values (?)"};
        runStatements(connection, context, sqls, 50_000);
        long threadId = Thread.currentThread().getId();

        long before = threadBean.getThreadAllocatedBytes(threadId);
        runStatements(connection, context, sqls, 200_000);
        long allocated = threadBean.getThreadAllocatedBytes(threadId) - before;

        // a single allocation per statement would be at least 200_000 * 16 bytes
        assertThat(allocated).isLessThan(16_384);
    }

    private static void runStatements(ConnectionState connection, DataSourceContext context, String[] sqls, int count) {
        for (int i = 0; i < count; i++) {
            if (i % 50 == 0) {
                connection.autoCommitSeen(i % 100 == 0);
            }
            connection.beginStatement(sqls[i % sqls.length]);
            context.notifySucceeded(connection, connection.autoCommit());
            if (i % 7 == 0) {
                connection.endTransaction();
            }
        }
    }

    private static final long MIN_TRANSACTIONS = 2_000;

    static Stream<Long> seeds() {
        return Stream.of(1L, 20_261_125L, new Random(7).nextLong());
    }

    /**
     * A writer runs transactions of random length as fast as it can while two readers copy the ring: every
     * copy must hold statements of one transaction only, consecutive and in order, at most 16 of them.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void readersOnOtherThreadsSeeConsistentCopiesOfTheRing(long seed) throws Exception {
        state.autoCommitSeen(false);
        int readers = 2;
        int readsPerReader = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch readersDone = new CountDownLatch(readers);
        List<String> violations = new CopyOnWriteArrayList<>();
        AtomicLong nonEmptyCopies = new AtomicLong();

        AtomicLong transactionsWritten = new AtomicLong();
        Future<Long> writer = threads.submit(() -> {
            Random random = new Random(seed);
            start.await();
            long transactions = 0;
            while ((readersDone.getCount() > 0 || transactions < MIN_TRANSACTIONS) && transactions < 5_000_000) {
                int statements = 1 + random.nextInt(40);
                for (int i = 0; i < statements; i++) {
                    state.beginStatement(transactions + ":" + i);
                }
                state.endTransaction();
                transactions = transactionsWritten.incrementAndGet();
            }
            return transactions;
        });
        List<Future<?>> readerFutures = new ArrayList<>();
        for (int r = 0; r < readers; r++) {
            readerFutures.add(threads.submit(() -> {
                start.await();
                // read while the writer writes: at least readsPerReader times, until it wrote enough and until
                // the readers met transactions in progress (on 2 busy cores the threads may take turns at first)
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                for (int read = 0; (read < readsPerReader || transactionsWritten.get() < MIN_TRANSACTIONS
                        || nonEmptyCopies.get() < 100) && System.nanoTime() - deadline < 0; read++) {
                    String[] copy = state.transactionStatements();
                    String problem = checkConsistent(copy);
                    if (problem != null) {
                        violations.add(problem);
                    }
                    if (copy.length > 0) {
                        nonEmptyCopies.incrementAndGet();
                    }
                }
                readersDone.countDown();
                return null;
            }));
        }

        start.countDown();
        for (Future<?> reader : readerFutures) {
            reader.get(60, TimeUnit.SECONDS);
        }
        long transactions = writer.get(60, TimeUnit.SECONDS);

        assertThat(violations).isEmpty();
        assertThat(transactions).isGreaterThanOrEqualTo(MIN_TRANSACTIONS);
        assertThat(nonEmptyCopies).as("readers met transactions in progress").hasPositiveValue();
        // after the race the owning thread's view is exact again
        for (int i = 0; i < 20; i++) {
            state.beginStatement("last:" + i);
        }
        String[] copy = state.transactionStatements();
        assertThat(copy).hasSize(ConnectionState.TRANSACTION_STATEMENTS);
        assertThat(checkConsistent(copy)).isNull();
        assertThat(copy[copy.length - 1]).isEqualTo("last:19");
    }

    /** {@code null} when the copy is of one transaction, consecutive, in order and bounded; else what is wrong. */
    private static String checkConsistent(String[] copy) {
        if (copy.length > ConnectionState.TRANSACTION_STATEMENTS) {
            return "too long: " + String.join(",", copy);
        }
        String transaction = null;
        int previous = -1;
        for (String sql : copy) {
            int colon = sql.indexOf(':');
            String tx = sql.substring(0, colon);
            int index = Integer.parseInt(sql.substring(colon + 1));
            if (transaction != null && (!transaction.equals(tx) || index != previous + 1)) {
                return "mixed or out of order: " + String.join(",", copy);
            }
            transaction = tx;
            previous = index;
        }
        return null;
    }

    /** The owning thread counts while two other threads take: every count is taken once, none lost. */
    @Test
    void countedCallsAreTakenOnceWhileTheOwnerCounts() throws Exception {
        int total = 2_000_000;
        CountDownLatch start = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Future<?> owner = threads.submit(() -> {
            start.await();
            for (int i = 0; i < total; i++) {
                state.countCall();
            }
            done.set(true);
            return null;
        });
        List<Future<Long>> takers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            takers.add(threads.submit(() -> {
                start.await();
                long taken = 0;
                while (!done.get()) {
                    taken += state.takeCountedCalls();
                }
                return taken + state.takeCountedCalls();
            }));
        }
        start.countDown();
        owner.get(60, TimeUnit.SECONDS);
        long taken = 0;
        for (Future<Long> taker : takers) {
            taken += taker.get(60, TimeUnit.SECONDS);
        }
        assertThat(taken + state.takeCountedCalls()).isEqualTo(total);
        assertThat(state.takeCountedCalls()).isZero();
    }

    /**
     * A connection counts its own successes only when told to, and never while a unit of work is open on any
     * thread (the unit counts them).
     */
    @Test
    void countsItsOwnSuccessesOnlyWhenToldAndWhileNoUnitIsOpen() {
        assertThat(state.countedOwnSuccess()).as("not told to").isFalse();
        state.countOwnSuccesses();
        assertThat(state.countedOwnSuccess()).isTrue();
        ConnectionState.unitOpened();
        try {
            assertThat(ConnectionState.unitsOpen()).isPositive();
            assertThat(state.countedOwnSuccess()).as("a unit is open").isFalse();
        } finally {
            ConnectionState.unitClosed();
        }
        assertThat(state.countedOwnSuccess()).isTrue();
        assertThat(state.takeCountedCalls()).isEqualTo(2);
    }
}
