package io.incidentsdk.spring;

import io.incidentsdk.jdbc.JdbcWatchOptions;

/**
 * Adjusts the {@link JdbcWatchOptions} with which a DataSource bean is watched, after the
 * {@code incident.jdbc.*} properties were applied: declare a bean of this type to set what has no property
 * (for example a classifier with rules of your own, or different options for one DataSource). Customizers
 * run in {@code @Order}/{@code Ordered} order, once for every DataSource bean that is watched.
 *
 * <pre>{@code
 * @Bean
 * JdbcWatchOptionsCustomizer ordersRules() {
 *     return (beanName, options) -> {
 *         if (beanName.equals("ordersDataSource")) {
 *             options.classifier(SqlFailureClassifier.builder().rule(myRule).build());
 *         }
 *     };
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface JdbcWatchOptionsCustomizer {

    /**
     * Customizes the options of one DataSource bean before it is watched.
     *
     * @param dataSourceBeanName the name of the DataSource bean; never {@code null}
     * @param options            the options, with the properties and the data source name already applied;
     *                           never {@code null}
     */
    void customize(String dataSourceBeanName, JdbcWatchOptions.Builder options);
}
