/**
 * Spring Boot integration for Incident SDK: auto-configuration that watches every {@code DataSource},
 * {@link io.incidentsdk.spring.RetryableTransaction} (and {@link io.incidentsdk.spring.IncidentRetryPredicate} for
 * Spring's own {@code @Retryable}), the {@code incidents} Actuator endpoint and health contributor, and the
 * {@code incident.*} properties.
 */
package io.incidentsdk.spring;
