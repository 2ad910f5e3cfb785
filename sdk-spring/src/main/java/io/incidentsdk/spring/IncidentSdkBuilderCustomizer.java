package io.incidentsdk.spring;

import io.incidentsdk.IncidentSdk;

/**
 * Adjusts the {@link IncidentSdk.Builder} of the auto-configured {@link IncidentSdk} bean after the
 * {@code incident.*} properties were applied to it: declare a bean of this type to set what has no property
 * (a clock, queue capacities, the instance id). Customizers run in {@code @Order}/{@code Ordered} order.
 * They are not used when the application defines its own {@code IncidentSdk} bean.
 *
 * <pre>{@code
 * @Bean
 * IncidentSdkBuilderCustomizer largerQueues() {
 *     return builder -> builder.sinkQueueCapacity(16_384);
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface IncidentSdkBuilderCustomizer {

    /**
     * Customizes the builder before the SDK is built.
     *
     * @param builder the builder, with the properties already applied; never {@code null}
     */
    void customize(IncidentSdk.Builder builder);
}
