package io.incidentsdk.spring;

import io.incidentsdk.jdbc.SqlFailureCategory;
import io.incidentsdk.sink.JsonLinesFileSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;
import org.springframework.util.unit.DataSize;

/**
 * The {@code incident.*} settings of the Spring Boot integration. Every default equals the default of the
 * plain-Java builder it is mapped onto ({@code IncidentSdk.builder()}, {@code JdbcWatchOptions.builder()},
 * {@code RetryPolicy.builder()}). The values are checked when they are bound, with the rules of those builders:
 * a bad setting stops the application at startup with Spring Boot's failure analysis naming the property, its
 * value and the allowed range (for example {@code incident.jdbc.spike.threshold}: "must be within (0, 1], was
 * 1.5"); an empty {@code incident.service.name} is refused too.
 *
 * <pre>
 * incident:
 *   service.name: checkout
 *   sinks.file.path: /var/log/checkout/incidents.jsonl
 *   jdbc.excluded-beans: reportingDataSource
 *   retry.max-attempts: 5
 * </pre>
 *
 * @since 0.1.0
 */
@ConfigurationProperties("incident")
public class IncidentProperties implements Validator {

    /**
     * Whether Incident SDK is active. When false, no SDK is created and no DataSource is watched.
     */
    private boolean enabled = true;

    /**
     * At most one UPDATED event per open incident per this interval.
     */
    private Duration updateInterval = Duration.ofSeconds(10);

    /**
     * An incident with no new occurrence for this long is resolved.
     */
    private Duration quietPeriod = Duration.ofMinutes(5);

    private final Service service = new Service();

    private final Sinks sinks = new Sinks();

    private final Jdbc jdbc = new Jdbc();

    private final Retry retry = new Retry();

    private final Health health = new Health();

    private final Context context = new Context();

    /**
     * Creates the settings with their defaults.
     */
    public IncidentProperties() {
    }

    /**
     * Whether these settings can be checked by {@link #validate(Object, Errors)}.
     *
     * @param type the type of the object to check
     * @return {@code true} for {@code IncidentProperties}
     */
    @Override
    public boolean supports(Class<?> type) {
        return IncidentProperties.class.isAssignableFrom(type);
    }

    /**
     * Checks the settings with the rules of the builders they are mapped onto; Spring Boot calls this when it
     * binds them.
     *
     * @param target the settings, an {@code IncidentProperties}
     * @param errors where a refused value is reported, by property
     */
    @Override
    public void validate(Object target, Errors errors) {
        IncidentPropertiesValidation.validate((IncidentProperties) target, errors);
    }

    /**
     * Whether Incident SDK is active.
     *
     * @return {@code true} by default
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Turns Incident SDK on or off.
     *
     * @param enabled whether it is active
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * The least time between two UPDATED events of one incident.
     *
     * @return 10 s by default
     */
    public Duration getUpdateInterval() {
        return updateInterval;
    }

    /**
     * Sets the least time between two UPDATED events of one incident.
     *
     * @param updateInterval between 1 ms and 1 hour
     */
    public void setUpdateInterval(Duration updateInterval) {
        this.updateInterval = updateInterval;
    }

    /**
     * How long an incident stays open without new occurrences.
     *
     * @return 5 min by default
     */
    public Duration getQuietPeriod() {
        return quietPeriod;
    }

    /**
     * Sets how long an incident stays open without new occurrences.
     *
     * @param quietPeriod between 1 ms and 7 days
     */
    public void setQuietPeriod(Duration quietPeriod) {
        this.quietPeriod = quietPeriod;
    }

    /**
     * Who reports: {@code incident.service.*}.
     *
     * @return the service settings
     */
    public Service getService() {
        return service;
    }

    /**
     * Where incidents go: {@code incident.sinks.*}.
     *
     * @return the sink settings
     */
    public Sinks getSinks() {
        return sinks;
    }

    /**
     * How DataSource beans are watched: {@code incident.jdbc.*}.
     *
     * @return the JDBC settings
     */
    public Jdbc getJdbc() {
        return jdbc;
    }

