package io.incidentsdk.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link DeliveryOptions}: the documented defaults, and one test per rule of the builder. */
class DeliveryOptionsTest {

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        DeliveryOptions d = DeliveryOptions.defaults();
        assertThat(d.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.initialBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(d.maxBackoff()).isEqualTo(Duration.ofMinutes(1));
        assertThat(d.maxRetryAfter()).isEqualTo(Duration.ofMinutes(5));
        assertThat(d.failureThreshold()).isEqualTo(5);
        assertThat(d.openDuration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.spoolDirectory()).isNull();
        assertThat(d.deadLetterFile()).isNull();
        assertThat(d.fsync()).isEqualTo(DeliveryOptions.Fsync.EVERY_EVENT);
        assertThat(d.fsyncInterval()).isEqualTo(Duration.ofMillis(200));
        assertThat(d.spoolMaxBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(d.spoolMaxAge()).isEqualTo(Duration.ofHours(24));
        assertThat(d.memoryCapacity()).isEqualTo(10_000);
        assertThat(d.closeTimeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void theDeadLetterFileDefaultsToTheSpoolDirectoryAndToBuilderKeepsEverything() {
        DeliveryOptions d = DeliveryOptions.builder().spoolDirectory(Path.of("spool")).build();
        assertThat(d.deadLetterFile()).isEqualTo(Path.of("spool", "dead-letter.jsonl"));
        assertThat(d.toBuilder().build().toString()).isEqualTo(d.toString());
        assertThat(DeliveryOptions.builder().spoolDirectory(Path.of("spool")).deadLetterFile(Path.of("dl.jsonl")).build()
                .deadLetterFile()).isEqualTo(Path.of("dl.jsonl"));
    }

    @Test
    void timeoutsAreBounded() {
        assertThatThrownBy(() -> DeliveryOptions.builder().connectTimeout(Duration.ZERO))
                .hasMessageStartingWith("connectTimeout must be between PT0.001S and PT5M");
        assertThatThrownBy(() -> DeliveryOptions.builder().requestTimeout(Duration.ofMinutes(6)))
                .hasMessageStartingWith("requestTimeout must be between");
        assertThatThrownBy(() -> DeliveryOptions.builder().closeTimeout(Duration.ofMillis(-1)))
                .hasMessageStartingWith("closeTimeout must be between PT0S and PT10M");
        assertThatThrownBy(() -> DeliveryOptions.builder().connectTimeout(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("connectTimeout");
    }

    @Test
    void theMaximumBackoffIsNotBelowTheInitialOne() {
        assertThatThrownBy(() -> DeliveryOptions.builder().backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageStartingWith("maxBackoff must be >= initialBackoff");
        assertThatThrownBy(() -> DeliveryOptions.builder().backoff(Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessageStartingWith("initialBackoff must be between");
        assertThatThrownBy(() -> DeliveryOptions.builder().maxRetryAfter(Duration.ofHours(2)))
                .hasMessageStartingWith("maxRetryAfter must be between PT0S and PT1H");
    }

    @Test
    void theCircuitBreakerIsBounded() {
        assertThatThrownBy(() -> DeliveryOptions.builder().circuitBreaker(0, Duration.ofSeconds(1)))
                .hasMessageStartingWith("failureThreshold must be between 1 and 1000, was 0");
        assertThatThrownBy(() -> DeliveryOptions.builder().circuitBreaker(5, Duration.ZERO))
                .hasMessageStartingWith("openDuration must be between");
    }

    @Test
    void theSpoolAndMemoryAreBounded() {
        assertThatThrownBy(() -> DeliveryOptions.builder().spoolMaxBytes(1024))
                .hasMessageStartingWith("spoolMaxBytes must be between 65536 and 2^40, was 1024");
        assertThatThrownBy(() -> DeliveryOptions.builder().spoolMaxAge(Duration.ofDays(31)))
                .hasMessageStartingWith("spoolMaxAge must be between");
        assertThatThrownBy(() -> DeliveryOptions.builder().memoryCapacity(0))
                .hasMessageStartingWith("memoryCapacity must be between 1 and 1000000, was 0");
        assertThatThrownBy(() -> DeliveryOptions.builder().fsyncInterval(Duration.ofMinutes(2)))
                .hasMessageStartingWith("fsyncInterval must be between");
        assertThatThrownBy(() -> DeliveryOptions.builder().fsync(null)).isInstanceOf(NullPointerException.class);
    }
}
