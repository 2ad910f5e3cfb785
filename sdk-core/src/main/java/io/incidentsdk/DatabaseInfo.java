package io.incidentsdk;

import io.incidentsdk.internal.Text;

/**
 * The database an incident happened on. The URL never carries credentials: user names, passwords and
 * secret-looking parameters are removed when the record is created, whatever the caller passed.
 *
 * @param system     a lowercase id of the database system ({@code postgresql}, {@code mariadb}, {@code h2}, ...)
 * @param product    the product name reported by the driver
 * @param version    the product version reported by the driver
 * @param dataSource the name of the data source in the application
 * @param url        the JDBC URL without credentials
 * @since 0.1.0
 */
public record DatabaseInfo(String system, String product, String version, String dataSource, String url) {

    /**
     * Cleans and bounds every field and strips credentials from the URL; every field may be {@code null}.
     *
     * @param system     a lowercase id of the database system ({@code postgresql}, {@code mariadb}, {@code h2}, ...)
     * @param product    the product name reported by the driver
     * @param version    the product version reported by the driver
     * @param dataSource the name of the data source in the application
     * @param url        the JDBC URL without credentials
     */
    public DatabaseInfo {
        system = Text.field(Text.Field.SHORT, system);
        product = Text.field(Text.Field.SHORT, product);
        version = Text.field(Text.Field.SHORT, version);
        dataSource = Text.field(Text.Field.SHORT, dataSource);
        url = Text.field(Text.Field.URL, url);
    }
}