    /**
     * How the {@code TransactionRunner} bean retries: {@code incident.retry.*}.
     *
     * @return the retry settings
     */
    public Retry getRetry() {
        return retry;
    }

    /**
     * How the {@code incidents} health contributor reports: {@code incident.health.*}.
     *
     * @return the health settings
     */
    public Health getHealth() {
        return health;
    }

    /**
     * What the application was doing when a JDBC call failed: {@code incident.context.*}.
     *
     * @return the context settings
     */
    public Context getContext() {
        return context;
    }

    /**
     * What the application was doing when a JDBC call failed, copied into the attributes of the incident that the
     * failure opens ({@code incident.context.*}). Taken on the application thread, only on the failure path; each
     * value is bounded and cleaned like every other field of a record.
     *
     * @since 0.1.0
     */
    public static class Context {

        /**
         * Whether the HTTP method and the route template of the Spring MVC request that made the failed call are
         * added as the attributes http.method and http.route (the template, such as /transfers/{id}, never the
         * request's path with its values).
         */
        private boolean http = true;

        /**
         * Keys of SLF4J MDC entries whose values are added as the attributes "mdc." + key (for example a request
         * id put there by a filter). At most 16. The values of keys that look like credentials (password, secret,
         * token, authorization, cookie, credential) are replaced by [redacted].
         */
        private List<String> mdcKeys = new ArrayList<>();

        /**
         * Creates the settings with their defaults.
         */
        public Context() {
        }

        /**
         * Whether the HTTP method and route template of the request are added.
         *
         * @return {@code true} by default
         */
        public boolean isHttp() {
            return http;
        }

        /**
         * Sets whether the HTTP method and route template of the request are added.
         *
         * @param http {@code false} to leave them out
         */
        public void setHttp(boolean http) {
            this.http = http;
        }

        /**
         * The MDC keys whose values are added.
         *
         * @return the keys, empty by default
         */
        public List<String> getMdcKeys() {
            return mdcKeys;
        }

        /**
         * Sets the MDC keys whose values are added.
         *
         * @param mdcKeys at most 16 keys of 1 to 60 characters
         */
        public void setMdcKeys(List<String> mdcKeys) {
            this.mdcKeys = mdcKeys;
        }
    }

    /**
     * The {@code incidents} health contributor of Actuator ({@code incident.health.*}).
     *
     * @since 0.1.0
     */
    public static class Health {

        /**
         * Whether the incidents health contributor reports DOWN while a CRITICAL incident is open (by default it
         * is always UP: an incident is a report, not a reason to restart the instance).
         */
        private boolean downOnCritical = false;

        /**
         * Creates the settings with their defaults.
         */
        public Health() {
        }

        /**
         * Whether an open CRITICAL incident makes the contributor DOWN.
         *
         * @return {@code false} by default
         */
        public boolean isDownOnCritical() {
            return downOnCritical;
        }

        /**
         * Sets whether an open CRITICAL incident makes the contributor DOWN.
         *
         * @param downOnCritical {@code true} to report DOWN then
         */
        public void setDownOnCritical(boolean downOnCritical) {
            this.downOnCritical = downOnCritical;
        }
    }

    /**
     * Who reports the incidents ({@code incident.service.*}).
     *
     * @since 0.1.0
     */
    public static class Service {

        /**
         * Name of the service in every record. Defaults to spring.application.name, or "application" when
         * that is not set either.
         */
        private String name;

        /**
         * Version of the service in every record (for example the build version).
         */
        private String version;

        /**
         * Environment in every record (for example "prod").
         */
        private String environment;

        /**
         * Creates the settings with their defaults.
         */
        public Service() {
        }

        /**
         * The service name.
         *
         * @return the name, {@code null} for the default
         */
        public String getName() {
            return name;
        }

        /**
         * Sets the service name.
         *
         * @param name the name, {@code null} for the default
         */
        public void setName(String name) {
            this.name = name;
        }

        /**
         * The service version.
         *
         * @return the version, may be {@code null}
         */
        public String getVersion() {
            return version;
        }

