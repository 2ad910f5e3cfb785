package io.incidentsdk.spring;

import io.incidentsdk.IncidentSdk;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the Actuator integration, when Actuator is on the class path and an {@link IncidentSdk}
 * bean exists: the {@code incidents} endpoint ({@link IncidentsEndpoint}; read-only, created only when the
 * application exposes it) and the {@code incidents} health contributor (open incidents by severity, sink
 * statistics; {@code UP} unless {@code incident.health.down-on-critical=true} and a {@code CRITICAL} incident is
 * open; off with {@code management.health.incidents.enabled=false}).
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = IncidentAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
@ConditionalOnBooleanProperty(name = "incident.enabled", matchIfMissing = true)
@ConditionalOnBean(IncidentSdk.class)
@EnableConfigurationProperties(IncidentProperties.class)
public final class IncidentActuatorAutoConfiguration {

    /**
     * Creates the auto-configuration (Spring does).
     */
    public IncidentActuatorAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean
    RecentIncidents incidentRecentIncidents(IncidentSdk sdk) {
        RecentIncidents recent = new RecentIncidents();
        sdk.onEvent(recent);
        return recent;
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    IncidentsEndpoint incidentsEndpoint(RecentIncidents incidents) {
        return new IncidentsEndpoint(incidents);
    }

    /** The health contributor; only when Spring Boot's health support is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    @ConditionalOnEnabledHealthIndicator("incidents")
    static class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "incidentsHealthIndicator")
        IncidentsHealthIndicator incidentsHealthIndicator(IncidentSdk sdk, RecentIncidents incidents,
                IncidentProperties properties) {
            return new IncidentsHealthIndicator(sdk, incidents, properties.getHealth().isDownOnCritical());
        }
    }
}
