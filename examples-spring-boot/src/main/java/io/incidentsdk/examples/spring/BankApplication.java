package io.incidentsdk.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.resilience.annotation.EnableResilientMethods;

/**
 * A Spring Boot bank: accounts in a database migrated by Flyway, a REST endpoint that transfers money between
 * them, and Actuator. Incident SDK is one dependency ({@code incident-sdk-spring}): it watches the DataSource,
 * {@link TransferService#transfer} is retried as a whole when it deadlocks ({@code @RetryableTransaction}), and
 * the deadlocks are reported at {@code /actuator/incidents}. {@code @EnableResilientMethods} switches on Spring
 * Framework's own {@code @Retryable}, which {@link TransferService#transferWithSpringRetry} uses with the SDK's
 * predicate instead.
 *
 * <p>Runs on an in-memory H2 database by default; on PostgreSQL with the {@code postgres} profile or any
 * {@code spring.datasource.url} (see the README, "Spring Boot example").
 */
@SpringBootApplication
@EnableResilientMethods
public class BankApplication {

    /**
     * Starts the application.
     *
     * @param args Spring Boot arguments, for example {@code --spring.profiles.active=postgres}
     */
    public static void main(String[] args) {
        SpringApplication.run(BankApplication.class, args);
    }
}