        /**
         * Sets the service version.
         *
         * @param version the version, may be {@code null}
         */
        public void setVersion(String version) {
            this.version = version;
        }

        /**
         * The environment.
         *
         * @return the environment, may be {@code null}
         */
        public String getEnvironment() {
            return environment;
        }

        /**
         * Sets the environment.
         *
         * @param environment the environment, may be {@code null}
         */
        public void setEnvironment(String environment) {
            this.environment = environment;
        }
    }

    /**
     * The built-in sinks ({@code incident.sinks.*}). {@code IncidentSink} beans of the application are
     * added to them.
     *
     * @since 0.1.0
     */
    public static class Sinks {

        private final Log log = new Log();

        private final File file = new File();

        @NestedConfigurationProperty
        private final RemoteSinkProperties.Webhook webhook = new RemoteSinkProperties.Webhook();

        @NestedConfigurationProperty
        private final RemoteSinkProperties.PagerDuty pagerduty = new RemoteSinkProperties.PagerDuty();

        @NestedConfigurationProperty
        private final RemoteSinkProperties.Slack slack = new RemoteSinkProperties.Slack();

        @NestedConfigurationProperty
        private final RemoteSinkProperties.Kafka kafka = new RemoteSinkProperties.Kafka();

        private final Otel otel = new Otel();

        /**
         * Creates the settings with their defaults.
         */
        public Sinks() {
        }

        /**
         * The webhook sink: {@code incident.sinks.webhook.*}.
         *
         * @return the webhook sink settings
         * @since 0.2.0
         */
        public RemoteSinkProperties.Webhook getWebhook() {
            return webhook;
        }

        /**
         * The PagerDuty sink: {@code incident.sinks.pagerduty.*}.
         *
         * @return the PagerDuty sink settings
         * @since 0.2.0
         */
        public RemoteSinkProperties.PagerDuty getPagerduty() {
            return pagerduty;
        }

        /**
         * The chat sink: {@code incident.sinks.slack.*}.
         *
         * @return the chat sink settings
         * @since 0.2.0
         */
        public RemoteSinkProperties.Slack getSlack() {
            return slack;
        }

        /**
         * The Kafka sink: {@code incident.sinks.kafka.*}.
         *
         * @return the Kafka sink settings
         * @since 0.2.0
         */
        public RemoteSinkProperties.Kafka getKafka() {
            return kafka;
        }

        /**
         * The OpenTelemetry log-record sink and trace correlation: {@code incident.sinks.otel.*} (they take
         * effect when {@code incident-sdk-otel} is on the class path).
         *
         * @return the OpenTelemetry settings
         * @since 0.2.0
         */
        public Otel getOtel() {
            return otel;
        }

        /**
         * The SLF4J logging sink: {@code incident.sinks.log.*}.
         *
         * @return the logging sink settings
         */
        public Log getLog() {
            return log;
        }

        /**
         * The JSON Lines file sink: {@code incident.sinks.file.*}.
         *
         * @return the file sink settings
         */
        public File getFile() {
            return file;
        }
    }

    /**
     * OpenTelemetry ({@code incident.sinks.otel.*}): with {@code incident-sdk-otel} on the class path, every
     * incident event becomes an OpenTelemetry log record of the application's {@code OpenTelemetry} bean (or
     * the global instance), records carry the trace of the failing call, and the failing span gets the
     * incident's id.
     *
     * @since 0.2.0
     */
    public static class Otel {

        /** Whether incident events are emitted as OpenTelemetry log records. */
        private boolean enabled = true;

        /** Whether records carry the current trace and the failing span gets the incident id. */
        private boolean traceCorrelation = true;

        /**
         * Creates the settings with their defaults.
         */
        public Otel() {
        }

        /**
         * Whether events are emitted as log records.
         *
         * @return {@code true} by default
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Sets whether events are emitted as log records.
         *
         * @param enabled whether to emit
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * Whether records carry the current trace.
         *
         * @return {@code true} by default
         */
        public boolean isTraceCorrelation() {
            return traceCorrelation;
        }

