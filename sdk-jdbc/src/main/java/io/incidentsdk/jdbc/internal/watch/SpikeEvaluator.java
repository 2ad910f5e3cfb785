package io.incidentsdk.jdbc.internal.watch;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One daemon thread that moves the error-spike windows on every 100 ms (so that counting a success needs no
 * clock read) and evaluates them once a second.
 */
final class SpikeEvaluator {

    private static final Logger LOG = LoggerFactory.getLogger(SpikeEvaluator.class);
    private static final CopyOnWriteArrayList<JdbcWatch> WATCHES = new CopyOnWriteArrayList<>();
    private static ScheduledExecutorService executor;

    private SpikeEvaluator() {
    }

    static synchronized void register(JdbcWatch watch) {
        WATCHES.add(watch);
        if (executor == null) {
            executor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "incident-sdk-spikes");
                t.setDaemon(true);
                return t;
            });
            executor.scheduleWithFixedDelay(SpikeEvaluator::tickAll, 100, 100, TimeUnit.MILLISECONDS);
        }
    }

    private static long ticks;

    private static void tickAll() {
        boolean evaluate = ++ticks % 10 == 0;
        try {
            // the calls the connections counted since the last tick go into the bucket they were made in
            JdbcWatch.takeAllCountedCalls();
        } catch (RuntimeException e) {
            LOG.warn("Error-spike counting failed; continuing", e);
        }
        for (JdbcWatch watch : WATCHES) {
            try {
                if (watch.isRetired()) {
                    WATCHES.remove(watch);
                    watch.retire();
                } else if (evaluate) {
                    watch.evaluateSpikes();
                } else {
                    watch.tickSpikes();
                }
            } catch (RuntimeException e) {
                LOG.warn("Error-spike evaluation failed; continuing", e);
            }
        }
    }
}
