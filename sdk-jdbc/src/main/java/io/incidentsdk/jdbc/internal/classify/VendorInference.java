package io.incidentsdk.jdbc.internal.classify;

import io.incidentsdk.jdbc.DatabaseVendor;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Guesses the vendor of one exception from its driver's class name, for use when the caller does not
 * know the vendor. Plain {@code java.sql} exceptions (MariaDB Connector/J 3, most of Oracle's) stay
 * {@link DatabaseVendor#UNKNOWN}. Classes are matched by name so that no driver is needed. Not API.
 */
public final class VendorInference {

    private static final List<Map.Entry<String, DatabaseVendor>> PREFIXES = List.of(
            Map.entry("org.postgresql.", DatabaseVendor.POSTGRESQL),
            Map.entry("org.h2.", DatabaseVendor.H2),
            Map.entry("org.hsqldb.", DatabaseVendor.HSQLDB),
            Map.entry("org.apache.derby.", DatabaseVendor.DERBY),
            Map.entry("org.sqlite.", DatabaseVendor.SQLITE),
            Map.entry("com.mysql.", DatabaseVendor.MYSQL),
            Map.entry("org.mariadb.", DatabaseVendor.MARIADB),
            Map.entry("oracle.jdbc.", DatabaseVendor.ORACLE),
            Map.entry("com.microsoft.sqlserver.", DatabaseVendor.SQL_SERVER),
            Map.entry("net.sourceforge.jtds.", DatabaseVendor.SQL_SERVER),
            Map.entry("com.ibm.db2.", DatabaseVendor.DB2));

    private VendorInference() {
    }

    /**
     * The vendor to use for {@code exception}: {@code given} unless it is {@link DatabaseVendor#UNKNOWN},
     * otherwise the vendor whose driver package the exception's class belongs to.
     *
     * @param exception the exception
     * @param given the vendor the caller named
     * @return the vendor, never {@code null}
     */
    public static DatabaseVendor vendorOf(SQLException exception, DatabaseVendor given) {
        if (given != DatabaseVendor.UNKNOWN) {
            return given;
        }
        String name = exception.getClass().getName();
        for (Map.Entry<String, DatabaseVendor> prefix : PREFIXES) {
            if (name.startsWith(prefix.getKey())) {
                return prefix.getValue();
            }
        }
        return DatabaseVendor.UNKNOWN;
    }
}