        /**
         * Sets whether records carry the current trace.
         *
         * @param traceCorrelation whether to correlate
         */
        public void setTraceCorrelation(boolean traceCorrelation) {
            this.traceCorrelation = traceCorrelation;
        }
    }

    /**
     * The SLF4J logging sink ({@code incident.sinks.log.*}).
     *
     * @since 0.1.0
     */
    public static class Log {

        /**
         * Whether events are logged through SLF4J (logger "io.incidentsdk.incidents"). By default they are
         * logged only when no other sink is configured (no file sink, no IncidentSink bean).
         */
        private Boolean enabled;

        /**
         * Creates the settings with their defaults.
         */
        public Log() {
        }

        /**
         * Whether events are logged.
         *
         * @return {@code null} (the default) for "only when there is no other sink"
         */
        public Boolean getEnabled() {
            return enabled;
        }

        /**
         * Sets whether events are logged.
         *
         * @param enabled {@code true}, {@code false} or {@code null} for the default
         */
        public void setEnabled(Boolean enabled) {
            this.enabled = enabled;
        }
    }

    /**
     * The JSON Lines file sink ({@code incident.sinks.file.*}).
     *
     * @since 0.1.0
     */
    public static class File {

        /**
         * File that receives one JSON object per event (JSON Lines); its directory is created when
         * missing. No file is written when unset.
         */
        private Path path;

        /**
         * Size at which the file is rotated (renamed to name.1, name.2 ...).
         */
        private DataSize maxFileSize = DataSize.ofMegabytes(50);

        /**
         * How many rotated files are kept (0 keeps none).
         */
        private int maxFiles = 5;

        /**
         * When written events are forced to the storage device: NEVER (left to the operating system) or
         * EVERY_EVENT.
         */
        private JsonLinesFileSink.Fsync fsync = JsonLinesFileSink.Fsync.NEVER;

        /**
         * Creates the settings with their defaults.
         */
        public File() {
        }

        /**
         * The file.
         *
         * @return the file, {@code null} when the sink is off
         */
        public Path getPath() {
            return path;
        }

        /**
         * Sets the file; the sink is on when it is set.
         *
         * @param path the file, {@code null} for no file sink
         */
        public void setPath(Path path) {
            this.path = path;
        }

        /**
         * The rotation size.
         *
         * @return 50 MB by default
         */
        public DataSize getMaxFileSize() {
            return maxFileSize;
        }

        /**
         * Sets the rotation size.
         *
         * @param maxFileSize between 1 KB and 1 TB
         */
        public void setMaxFileSize(DataSize maxFileSize) {
            this.maxFileSize = maxFileSize;
        }

        /**
         * How many rotated files are kept.
         *
         * @return 5 by default
         */
        public int getMaxFiles() {
            return maxFiles;
        }

        /**
         * Sets how many rotated files are kept.
         *
         * @param maxFiles between 0 and 1000
         */
        public void setMaxFiles(int maxFiles) {
            this.maxFiles = maxFiles;
        }

        /**
         * The fsync policy.
         *
         * @return {@code NEVER} by default
         */
        public JsonLinesFileSink.Fsync getFsync() {
            return fsync;
        }

        /**
         * Sets the fsync policy.
         *
         * @param fsync the policy
         */
        public void setFsync(JsonLinesFileSink.Fsync fsync) {
            this.fsync = fsync;
        }
    }

    /**
     * How DataSource beans are watched ({@code incident.jdbc.*}).
     *
     * @since 0.1.0
     */
    public static class Jdbc {

        /**
         * Whether every DataSource bean is watched (wrapped so that its failures become incidents).
         */
        private boolean enabled = true;

        /**
         * Names of DataSource beans that are left alone.
         */
        private List<String> excludedBeans = new ArrayList<>();

        /**
         * Whether the watch of a HikariCP pool that has not started yet is placed under the pool: on the
         * connections the pool makes (each wrapped once for its whole life in the pool), with the pool
         * itself watched for failures to borrow. Otherwise, and for pools that started already or are
         * configured by data source class name, JNDI or a credentials provider, the watch sits in front
         * of the pool and wraps each borrowed connection.
         */
        private boolean underPool = true;

