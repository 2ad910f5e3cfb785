package io.incidentsdk.sink;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a remote sink ({@link WebhookSink}, {@link PagerDutySink}, {@link SlackSink}) delivers: HTTP timeouts,
 * retries with exponential backoff, the circuit breaker, the disk spool and the dead-letter file. Immutable;
 * every setter of the {@link Builder} validates its value and names the field and the bound.
 *
 * <p><b>The guarantees.</b> A remote sink never delays the application: the SDK hands it events on a thread
 * of its own, and the sink appends each event to its spool (or, without a spool, to a bounded queue in
 * memory) and returns; a thread of the sink's own sends. Events are sent one at a time, oldest first, so
 * the order of one incident's events (OPENED, UPDATED, RESOLVED) is kept. Connection errors, timeouts,
 * {@code 408}, {@code 429} and {@code 5xx} answers are retried with exponential backoff (a {@code Retry-After}
 * header is honoured, up to {@link Builder#maxRetryAfter(Duration)}); after
 * {@link Builder#circuitBreaker(int, Duration) failureThreshold} consecutive failures the circuit opens and
 * nothing is sent until it half-opens, so a dead receiver costs nothing per event. Any other answer outside
 * {@code 2xx} is not retried: the event goes to the dead-letter file and is counted.
 *
 * <p><b>The spool</b> ({@link Builder#spoolDirectory(Path)}): each event is appended to a segment file (every
 * record carries a CRC-32C) before it is sent, and is marked done when the receiver acknowledged it. After a
 * crash or restart the pending events are sent first, in order. Delivery is at least once: an event that
 * reached the receiver just before the process died (before its done-mark was written) is sent again, with
 * the same {@code eventId}, which receivers use to drop duplicates. The {@link Fsync} policy says what
 * survives a machine crash; a killed process ({@code SIGKILL}) loses nothing that was appended under any
 * policy, because the data is in the operating system's page cache. The spool is bounded by
 * {@link Builder#spoolMaxBytes(long) bytes} (when full, the oldest segment is dropped to make room: recent
 * events matter most to an on-call engineer) and by {@link Builder#spoolMaxAge(Duration) age} (older events
 * are dropped unsent); every dropped event is counted and reported as a {@code SINK_DEGRADED} incident. A
 * damaged or truncated segment found at start is quarantined (moved aside into {@code quarantine/}, which keeps
 * at most 16 damaged tails and a quarter of the byte bound, the oldest removed first, counted and reported) and
 * reported, never fatal. When the spool cannot be written (a full disk) delivery goes on from memory and the
 * condition is reported. One spool directory belongs to one running sink: a second sink that finds it locked
 * delivers from memory and reports it. Trouble with the spool is never permanent: when its directory cannot be
 * opened or reading it fails, that is reported, events are delivered from memory meanwhile, and the spool is
 * tried again after a backoff ({@link Builder#backoff(Duration, Duration)}) until it works.
 *
 * <p><b>The sink's thread.</b> When its delivery loop fails (an {@code Error}, or an exception where none was
 * expected), that is reported as {@code SINK_DEGRADED} and the loop starts again after a backoff, nothing lost;
 * an event the loop failed on three times in a row is dead-lettered, so that it cannot hold up the rest.
 *
 * @since 0.2.0
 */
public final class DeliveryOptions {

    /**
     * When the spool forces appended events to the storage device.
     *
     * @since 0.2.0
     */
    public enum Fsync {
        /**
         * Each event is forced to the device before the sink accepts it: nothing accepted is lost even by a
         * power failure (costs one device flush per event; incidents are aggregated, so events are few).
         */
        EVERY_EVENT,
        /**
         * Forced at most every {@link Builder#fsyncInterval(Duration) fsyncInterval}: a power failure or kernel
         * crash may lose the events of the last interval; a killed process loses nothing.
         */
        BATCHED,
        /** Left to the operating system: a killed process loses nothing; a machine crash may lose recent events. */
        NEVER
    }

    private static final DeliveryOptions DEFAULTS = new Builder().build();

    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration maxRetryAfter;
    private final int failureThreshold;
    private final Duration openDuration;
    private final Path spoolDirectory;
    private final Fsync fsync;
    private final Duration fsyncInterval;
    private final long spoolMaxBytes;
    private final Duration spoolMaxAge;
    private final int memoryCapacity;
    private final Path deadLetterFile;
    private final Duration closeTimeout;

    private DeliveryOptions(Builder b) {
        this.connectTimeout = b.connectTimeout;
        this.requestTimeout = b.requestTimeout;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.maxRetryAfter = b.maxRetryAfter;
        this.failureThreshold = b.failureThreshold;
        this.openDuration = b.openDuration;
        this.spoolDirectory = b.spoolDirectory;
        this.fsync = b.fsync;
        this.fsyncInterval = b.fsyncInterval;
        this.spoolMaxBytes = b.spoolMaxBytes;
        this.spoolMaxAge = b.spoolMaxAge;
        this.memoryCapacity = b.memoryCapacity;
        this.deadLetterFile = b.deadLetterFile != null ? b.deadLetterFile
                : b.spoolDirectory != null ? b.spoolDirectory.resolve("dead-letter.jsonl") : null;
        this.closeTimeout = b.closeTimeout;
    }

    /**
     * The defaults: 5 s connect and 10 s request timeout, backoff from 1 s to 1 min, {@code Retry-After}
     * honoured up to 5 min, circuit opening after 5 consecutive failures for 30 s, no spool (events wait in
     * memory, at most 10,000), close timeout 3 s.
     *
     * @return the default options
     */
    public static DeliveryOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Starts from the defaults.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding these options, to change some.
     *
     * @return a builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.connectTimeout = connectTimeout;
        b.requestTimeout = requestTimeout;
        b.initialBackoff = initialBackoff;
        b.maxBackoff = maxBackoff;
        b.maxRetryAfter = maxRetryAfter;
        b.failureThreshold = failureThreshold;
        b.openDuration = openDuration;
        b.spoolDirectory = spoolDirectory;
        b.fsync = fsync;
        b.fsyncInterval = fsyncInterval;
        b.spoolMaxBytes = spoolMaxBytes;
        b.spoolMaxAge = spoolMaxAge;
        b.memoryCapacity = memoryCapacity;
        b.deadLetterFile = deadLetterFile;
        b.closeTimeout = closeTimeout;
        return b;
    }

    /**
     * Time allowed to open a connection.
     *
     * @return the connect timeout
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * Time allowed for one request, from sending to the response status.
     *
     * @return the request timeout
     */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /**
     * Pause after the first failed attempt; doubled after each further one.
     *
     * @return the initial backoff
     */
    public Duration initialBackoff() {
        return initialBackoff;
    }

    /**
     * Upper bound of the pause between attempts.
     *
     * @return the maximum backoff
     */
    public Duration maxBackoff() {
        return maxBackoff;
    }

    /**
     * Upper bound of a pause a receiver asks for with {@code Retry-After}.
     *
     * @return the bound
     */
    public Duration maxRetryAfter() {
        return maxRetryAfter;
    }

    /**
     * Consecutive failures that open the circuit.
     *
     * @return the threshold
     */
    public int failureThreshold() {
        return failureThreshold;
    }

    /**
     * How long the circuit stays open before one attempt probes the receiver.
     *
     * @return the open duration
     */
    public Duration openDuration() {
        return openDuration;
    }

    /**
     * The spool directory, {@code null} when events wait in memory only.
     *
     * @return the directory or {@code null}
     */
    public Path spoolDirectory() {
        return spoolDirectory;
    }

    /**
     * The spool's fsync policy.
     *
     * @return the policy
     */
    public Fsync fsync() {
        return fsync;
    }

    /**
     * The longest time between two forces under {@link Fsync#BATCHED}.
     *
     * @return the interval
     */
    public Duration fsyncInterval() {
        return fsyncInterval;
    }

    /**
     * The bound of the spool's size on disk.
     *
     * @return bytes
     */
    public long spoolMaxBytes() {
        return spoolMaxBytes;
    }

    /**
     * Events older than this are dropped unsent.
     *
     * @return the age bound
     */
    public Duration spoolMaxAge() {
        return spoolMaxAge;
    }

    /**
     * How many events wait in memory without a spool, or while the spool cannot be written.
     *
     * @return the capacity
     */
    public int memoryCapacity() {
        return memoryCapacity;
    }

    /**
     * Where events a receiver refused are written (JSON Lines), {@code null} when they are only counted.
     *
     * @return the file or {@code null}
     */
    public Path deadLetterFile() {
        return deadLetterFile;
    }

    /**
     * How long the sink's {@code close()} goes on sending what is pending; the rest stays spooled.
     *
     * @return the close timeout
     */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    @Override
    public String toString() {
        return "DeliveryOptions[connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout
                + ", backoff=" + initialBackoff + ".." + maxBackoff + ", maxRetryAfter=" + maxRetryAfter
                + ", failureThreshold=" + failureThreshold + ", openDuration=" + openDuration
                + ", spoolDirectory=" + spoolDirectory + ", fsync=" + fsync + ", fsyncInterval=" + fsyncInterval
                + ", spoolMaxBytes=" + spoolMaxBytes + ", spoolMaxAge=" + spoolMaxAge
                + ", memoryCapacity=" + memoryCapacity + ", deadLetterFile=" + deadLetterFile
                + ", closeTimeout=" + closeTimeout + "]";
    }

    /**
     * Configures {@link DeliveryOptions}.
     *
     * @since 0.2.0
     */
    public static final class Builder {
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Duration initialBackoff = Duration.ofSeconds(1);
        private Duration maxBackoff = Duration.ofMinutes(1);
        private Duration maxRetryAfter = Duration.ofMinutes(5);
        private int failureThreshold = 5;
        private Duration openDuration = Duration.ofSeconds(30);
        private Path spoolDirectory;
        private Fsync fsync = Fsync.EVERY_EVENT;
        private Duration fsyncInterval = Duration.ofMillis(200);
        private long spoolMaxBytes = 64L * 1024 * 1024;
        private Duration spoolMaxAge = Duration.ofHours(24);
        private int memoryCapacity = 10_000;
        private Path deadLetterFile;
        private Duration closeTimeout = Duration.ofSeconds(3);

        private Builder() {
        }

        /**
         * Time allowed to open a connection (default 5 s).
         *
         * @param timeout between 1 ms and 5 minutes
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = within("connectTimeout", timeout, Duration.ofMillis(1), Duration.ofMinutes(5));
            return this;
        }

        /**
         * Time allowed for one request (default 10 s). A receiver that does not answer in time counts as a
         * failed attempt and is retried.
         *
         * @param timeout between 1 ms and 5 minutes
         * @return this builder
         */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = within("requestTimeout", timeout, Duration.ofMillis(1), Duration.ofMinutes(5));
            return this;
        }

        /**
         * The pause after a failed attempt: {@code initial}, doubled after each further consecutive failure up
         * to {@code max}, with up to half of it left out at random so that many instances do not retry in step
         * (defaults 1 s and 1 min).
         *
         * @param initial between 1 ms and 1 hour
         * @param max     between {@code initial} and 1 hour
         * @return this builder
         */
        public Builder backoff(Duration initial, Duration max) {
            Duration i = within("initialBackoff", initial, Duration.ofMillis(1), Duration.ofHours(1));
            Duration m = within("maxBackoff", max, Duration.ofMillis(1), Duration.ofHours(1));
            if (m.compareTo(i) < 0) {
                throw new IllegalArgumentException("maxBackoff must be >= initialBackoff (" + i + "), was " + m);
            }
            this.initialBackoff = i;
            this.maxBackoff = m;
            return this;
        }

        /**
         * The longest pause taken when a receiver asks for one with {@code Retry-After} (default 5 min).
         *
         * @param max between 0 and 1 hour
         * @return this builder
         */
        public Builder maxRetryAfter(Duration max) {
            this.maxRetryAfter = within("maxRetryAfter", max, Duration.ZERO, Duration.ofHours(1));
            return this;
        }

        /**
         * The circuit breaker: after {@code failureThreshold} consecutive failed attempts nothing is sent for
         * {@code openDuration}; then one attempt probes the receiver and closes the circuit when it succeeds
         * (defaults 5 and 30 s).
         *
         * @param failureThreshold between 1 and 1000
         * @param openDuration     between 1 ms and 1 hour
         * @return this builder
         */
        public Builder circuitBreaker(int failureThreshold, Duration openDuration) {
            if (failureThreshold < 1 || failureThreshold > 1000) {
                throw new IllegalArgumentException("failureThreshold must be between 1 and 1000, was " + failureThreshold);
            }
            this.openDuration = within("openDuration", openDuration, Duration.ofMillis(1), Duration.ofHours(1));
            this.failureThreshold = failureThreshold;
            return this;
        }

        /**
         * Spools events in this directory before sending them (default: none, events wait in memory and are
         * lost with the process). The directory is created when missing and must belong to this one sink.
         *
         * @param directory the directory, {@code null} for none
         * @return this builder
         */
        public Builder spoolDirectory(Path directory) {
            this.spoolDirectory = directory;
            return this;
        }

        /**
         * The spool's fsync policy (default {@link Fsync#EVERY_EVENT}).
         *
         * @param fsync not {@code null}
         * @return this builder
         */
        public Builder fsync(Fsync fsync) {
            this.fsync = Objects.requireNonNull(fsync, "fsync must not be null");
            return this;
        }

        /**
         * The longest time between two forces under {@link Fsync#BATCHED} (default 200 ms).
         *
         * @param interval between 1 ms and 1 minute
         * @return this builder
         */
        public Builder fsyncInterval(Duration interval) {
            this.fsyncInterval = within("fsyncInterval", interval, Duration.ofMillis(1), Duration.ofMinutes(1));
            return this;
        }

        /**
         * The bound of the spool on disk (default 64 MB). When an event would exceed it, the oldest segment
         * (a quarter of the bound at most) is dropped, counted and reported.
         *
         * @param bytes between 64 KB and 1 TB
         * @return this builder
         */
        public Builder spoolMaxBytes(long bytes) {
            if (bytes < 64 * 1024 || bytes > (1L << 40)) {
                throw new IllegalArgumentException("spoolMaxBytes must be between 65536 and 2^40, was " + bytes);
            }
            this.spoolMaxBytes = bytes;
            return this;
        }

        /**
         * Events older than this (since they were spooled) are dropped unsent, counted and reported
         * (default 24 hours).
         *
         * @param age between 1 ms and 30 days
         * @return this builder
         */
        public Builder spoolMaxAge(Duration age) {
            this.spoolMaxAge = within("spoolMaxAge", age, Duration.ofMillis(1), Duration.ofDays(30));
            return this;
        }

        /**
         * How many events wait in memory when there is no spool or it cannot be written (default 10,000);
         * beyond it new events are dropped, counted and reported.
         *
         * @param capacity between 1 and 1,000,000
         * @return this builder
         */
        public Builder memoryCapacity(int capacity) {
            if (capacity < 1 || capacity > 1_000_000) {
                throw new IllegalArgumentException("memoryCapacity must be between 1 and 1000000, was " + capacity);
            }
            this.memoryCapacity = capacity;
            return this;
        }

        /**
         * Where events a receiver refused are appended as JSON Lines (default {@code dead-letter.jsonl} in the
         * spool directory; without a spool they are only counted and logged by event id).
         *
         * @param file the file, {@code null} for the default
         * @return this builder
         */
        public Builder deadLetterFile(Path file) {
            this.deadLetterFile = file;
            return this;
        }

        /**
         * How long the sink's {@code close()} goes on sending what is pending (default 3 s); what is left stays
         * in the spool for the next start. When the SDK closes the sink, the SDK's close timeout bounds it too,
         * whichever ends first: the spool is closed and its directory released before the SDK's {@code close()}
         * returns, even when a request still hangs. An interrupt of the closing thread stops sending at once.
         *
         * @param timeout between 0 and 10 minutes
         * @return this builder
         */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = within("closeTimeout", timeout, Duration.ZERO, Duration.ofMinutes(10));
            return this;
        }

        /**
         * Builds the options.
         *
         * @return immutable options
         */
        public DeliveryOptions build() {
            return new DeliveryOptions(this);
        }

        private static Duration within(String field, Duration value, Duration min, Duration max) {
            Objects.requireNonNull(value, field + " must not be null");
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new IllegalArgumentException(field + " must be between " + min + " and " + max + ", was " + value);
            }
            return value;
        }
    }
}
