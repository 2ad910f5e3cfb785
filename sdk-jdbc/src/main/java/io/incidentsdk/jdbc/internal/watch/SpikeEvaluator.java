package io.incidentsdk.jdbc.internal.watch;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One daemon thread that evaluates the error-spike detectors of every watch once a second. */
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
            executor.scheduleWithFixedDelay(SpikeEvaluator::evaluateAll, 1, 1, TimeUnit.SECONDS);
        }
    }

    private static void evaluateAll() {
        for (JdbcWatch watch : WATCHES) {
            try {
                if (watch.isRetired()) {
                    WATCHES.remove(watch);
                    watch.retire();
                } else {
                    watch.evaluateSpikes();
                }
            } catch (RuntimeException e) {
                LOG.warn("Error-spike evaluation failed; continuing", e);
            }
        }
    }
}
