package io.incidentsdk.benchmarks.support;

import com.p6spy.engine.spy.P6DataSource;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.benchmarks.handwritten.HandwrittenDataSource;
import io.incidentsdk.jdbc.JdbcIncidents;
import io.incidentsdk.sink.InMemorySink;
import javax.sql.DataSource;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;

/**
 * The wrappers compared, by their {@code @Param} names.
 *
 * <ul>
 *   <li>{@code raw}: no wrapper.</li>
 *   <li>{@code incidentsdk}: {@code JdbcIncidents.watch(dataSource, sdk)} with default options; the SDK has
 *       one {@link InMemorySink} and is of its own for each wrapped data source (two watches on one SDK would
 *       also count calls in the process-wide spike window).</li>
 *   <li>{@code incidentsdk_underpool}: the same, placed under the HikariCP pool of the borrow cycle.</li>
 *   <li>{@code handwritten}: {@link HandwrittenDataSource}, the floor of any wrapper.</li>
 *   <li>{@code dsproxy_noop}: datasource-proxy's {@code ProxyDataSourceBuilder} with one no-op
 *       {@link NoOpQueryListener}.</li>
 *   <li>{@code p6spy_nolog}: {@code P6DataSource} with its default modules and every log category off
 *       ({@link #configureP6Spy()}).</li>
 * </ul>
 *
 * @since 0.1.0
 */
public final class Variant {

    /** No wrapper. */
    public static final String RAW = "raw";
    /** Incident SDK. */
    public static final String INCIDENT_SDK = "incidentsdk";
    /**
     * Incident SDK under a HikariCP pool, as the Spring Boot auto-configuration deploys it: the pool makes its
     * connections with the watched data source, and {@code JdbcIncidents.watchPool} watches borrowing.
     * Without a pool (paths 1, 2 and 4) it is {@link #INCIDENT_SDK}.
     */
    public static final String INCIDENT_SDK_UNDER_POOL = "incidentsdk_underpool";
    /** The hand-written floor. */
    public static final String HANDWRITTEN = "handwritten";
    /** datasource-proxy with a no-op listener. */
    public static final String DSPROXY_NOOP = "dsproxy_noop";
    /** P6Spy with logging off. */
    public static final String P6SPY_NOLOG = "p6spy_nolog";

    private final DataSource dataSource;
    private final IncidentSdk sdk;
    private final HikariDataSource pool;

    private Variant(DataSource dataSource, IncidentSdk sdk) {
        this(dataSource, sdk, null);
    }

    private Variant(DataSource dataSource, IncidentSdk sdk, HikariDataSource pool) {
        this.dataSource = dataSource;
        this.sdk = sdk;
        this.pool = pool;
    }

    private static IncidentSdk newSdk() {
        return IncidentSdk.builder().service("incident-sdk-benchmarks", "0").sink(new InMemorySink(1_000)).build();
    }

    /**
     * Wraps a data source as the variant does.
     *
     * @param variant one of the names above
     * @param target  the data source to wrap (a raw one, or a pool: the wrapper goes outside it)
     * @return the wrapped data source and what it holds
     */
    public static Variant wrap(String variant, DataSource target) {
        switch (variant) {
            case RAW:
                return new Variant(target, null);
            case INCIDENT_SDK:
            case INCIDENT_SDK_UNDER_POOL:
                IncidentSdk sdk = newSdk();
                return new Variant(JdbcIncidents.watch(target, sdk), sdk);
            case HANDWRITTEN:
                return new Variant(new HandwrittenDataSource(target), null);
            case DSPROXY_NOOP:
                return new Variant(ProxyDataSourceBuilder.create(target).name("bench")
                        .listener(new NoOpQueryListener()).build(), null);
            case P6SPY_NOLOG:
                configureP6Spy();
                return new Variant(new P6DataSource(target), null);
            default:
                throw new IllegalArgumentException("unknown variant " + variant);
        }
    }

    /**
     * Sets P6Spy's options as system properties ({@code p6spy.config.*}), before P6Spy reads them (it does
     * once per JVM; JMH forks a JVM per benchmark and parameter set): the no-op appender, every log category
     * excluded, no JMX, and a {@code spy.properties} location that does not exist, so that no stray file
     * changes the setup.
     */
    public static void configureP6Spy() {
        System.setProperty("spy.properties", "/nonexistent/incident-sdk-benchmarks/spy.properties");
        System.setProperty("p6spy.config.appender", NoOpP6Logger.class.getName());
        System.setProperty("p6spy.config.excludecategories",
                "info,debug,result,resultset,batch,commit,rollback,statement,error,outage");
        System.setProperty("p6spy.config.jmx", "false");
    }

    /**
     * A HikariCP pool of 4 connections around a data source, as the wrappers are deployed in front of it.
     *
     * @param target the raw data source
     * @param name   the pool name
     * @return the started pool
     */
    public static HikariDataSource pool(DataSource target, String name) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(target);
        config.setPoolName(name);
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(4);
        config.setAutoCommit(true);
        config.setConnectionTimeout(5_000);
        return new HikariDataSource(config);
    }

    /**
     * The variant deployed with a HikariCP pool of 4 (see {@link #pool(DataSource, String)}): in front of the
     * pool, as these tools are usually deployed, or for {@link #INCIDENT_SDK_UNDER_POOL} under it.
     *
     * @param variant one of the names above
     * @param target  the raw data source
     * @param name    the pool name
     * @return the data source the application uses, and what it holds (the pool included: {@link #close()}
     *         closes it)
     */
    public static Variant pooled(String variant, DataSource target, String name) {
        if (INCIDENT_SDK_UNDER_POOL.equals(variant)) {
            IncidentSdk sdk = newSdk();
            DataSource physical = JdbcIncidents.watch(target, sdk);
            HikariDataSource pool = pool(physical, name);
            return new Variant(JdbcIncidents.watchPool(pool, physical), sdk, pool);
        }
        HikariDataSource pool = pool(target, name);
        Variant inFront = wrap(variant, pool);
        return new Variant(inFront.dataSource, inFront.sdk, pool);
    }

    /**
     * The wrapped data source.
     *
     * @return the data source to use
     */
    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * The SDK of the {@code incidentsdk} variant.
     *
     * @return the SDK, or {@code null} for the other variants
     */
    public IncidentSdk sdk() {
        return sdk;
    }

    /** Closes the pool and the SDK, if any. */
    public void close() {
        if (pool != null) {
            pool.close();
        }
        if (sdk != null) {
            sdk.close();
        }
    }
}
