package io.incidentsdk.jdbc.differential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.incidentsdk.IncidentSdk;
import io.incidentsdk.jdbc.JdbcIncidents;
import io.incidentsdk.jdbc.JdbcWatchOptions;
import io.incidentsdk.jdbc.RetryBudget;
import io.incidentsdk.jdbc.RetryPolicy;
import io.incidentsdk.jdbc.TransactionRunner;
import io.incidentsdk.jdbc.testing.Database;
import io.incidentsdk.jdbc.testing.RealDatabases;
import io.incidentsdk.jdbc.testing.TestDatabases;
import io.incidentsdk.sink.InMemorySink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 10, point 6: what the SDK records after a unit's commit (the incident of a deadlock the retry absorbed,
 * the retry metric) runs on the application's thread with things the application gave the SDK: its
 * {@code Clock} and its {@code MeterRegistry}. When one of them throws there, the committed unit must still
 * return normally: an exception would make the caller apply the work again.
 */
@ExtendWith(RealDatabases.class)
class RecordingAfterCommitRegressionTest {

    /** A clock that fails on one thread once armed: a broken time source of the application. */
    private static final class FailingClock extends Clock {
        volatile Thread armedFor;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            if (Thread.currentThread() == armedFor) {
                throw new IllegalStateException("the application's clock failed");
            }
            return Instant.now();
        }
    }

    /** A registry whose counters fail on one thread once armed: a broken metrics backend of the application. */
    private static final class FailingMeters extends SimpleMeterRegistry {
        volatile Thread armedFor;

        @Override
        protected Counter newCounter(Meter.Id id) {
            Counter real = super.newCounter(id);
            return new Counter() {
                @Override
                public void increment(double amount) {
                    if (Thread.currentThread() == armedFor) {
                        throw new IllegalStateException("the application's metrics backend failed");
                    }
                    real.increment(amount);
                }

                @Override
                public double count() {
                    return real.count();
                }

                @Override
                public Meter.Id getId() {
                    return real.getId();
                }
            };
        }
    }

    /** Runs a unit whose first attempt deadlocks; arms the failure at the end of the second, before the commit. */
    private static void absorbedDeadlock(DataSource raw, IncidentSdk sdk, JdbcWatchOptions options, Runnable arm)
            throws Exception {
        Tables table = Tables.create(raw, Database.H2, false);
        FaultInjectingDataSource faults = new FaultInjectingDataSource(raw, Database.H2);
        try {
            TransactionRunner runner = TransactionRunner.on(JdbcIncidents.watch(faults, sdk, options),
                    RetryPolicy.builder().maxAttempts(3).backoff(Duration.ofMillis(1), Duration.ofMillis(2))
                            .budget(RetryBudget.builder().maxTokens(100).minRetriesPerSecond(100).build()).build());
            AtomicInteger attempts = new AtomicInteger();
            // steps: 0 the runner's setAutoCommit(false), 1 the insert: deadlock
            faults.arm(List.of(new Fault(1, Fault.Kind.DEADLOCK)));
            Throwable thrown = catchThrowable(() -> runner.run(c -> {
                int attempt = attempts.incrementAndGet();
                Tables.insert(c, table.name(), 1);
                if (attempt == 2) {
                    arm.run(); // the last thing of the unit: from here on only the runner's commit and recording run
                }
            }));
            faults.disarm();
            assertThat(attempts).as("attempts (steps %s, thrown %s)", faults.stepLog(), thrown).hasValue(2);
            assertThat(table.ids()).as("the second attempt committed").containsExactly(1);
            assertThat(thrown).as("a committed unit returns normally, whatever the SDK's recording does afterwards")
                    .isNull();
        } finally {
            faults.closeAll();
            table.drop();
        }
    }

    /** Work run on a thread of its own, so that what a failure leaves in the thread's state stays there. */
    @FunctionalInterface
    private interface OnOwnThread {
        void run() throws Exception;
    }

    private static void onOwnThread(OnOwnThread work) throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            thread.submit(() -> {
                work.run();
                return null;
            }).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw (Error) e.getCause();
        } finally {
            thread.shutdownNow();
        }
    }

    @Test
    void aClockThatThrowsWhileTheAbsorbedDeadlockIsRecordedDoesNotFailTheCommittedUnit(TestDatabases dbs)
            throws Exception {
        FailingClock clock = new FailingClock();
        try (IncidentSdk sdk = IncidentSdk.builder().sink(new InMemorySink(100)).clock(clock).build()) {
            onOwnThread(() -> absorbedDeadlock(dbs.freshH2(), sdk, JdbcWatchOptions.defaults(),
                    () -> clock.armedFor = Thread.currentThread()));
        } finally {
            clock.armedFor = null;
        }
    }

    @Test
    void aMeterRegistryThatThrowsWhenTheRetryIsCountedDoesNotFailTheCommittedUnit(TestDatabases dbs)
            throws Exception {
        FailingMeters meters = new FailingMeters();
        try (IncidentSdk sdk = IncidentSdk.builder().sink(new InMemorySink(100)).build()) {
            onOwnThread(() -> absorbedDeadlock(dbs.freshH2(), sdk,
                    JdbcWatchOptions.builder().meterRegistry(meters).build(),
                    () -> meters.armedFor = Thread.currentThread()));
        } finally {
            meters.armedFor = null;
        }
    }

    @Test
    void aRecordingThatThrewLeavesTheThreadOutsideAnyUnitSoTheNextUnitStillRetries(TestDatabases dbs)
            throws Exception {
        FailingClock clock = new FailingClock();
        try (IncidentSdk sdk = IncidentSdk.builder().sink(new InMemorySink(100)).clock(clock).build()) {
            onOwnThread(() -> {
                try {
                    absorbedDeadlock(dbs.freshH2(), sdk, JdbcWatchOptions.defaults(),
                            () -> clock.armedFor = Thread.currentThread());
                } catch (AssertionError firstUnitFailed) {
                    // the first test of this class covers the first unit; this one is about the thread afterwards
                }
                clock.armedFor = null;
                // a later unit on the same thread: its deadlock is absorbed by a retry, as on any other thread
                absorbedDeadlock(dbs.freshH2(), sdk, JdbcWatchOptions.defaults(), () -> { });
            });
        } finally {
            clock.armedFor = null;
        }
    }
}