        /**
         * Failure categories that open incidents (every failure still counts for error spikes and
         * metrics).
         */
        private Set<SqlFailureCategory> incidentCategories = EnumSet.of(SqlFailureCategory.DEADLOCK,
                SqlFailureCategory.SERIALIZATION_FAILURE, SqlFailureCategory.LOCK_TIMEOUT,
                SqlFailureCategory.QUERY_TIMEOUT, SqlFailureCategory.CONNECTION_FAILURE);

        /**
         * Whether a single auto-commit statement that failed with a deadlock or a serialization failure
         * (and so had no effect) is run again by the wrapper. Never batches or stored-procedure calls.
         */
        private boolean autoCommitRetry = true;

        /**
         * Attempts in all for such an auto-commit statement, the first included.
         */
        private int autoCommitMaxAttempts = 3;

        private final Spike spike = new Spike();

        private final LockOrder lockOrder = new LockOrder();

        /**
         * Creates the settings with their defaults.
         */
        public Jdbc() {
        }

        /**
         * Lock-order analysis and avoidance: {@code incident.jdbc.lock-order.*}.
         *
         * @return the lock-order settings
         * @since 0.2.0
         */
        public LockOrder getLockOrder() {
            return lockOrder;
        }

        /**
         * Whether DataSource beans are watched.
         *
         * @return {@code true} by default
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Whether the watch goes under a HikariCP pool that has not started yet.
         *
         * @return {@code true} by default
         */
        public boolean isUnderPool() {
            return underPool;
        }

        /**
         * Sets whether the watch goes under a HikariCP pool that has not started yet.
         *
         * @param underPool {@code false} to watch in front of the pool
         */
        public void setUnderPool(boolean underPool) {
            this.underPool = underPool;
        }

        /**
         * Turns watching of DataSource beans on or off.
         *
         * @param enabled whether to watch them
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * Bean names left alone.
         *
         * @return the names, empty by default
         */
        public List<String> getExcludedBeans() {
            return excludedBeans;
        }

        /**
         * Sets the bean names left alone.
         *
         * @param excludedBeans the names
         */
        public void setExcludedBeans(List<String> excludedBeans) {
            this.excludedBeans = excludedBeans;
        }

        /**
         * The categories that open incidents.
         *
         * @return deadlock, serialization failure, lock timeout, query timeout and connection failure by
         *         default
         */
        public Set<SqlFailureCategory> getIncidentCategories() {
            return incidentCategories;
        }

        /**
         * Sets the categories that open incidents.
         *
         * @param incidentCategories the categories; empty for spikes and metrics only
         */
        public void setIncidentCategories(Set<SqlFailureCategory> incidentCategories) {
            this.incidentCategories = incidentCategories;
        }

        /**
         * Whether failed auto-commit statements are run again.
         *
         * @return {@code true} by default
         */
        public boolean isAutoCommitRetry() {
            return autoCommitRetry;
        }

        /**
         * Sets whether failed auto-commit statements are run again.
         *
         * @param autoCommitRetry whether to run them again
         */
        public void setAutoCommitRetry(boolean autoCommitRetry) {
            this.autoCommitRetry = autoCommitRetry;
        }

        /**
         * Attempts in all for an auto-commit statement.
         *
         * @return 3 by default
         */
        public int getAutoCommitMaxAttempts() {
            return autoCommitMaxAttempts;
        }

        /**
         * Sets the attempts in all for an auto-commit statement.
         *
         * @param autoCommitMaxAttempts between 1 and 10
         */
        public void setAutoCommitMaxAttempts(int autoCommitMaxAttempts) {
            this.autoCommitMaxAttempts = autoCommitMaxAttempts;
        }

        /**
         * Error-spike detection: {@code incident.jdbc.spike.*}.
         *
         * @return the spike settings
         */
        public Spike getSpike() {
            return spike;
        }
    }

    /**
     * Lock-order analysis and avoidance per DataSource ({@code incident.jdbc.lock-order.*}): lock-order risks
     * (transactions that take row locks in orders that can deadlock) are reported before any deadlock.
     *
     * @since 0.2.0
     */
    public static class LockOrder {

