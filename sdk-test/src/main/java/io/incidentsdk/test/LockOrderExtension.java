package io.incidentsdk.test;

import io.incidentsdk.IncidentSdk;
import io.incidentsdk.jdbc.JdbcIncidents;
import io.incidentsdk.jdbc.JdbcWatchOptions;
import io.incidentsdk.jdbc.LockOrderMonitor;
import io.incidentsdk.jdbc.LockOrderRisk;
import io.incidentsdk.sink.InMemorySink;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JUnit 5 extension that watches the lock order of the application's transactions during a test class and fails
 * the class when two code paths take row locks in opposite orders, or one takes them in an order that depends on
 * its data: a deadlock that has not happened yet. The tests may be single-threaded; no deadlock is needed.
 *
 * <p>Every data source watched by Incident SDK in the test's JVM (a Spring Boot application with the starter, a
 * data source given to {@link JdbcIncidents#watch}) analyses every explicit transaction while the class runs. A data
 * source that is not watched yet is watched with {@link #watch(DataSource)}:
 *
 * <pre>{@code
 * class TransferServiceTest {
 *     @RegisterExtension
 *     static final LockOrderExtension lockOrder = LockOrderExtension.failOnRisk();
 *
 *     final TransferService service = new TransferService(lockOrder.watch(h2DataSource));
 *
 *     @Test
 *     void transfersBothWays() {
 *         service.transfer(1, 2, 100);
 *         service.transfer(2, 1, 100);   // the class fails after its tests: rows of account locked both ways
 *     }
 * }
 * }</pre>
 *
 * <p>Or {@code @LockOrderCheck} on the class. Without either, {@code @ExtendWith(LockOrderExtension.class)} fails on
 * a risk unless the system property {@value #MODE_PROPERTY} is {@code warn}. With JUnit's extension auto-detection
 * ({@code junit.jupiter.extensions.autodetection.enabled=true}) it checks every test class of a suite.
 *
 * <p>The failure message is the risk report: what was found, both code paths with their statements (sanitized: no
 * bind value, no literal) and call sites, and the order to use.
 *
 * @since 0.2.0
 */
public final class LockOrderExtension implements BeforeAllCallback, AfterAllCallback {

    /** The system property that sets the mode of an extension registered without one: {@code fail} or {@code warn}. */
    public static final String MODE_PROPERTY = "incident.lockorder.mode";

    private static final Logger LOG = LoggerFactory.getLogger(LockOrderExtension.class);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LockOrderExtension.class);

    private final LockOrderCheck.Mode mode;
    private final List<IncidentSdk> sdks = new ArrayList<>();
    private volatile LockOrderMonitor.Recording recording;
    private volatile List<LockOrderRisk> lastRisks = List.of();

    /** The extension as {@code @ExtendWith} makes it: its mode from {@code @LockOrderCheck} or the system property. */
    public LockOrderExtension() {
        this(null);
    }

    private LockOrderExtension(LockOrderCheck.Mode mode) {
        this.mode = mode;
    }

    /**
     * An extension that fails the test class on a lock-order risk.
     *
     * @return the extension
     */
    public static LockOrderExtension failOnRisk() {
        return new LockOrderExtension(LockOrderCheck.Mode.FAIL);
    }

    /**
     * An extension that only reports a lock-order risk (logged at WARN, published as a report entry).
     *
     * @return the extension
     */
    public static LockOrderExtension warnOnRisk() {
        return new LockOrderExtension(LockOrderCheck.Mode.WARN);
    }

    /**
     * Watches a data source that Incident SDK does not watch yet, for the lock-order check (a data source that is
     * watched already is returned as it is). Its incidents go to an SDK of the extension's, closed after the class.
     *
     * @param dataSource the application's data source, not {@code null}
     * @return the data source to give the application
     */
    public synchronized DataSource watch(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource must not be null");
        if (JdbcIncidents.isWatched(dataSource)) {
            return dataSource;
        }
        IncidentSdk sdk = IncidentSdk.builder().service("lock-order-check", "test").sink(new InMemorySink(1_000)).build();
        sdks.add(sdk);
        return JdbcIncidents.watch(dataSource, sdk, JdbcWatchOptions.builder().dataSourceName("test")
                .lockOrderSampling(1.0).build());
    }

    /**
     * The risks found in the running test class so far (or in the last one, after it ended).
     *
     * @return a copy
     */
    public List<LockOrderRisk> risks() {
        LockOrderMonitor.Recording r = recording;
        return r != null ? r.risks() : lastRisks;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        LockOrderMonitor.Recording r = LockOrderMonitor.record();
        recording = r;
        context.getStore(NAMESPACE).put("recording", r);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        LockOrderMonitor.Recording r = context.getStore(NAMESPACE).remove("recording", LockOrderMonitor.Recording.class);
        List<LockOrderRisk> risks = List.of();
        if (r != null) {
            risks = r.risks();
            r.close();
        }
        lastRisks = risks;
        recording = null;
        synchronized (this) {
            sdks.forEach(IncidentSdk::close);
            sdks.clear();
        }
        if (risks.isEmpty()) {
            return;
        }
        String report = report(context, risks);
        context.publishReportEntry("incident.lockOrderRisks", report);
        if (mode(context) == LockOrderCheck.Mode.FAIL) {
            throw new AssertionError(report);
        }
        LOG.warn("{}", report);
    }

    private LockOrderCheck.Mode mode(ExtensionContext context) {
        if (mode != null) {
            return mode;
        }
        Optional<LockOrderCheck> check = context.getTestClass()
                .flatMap(c -> AnnotationSupport.findAnnotation(c, LockOrderCheck.class));
        if (check.isPresent()) {
            return check.get().value();
        }
        String property = System.getProperty(MODE_PROPERTY, "fail").trim().toLowerCase(Locale.ROOT);
        return property.equals("warn") ? LockOrderCheck.Mode.WARN : LockOrderCheck.Mode.FAIL;
    }

    private static String report(ExtensionContext context, List<LockOrderRisk> risks) {
        StringBuilder s = new StringBuilder(1024);
        s.append(risks.size()).append(risks.size() == 1 ? " lock-order risk" : " lock-order risks")
                .append(" in ").append(context.getDisplayName())
                .append(": these transactions can deadlock when they run concurrently on the same rows\n");
        for (LockOrderRisk risk : risks) {
            s.append('\n').append(risk.report()).append('\n');
        }
        return s.toString();
    }
}
