package io.incidentsdk;

import io.incidentsdk.internal.Text;

/**
 * The service that reported an incident.
 *
 * @param name        the service name, never {@code null}
 * @param version     the service version, may be {@code null}
 * @param environment the deployment environment (for example {@code prod}), may be {@code null}
 * @param instance    the instance, by default {@code host/pid}, may be {@code null}
 * @since 0.1.0
 */
public record ServiceInfo(String name, String version, String environment, String instance) {

    /**
     * Cleans and bounds every field; {@code name} is required.
     *
     * @param name        the service name, never {@code null}
     * @param version     the service version, may be {@code null}
     * @param environment the deployment environment (for example {@code prod}), may be {@code null}
     * @param instance    the instance, by default {@code host/pid}, may be {@code null}
     */
    public ServiceInfo {
        name = Text.requireField(Text.Field.SHORT, name, "name");
        version = Text.field(Text.Field.SHORT, version);
        environment = Text.field(Text.Field.SHORT, environment);
        instance = Text.field(Text.Field.SHORT, instance);
    }

    /**
     * The service used when none was configured.
     *
     * @return a service named {@code unknown-service}
     */
    public static ServiceInfo unknown() {
        return new ServiceInfo("unknown-service", null, null, null);
    }
}