        /**
         * Share of explicit transactions whose lock order is analysed, 0 (off) to 1 (every one).
         */
        private double sampling = io.incidentsdk.jdbc.JdbcWatchOptions.DEFAULT_LOCK_ORDER_SAMPLING;

        /**
         * Whether TransactionRunner units avoid predicted lock cycles behind a gate: off, in-process, or database
         * (advisory locks shared by every instance).
         */
        private io.incidentsdk.jdbc.LockOrderAvoidance avoidance = io.incidentsdk.jdbc.LockOrderAvoidance.OFF;

        /**
         * Creates the settings with their defaults.
         */
        public LockOrder() {
        }

        /**
         * The share of explicit transactions analysed.
         *
         * @return 0.05 by default
         */
        public double getSampling() {
            return sampling;
        }

        /**
         * Sets the share of explicit transactions analysed.
         *
         * @param sampling 0 to 1
         */
        public void setSampling(double sampling) {
            this.sampling = sampling;
        }

        /**
         * The avoidance of runner units.
         *
         * @return {@code OFF} by default
         */
        public io.incidentsdk.jdbc.LockOrderAvoidance getAvoidance() {
            return avoidance;
        }

        /**
         * Sets the avoidance of runner units.
         *
         * @param avoidance off, in-process or database
         */
        public void setAvoidance(io.incidentsdk.jdbc.LockOrderAvoidance avoidance) {
            this.avoidance = avoidance;
        }
    }

    /**
     * Error-spike detection per DataSource ({@code incident.jdbc.spike.*}).
     *
     * @since 0.1.0
     */
    public static class Spike {

        /**
         * Whether an ERROR_SPIKE incident opens when the failure rate of a DataSource crosses the threshold.
         */
        private boolean enabled = true;

        /**
         * Failure rate (0 to 1) that opens a spike.
         */
        private double threshold = 0.2;

        /**
         * Failure rate (0 to threshold) below which a spike counts as recovered.
         */
        private double recoveryThreshold = 0.1;

        /**
         * Calls the window needs before a spike can open.
         */
        private int minimumCalls = 20;

        /**
         * Length of the rolling window the rate is measured over.
         */
        private Duration window = Duration.ofSeconds(60);

        /**
         * Buckets the window is divided into (its resolution).
         */
        private int buckets = 12;

        /**
         * How long the rate must stay below the recovery threshold before a spike resolves.
         */
        private Duration coolDown = Duration.ofSeconds(30);

        /**
         * Creates the settings with their defaults.
         */
        public Spike() {
        }

        /**
         * Whether spikes are detected.
         *
         * @return {@code true} by default
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Turns spike detection on or off.
         *
         * @param enabled whether to detect spikes
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * The rate that opens a spike.
         *
         * @return 0.2 by default
         */
        public double getThreshold() {
            return threshold;
        }

        /**
         * Sets the rate that opens a spike.
         *
         * @param threshold in (0, 1]
         */
        public void setThreshold(double threshold) {
            this.threshold = threshold;
        }

        /**
         * The rate below which a spike counts as recovered.
         *
         * @return 0.1 by default
         */
        public double getRecoveryThreshold() {
            return recoveryThreshold;
        }

        /**
         * Sets the rate below which a spike counts as recovered.
         *
         * @param recoveryThreshold in [0, threshold]
         */
        public void setRecoveryThreshold(double recoveryThreshold) {
            this.recoveryThreshold = recoveryThreshold;
        }

        /**
         * The calls the window needs before a spike can open.
         *
         * @return 20 by default
         */
        public int getMinimumCalls() {
            return minimumCalls;
        }

        /**
         * Sets the calls the window needs before a spike can open.
         *
         * @param minimumCalls at least 1
         */
        public void setMinimumCalls(int minimumCalls) {
            this.minimumCalls = minimumCalls;
        }

        /**
         * The window.
         *
         * @return 60 s by default
         */
        public Duration getWindow() {
            return window;
        }

        /**
         * Sets the window.
         *
         * @param window between 1 s and 1 hour
         */
        public void setWindow(Duration window) {
            this.window = window;
        }

        /**
         * The buckets of the window.
         *
         * @return 12 by default
         */
        public int getBuckets() {
            return buckets;
        }

        /**
         * Sets the buckets of the window.
         *
         * @param buckets between 2 and 600
         */
        public void setBuckets(int buckets) {
            this.buckets = buckets;
        }

        /**
         * The cool-down.
         *
         * @return 30 s by default
         */
        public Duration getCoolDown() {
            return coolDown;
        }

        /**
         * Sets the cool-down.
         *
         * @param coolDown between 0 and 1 hour
         */
        public void setCoolDown(Duration coolDown) {
            this.coolDown = coolDown;
        }
    }

    /**
     * How the {@code TransactionRunner} bean retries a whole transaction ({@code incident.retry.*}).
     *
     * @since 0.1.0
     */
    public static class Retry {

        /**
         * Attempts in all for one unit of work, the first included.
         */
        private int maxAttempts = 5;

        /**
         * Backoff ceiling before the first retry; it doubles for each further retry up to max-backoff, and
         * the actual wait is random below it (full jitter).
         */
        private Duration initialBackoff = Duration.ofMillis(10);

        /**
         * Largest backoff ceiling.
         */
        private Duration maxBackoff = Duration.ofSeconds(1);

        /**
         * Most time all attempts of one unit may take; no retry starts after it.
         */
        private Duration maxTotalTime = Duration.ofSeconds(30);

        /**
         * Whether lock timeouts are retried too (deadlocks and serialization failures always are).
         */
        private boolean lockTimeouts = false;

        /**
         * Whether methods annotated @RetryableTransaction are retried (each attempt in a new transaction).
         */
        private boolean annotationEnabled = true;

        /**
         * Creates the settings with their defaults.
         */
        public Retry() {
        }

        /**
         * Attempts in all.
         *
         * @return 5 by default
         */
        public int getMaxAttempts() {
            return maxAttempts;
        }

        /**
         * Sets the attempts in all.
         *
         * @param maxAttempts between 1 and 100
         */
        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        /**
         * The first backoff ceiling.
         *
         * @return 10 ms by default
         */
        public Duration getInitialBackoff() {
            return initialBackoff;
        }

        /**
         * Sets the first backoff ceiling.
         *
         * @param initialBackoff between 0 and 1 minute
         */
        public void setInitialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
        }

        /**
         * The largest backoff ceiling.
         *
         * @return 1 s by default
         */
        public Duration getMaxBackoff() {
            return maxBackoff;
        }

        /**
         * Sets the largest backoff ceiling.
         *
         * @param maxBackoff between the initial backoff and 10 minutes
         */
        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }

        /**
         * The most time all attempts may take.
         *
         * @return 30 s by default
         */
        public Duration getMaxTotalTime() {
            return maxTotalTime;
        }

        /**
         * Sets the most time all attempts may take.
         *
         * @param maxTotalTime between 1 ms and 1 hour
         */
        public void setMaxTotalTime(Duration maxTotalTime) {
            this.maxTotalTime = maxTotalTime;
        }

        /**
         * Whether lock timeouts are retried.
         *
         * @return {@code false} by default
         */
        public boolean isLockTimeouts() {
            return lockTimeouts;
        }

        /**
         * Sets whether lock timeouts are retried.
         *
         * @param lockTimeouts whether to retry them
         */
        public void setLockTimeouts(boolean lockTimeouts) {
            this.lockTimeouts = lockTimeouts;
        }

        /**
         * Whether methods annotated {@code @RetryableTransaction} are retried.
         *
         * @return {@code true} by default
         */
        public boolean isAnnotationEnabled() {
            return annotationEnabled;
        }

        /**
         * Sets whether methods annotated {@code @RetryableTransaction} are retried.
         *
         * @param annotationEnabled {@code false} to leave them alone
         */
        public void setAnnotationEnabled(boolean annotationEnabled) {
            this.annotationEnabled = annotationEnabled;
        }
    }
}
